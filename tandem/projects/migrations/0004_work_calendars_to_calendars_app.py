# The work calendar models now belong to the calendars app (calendars 0001): state only, the tables stay.
# The foreign keys of projects and tasks point at calendars.WorkCalendar first, then projects forgets the models.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0001_initial"),
        ("projects", "0003_project_budget_project_contact_ids_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="project",
                    name="calendar",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="projects",
                        to="calendars.workcalendar",
                        verbose_name="calendar",
                    ),
                ),
                migrations.AlterField(
                    model_name="task",
                    name="calendar",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tasks",
                        to="calendars.workcalendar",
                        verbose_name="calendar",
                    ),
                ),
                migrations.DeleteModel(name="CalendarException"),
                migrations.DeleteModel(name="ResourceCalendar"),
                migrations.DeleteModel(name="WorkCalendar"),
            ],
            database_operations=[],
        ),
    ]
