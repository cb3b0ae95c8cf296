"""Forms of a project's own pages: create and edit it, a status note on its overview, import one from an
MS Project file."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.calendars import selectors as calendar_selectors
from tandem.core.errors import ApplicationError
from tandem.crm.forms.common import account_picker, deal_picker
from tandem.projects.choices import Health, ProjectStatus
from tandem.projects.forms.common import date_input, members_of
from tandem.projects.models import Project

# The CRM records a project links to: form field, project column, permission to pick one.
CRM_LINKS = (
    ("account", "account_id", "crm.view_account"),
    ("deal", "deal_id", "crm.view_deal"),
    ("contract", "contract_id", "crm.view_contract"),
)
CONTRACT_FINISH_RULE = "projects.project.contract_finish"


def _account_contacts(access, account_id):
    """The contacts of one account (for the project's customer contacts), or none without the permission."""
    from tandem.crm.models import Contact

    if not account_id or not access.has_perm("crm.view_contact"):
        return None
    return Contact.objects.filter(tenant_id=access.tenant_id, account_links__account_id=account_id).order_by(
        "-account_links__is_primary", "name", "id"
    )


def _crm_choices(access, name: str):
    """The CRM records of one kind the caller can see, light enough for a select."""
    from tandem.crm.selectors.accounts import account_list
    from tandem.crm.selectors.contracts import contract_list
    from tandem.crm.selectors.deals import deal_list

    lists = {"account": account_list, "deal": deal_list, "contract": contract_list}
    return lists[name](access=access).select_related(None).prefetch_related(None)


class ProjectForm(forms.Form):
    """A project's own fields; CRM links and the contract date appear only for those who may see them."""

    name = forms.CharField(label=_("Project name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    # Search boxes, not selects: a tenant may hold 100k accounts, and only the chosen one is ever rendered.
    account = forms.ModelChoiceField(
        label=_("Customer account"), queryset=None, required=False, widget=account_picker()
    )
    deal = forms.ModelChoiceField(
        label=_("Deal"),
        queryset=None,
        required=False,
        widget=deal_picker(attrs={"data-picker-depends": "id_account"}),
        help_text=_("Lists the chosen customer's deals."),
    )
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)
    budget = forms.DecimalField(
        label=_("Budget (CNY)"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=_("Set from the contract amount when the deal's contract is signed; edit it here."),
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Customer contacts"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The customer's people on this project: shown on the overview."),
    )
    owner = forms.ModelChoiceField(label=_("Project manager"), queryset=None)
    team = forms.ModelMultipleChoiceField(
        label=_("Team"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Team members can read the project. Hold Ctrl (⌘ on a Mac) to pick several."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=date_input())
    planned_finish = forms.DateField(label=_("Planned finish"), required=False, widget=date_input())
    contract_finish = forms.DateField(label=_("Contract finish"), required=False, widget=date_input())
    calendar = forms.ModelChoiceField(label=_("Work calendar"), queryset=None)
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    health = forms.ChoiceField(label=_("Health"), choices=Health.choices, initial=Health.ON_TRACK)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )
    completion_reason = forms.CharField(
        label=_("Why complete it now"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the project's status updates and in the audit trail."),
    )
    complete_open_tasks = forms.BooleanField(label=_("Mark the open tasks done as well (up to today)"), required=False)

    def __init__(self, *args, access, project=None, **kwargs):
        if project is not None:
            kwargs.setdefault("initial", self.initial_of(project))
        super().__init__(*args, **kwargs)
        self.project = project
        members = members_of(access)
        self.fields["owner"].queryset = members
        self.fields["team"].queryset = members
        self.fields["calendar"].queryset = calendar_selectors.calendar_list(access=access)
        if project is None:
            self.fields["status"].choices = [
                c for c in ProjectStatus.choices if c[0] not in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)
            ]
        if project is None or project.status == ProjectStatus.COMPLETED:
            del self.fields["completion_reason"], self.fields["complete_open_tasks"]
        for name, column, permission in CRM_LINKS:
            current = getattr(project, column, None) if project is not None else None
            queryset = _crm_choices(access, name) if access.has_perm(permission) else None
            # A link the caller cannot see stays as it is: offering it blank would drop it on save.
            if queryset is None or (current and not queryset.filter(pk=current).exists()):
                del self.fields[name]
            else:
                self.fields[name].queryset = queryset
        if access.field_rule(CONTRACT_FINISH_RULE) in ("masked", "hidden"):
            del self.fields["contract_finish"]
        if access.field_rule(Project.budget_rule) in ("masked", "hidden"):
            del self.fields["budget"]
        account_id = self.data.get("account") if self.is_bound else getattr(project, "account_id", None)
        self.account_contacts = _account_contacts(access, int(account_id) if str(account_id or "").isdigit() else None)
        if self.account_contacts is None:
            del self.fields["contacts"]
        else:
            # The project's current contacts stay valid choices when the customer changes; they are dropped on save.
            kept = getattr(project, "contact_ids", None) or []
            self.fields["contacts"].queryset = (
                self.account_contacts.model.objects.filter(
                    Q(pk__in=self.account_contacts.values("pk")) | Q(pk__in=kept), tenant_id=access.tenant_id
                )
                .distinct()
                .order_by("name", "id")
            )

    @staticmethod
    def initial_of(project) -> dict:
        return {
            "name": project.name,
            "code": project.code,
            "account": project.account_id,
            "deal": project.deal_id,
            "contract": project.contract_id,
            "budget": project.budget,
            "contacts": list(project.contact_ids),
            "owner": project.owner_id,
            "team": [u.pk for u in project.team.all()],
            "start_date": project.start_date,
            "planned_finish": project.planned_finish,
            "contract_finish": project.contract_finish,
            "calendar": project.calendar_id,
            "status": project.status,
            "health": project.health,
            "description": project.description,
        }

    @staticmethod
    def on_fields(exc: ApplicationError) -> ApplicationError:
        """A service refusal with its CRM link errors moved onto this form's fields (`deal_id` → `deal`); whether a
        deal or contract belongs to the customer is the service's to say."""
        columns = {column: name for name, column, _permission in CRM_LINKS}
        errors = {columns.get(key, key): messages for key, messages in (exc.errors or {}).items()}
        return ApplicationError(exc.message, errors=errors, code=exc.code)

    def service_fields(self, *, changed_only: bool = False) -> dict:
        """Keyword arguments for project_create / project_update: CRM records become their ids.

        `changed_only` keeps what the user changed, so an edit reschedules and audits only what moved."""
        data = dict(self.cleaned_data)
        if changed_only:
            data = {k: v for k, v in data.items() if k in self.changed_data}
        for name, column, _permission in CRM_LINKS:
            if name in data:
                record = data.pop(name)
                data[column] = record.pk if record is not None else None
        if "team" in data:
            data["team"] = list(data["team"])
        if "contacts" in data:
            data["contact_ids"] = [c.pk for c in data.pop("contacts")]
        if "account" in self.changed_data and self.project is not None:
            # Another customer: only the contacts of the new one stay on the project.
            chosen = data.get("contact_ids", self.project.contact_ids)
            theirs = (
                set(self.account_contacts.values_list("pk", flat=True)) if self.account_contacts is not None else set()
            )
            data["contact_ids"] = [pk for pk in chosen if pk in theirs]
        return data


class MspdiImportForm(forms.Form):
    file = forms.FileField(
        label=_("MS Project XML file"),
        help_text=_("In Microsoft Project: File → Save As → XML format (*.xml)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    name = forms.CharField(
        label=_("Project name"), max_length=200, required=False, help_text=_("Empty: the title in the file.")
    )
    code = forms.CharField(label=_("Code"), max_length=40, required=False)


class StatusUpdateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=date_input())
    health = forms.ChoiceField(label=_("Health"), choices=Health.choices)
    text = forms.CharField(
        label=_("What happened, what is next"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
