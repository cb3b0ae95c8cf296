"""Project managers of existing tenants run the money of their projects (budget, forecast, change orders,
commitments, direct costs); new tenants get this from the default roles."""

from django.db import migrations

PM_COSTS = [
    "finance.change_projectbudget",
    "finance.lock_projectbudget",
    "finance.add_budgetline",
    "finance.change_budgetline",
    "finance.delete_budgetline",
    "finance.import_budgetline",
    "finance.add_budgetmodification",
    "finance.add_changeorder",
    "finance.change_changeorder",
    "finance.add_commitment",
    "finance.change_commitment",
    "finance.add_costrecord",
    "finance.change_costrecord",
    "finance.export_*",
]


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(key="pm", is_system=True):
        missing = [p for p in PM_COSTS if p not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_feedback_permissions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
