"""Choices of the integrations app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportObjectType(models.TextChoices):
    """What an import creates; the value is the model's `app_label.model_name`."""

    ACCOUNT = "crm.account", _("Accounts")
    CONTACT = "crm.contact", _("Contacts")
    LEAD = "crm.lead", _("Leads")
    DEAL = "crm.deal", _("Deals")
    COST_CODE = "finance.costcode", _("Cost codes")
    BUDGET_LINE = "finance.budgetline", _("Bill of quantities (budget lines)")


def import_permission(object_type: str, action: str = "import") -> str:
    """The permission an action on imports of `object_type` needs: `crm.import_account`, `finance.import_costcode`."""
    app_label, model_name = object_type.split(".")
    return f"{app_label}.{action}_{model_name}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    MAPPED = "mapped", _("Columns mapped")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RowStatus(models.TextChoices):
    VALID = "valid", _("Ready")
    INVALID = "invalid", _("Has errors")
    MATCHED = "matched", _("May already exist")


class RowDecision(models.TextChoices):
    """What the commit does with a row that may already exist."""

    CREATE = "create", _("Create a new record")
    UPDATE = "update", _("Update the existing record")
    SKIP = "skip", _("Skip")
