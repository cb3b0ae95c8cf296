"""Existing tenants get the customer-feedback default rules (survey on completion, detractor recovery, the
promoter follow-up switched off). New tenants get them when they are created. A fresh database has no tenants,
so this does nothing there; it installs only the default rules a tenant lacks, through the current service."""

from django.db import migrations


def install(apps, schema_editor):
    from tandem.accounts.models import Tenant
    from tandem.automation.services.defaults import rules_install_defaults

    for tenant in Tenant.objects.order_by("pk"):
        rules_install_defaults(tenant=tenant)


class Migration(migrations.Migration):
    dependencies = [
        ("automation", "0002_rule_catch_up_pending"),
        ("feedback", "0001_initial"),
        ("accounts", "0005_verbose_names"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
