# The work calendar models move here from the projects app, state only: their tables (projects_workcalendar,
# projects_calendarexception, projects_resourcecalendar) were created by projects' migrations 0001 and 0002 and
# stay as they are. projects 0004 then lets go of the models in its own state.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import tandem.calendars.models

MOVED = ["workcalendar", "calendarexception", "resourcecalendar"]


def _relabel(apps, source: str, target: str) -> None:
    """Move the models' content types to the other app label, so shares and attachments keep pointing at them."""
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = content_type.objects.filter(app_label=target, model__in=MOVED).values_list("model", flat=True)
    content_type.objects.filter(app_label=source, model__in=MOVED).exclude(model__in=list(taken)).update(
        app_label=target
    )


def content_types_to_calendars(apps, schema_editor):
    _relabel(apps, "projects", "calendars")


def content_types_to_projects(apps, schema_editor):
    _relabel(apps, "calendars", "projects")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("projects", "0002_resource_calendars"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WorkCalendar",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, editable=False, verbose_name="created at"
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "week",
                            models.JSONField(
                                default=tandem.calendars.models.default_week, verbose_name="working hours per weekday"
                            ),
                        ),
                        ("is_default", models.BooleanField(default=False, verbose_name="default calendar")),
                        ("description", models.CharField(blank=True, max_length=300, verbose_name="description")),
                        (
                            "tenant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.tenant"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "work calendar",
                        "verbose_name_plural": "work calendars",
                        "db_table": "projects_workcalendar",
                        "ordering": ["-is_default", "name"],
                        "constraints": [
                            models.UniqueConstraint(fields=("tenant", "name"), name="projects_calendar_unique_name"),
                            models.UniqueConstraint(
                                condition=models.Q(("is_default", True)),
                                fields=("tenant",),
                                name="projects_calendar_one_default",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CalendarException",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, editable=False, verbose_name="created at"
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        ("date", models.DateField(verbose_name="date")),
                        ("is_working", models.BooleanField(default=False, verbose_name="working day")),
                        ("hours", models.JSONField(blank=True, default=list, verbose_name="working hours")),
                        ("name", models.CharField(blank=True, max_length=100, verbose_name="name")),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("chinesecalendar", "Chinese public holidays (chinesecalendar)"),
                                    ("manual", "Entered by hand"),
                                    ("mspdi", "Imported from MS Project"),
                                ],
                                default="manual",
                                max_length=20,
                                verbose_name="source",
                            ),
                        ),
                        (
                            "tenant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.tenant"
                            ),
                        ),
                        (
                            "calendar",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="exceptions",
                                to="calendars.workcalendar",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "calendar exception",
                        "verbose_name_plural": "calendar exceptions",
                        "db_table": "projects_calendarexception",
                        "ordering": ["date"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("tenant", "calendar", "date"), name="projects_calendar_exception_unique"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ResourceCalendar",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, editable=False, verbose_name="created at"
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        (
                            "tenant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.tenant"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "calendar",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="resources",
                                to="calendars.workcalendar",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "resource calendar",
                        "verbose_name_plural": "resource calendars",
                        "db_table": "projects_resourcecalendar",
                        "constraints": [
                            models.UniqueConstraint(fields=("tenant", "user"), name="projects_resource_calendar_unique")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_calendars, content_types_to_projects),
    ]
