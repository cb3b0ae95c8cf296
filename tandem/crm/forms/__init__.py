"""Forms of the customer pages. They only parse input; the services validate the business rules and write."""

from tandem.crm.forms.accounts import AccountForm, ContactForm
from tandem.crm.forms.activities import ActivityForm
from tandem.crm.forms.common import BulkActionForm, LoseForm, MoveForm
from tandem.crm.forms.contracts import ContractForm, PeriodFormSet, ReceiptForm, default_periods
from tandem.crm.forms.sales import DealForm, DealLineFormSet, LeadConvertForm, LeadForm

__all__ = [
    "AccountForm",
    "ActivityForm",
    "BulkActionForm",
    "ContactForm",
    "ContractForm",
    "DealForm",
    "DealLineFormSet",
    "LeadConvertForm",
    "LeadForm",
    "LoseForm",
    "MoveForm",
    "PeriodFormSet",
    "ReceiptForm",
    "default_periods",
]
