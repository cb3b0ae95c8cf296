"""Project managers of existing tenants see their projects' surveys, answers and service requests, and work the
recoveries (review tasks) of their projects; customer service logs follow-ups with customers. New tenants get
this from the default roles."""

from django.db import migrations

ADDED = {
    "pm": [
        "feedback.view_survey",
        "feedback.add_survey",
        "feedback.view_surveyresponse",
        "feedback.view_recovery",
        "feedback.change_recovery",
        "feedback.view_servicerequest",
        "crm.add_activity",
    ],
    "service": ["crm.add_activity"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for key, permissions in ADDED.items():
        for role in Role.objects.filter(key=key, is_system=True):
            missing = [p for p in permissions if p not in role.permissions]
            if missing:
                role.permissions = [*role.permissions, *missing]
                role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_verbose_names")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
