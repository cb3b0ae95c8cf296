"""Forms of the project set-up pages: create and edit a project, start one from a template, save one as a
template, import an MS Project file. They parse input and offer only what the caller may pick; the
services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.calendars import selectors as calendar_selectors
from tandem.projects import selectors
from tandem.projects.choices import Health, ProjectStatus
from tandem.projects.services.templates import PM_ROLE

# The CRM records a project links to: form field, project column, permission to pick one.
CRM_LINKS = (
    ("account", "account_id", "crm.view_account"),
    ("deal", "deal_id", "crm.view_deal"),
    ("contract", "contract_id", "crm.view_contract"),
)
CONTRACT_FINISH_RULE = "projects.project.contract_finish"


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def members_of(tenant_id: int):
    """The tenant's active members, the people a project can be given to."""
    from tandem.accounts.selectors import tenant_users

    # One filter() call, so both conditions hold for the same membership (a user belongs to many tenants).
    return (
        tenant_users(tenant_id=tenant_id)
        .filter(memberships__tenant_id=tenant_id, memberships__is_active=True)
        .order_by("display_name", "username")
    )


def _crm_choices(access, name: str):
    """The CRM records of one kind the caller can see, light enough for a select."""
    from tandem.crm import selectors as crm

    lists = {"account": crm.account_list, "deal": crm.deal_list, "contract": crm.contract_list}
    return lists[name](access=access).select_related(None).prefetch_related(None)


class ProjectForm(forms.Form):
    """A project's own fields; CRM links and the contract date appear only for those who may see them."""

    name = forms.CharField(label=_("Project name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    account = forms.ModelChoiceField(label=_("Customer account"), queryset=None, required=False)
    deal = forms.ModelChoiceField(label=_("Deal"), queryset=None, required=False)
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)
    owner = forms.ModelChoiceField(label=_("Project manager"), queryset=None)
    team = forms.ModelMultipleChoiceField(
        label=_("Team"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Team members can read the project. Hold Ctrl (⌘ on a Mac) to pick several."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=_date_input())
    planned_finish = forms.DateField(label=_("Planned finish"), required=False, widget=_date_input())
    contract_finish = forms.DateField(label=_("Contract finish"), required=False, widget=_date_input())
    calendar = forms.ModelChoiceField(label=_("Work calendar"), queryset=None)
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    health = forms.ChoiceField(label=_("Health"), choices=Health.choices, initial=Health.ON_TRACK)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, access, project=None, **kwargs):
        if project is not None:
            kwargs.setdefault("initial", self.initial_of(project))
        super().__init__(*args, **kwargs)
        self.project = project
        members = members_of(access.tenant_id)
        self.fields["owner"].queryset = members
        self.fields["team"].queryset = members
        self.fields["calendar"].queryset = calendar_selectors.calendar_list(access=access)
        if project is None:
            self.fields["status"].choices = [
                c for c in ProjectStatus.choices if c[0] not in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)
            ]
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

    @staticmethod
    def initial_of(project) -> dict:
        return {
            "name": project.name,
            "code": project.code,
            "account": project.account_id,
            "deal": project.deal_id,
            "contract": project.contract_id,
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

    def clean(self):
        data = super().clean()
        account = data.get("account")
        for name in ("deal", "contract"):
            record = data.get(name)
            if record is not None and account is not None and record.account_id != account.pk:
                self.add_error(name, _("This record belongs to another customer account."))
        return data

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
        return data


class FromTemplateForm(forms.Form):
    """A new project from a template; each role placeholder of the template gets a person."""

    template = forms.ModelChoiceField(label=_("Template"), queryset=None)
    name = forms.CharField(label=_("Project name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    start_date = forms.DateField(label=_("Start date"), widget=_date_input())
    owner = forms.ModelChoiceField(label=_("Project manager"), queryset=None)
    calendar = forms.ModelChoiceField(label=_("Work calendar"), queryset=None)

    def __init__(self, *args, access, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        members = members_of(access.tenant_id)
        self.fields["template"].queryset = selectors.template_list(access=access, current_only=True)
        self.fields["owner"].queryset = members
        self.fields["calendar"].queryset = calendar_selectors.calendar_list(access=access)
        self.roles = [r for r in roles if r and r != PM_ROLE]
        for index, role in enumerate(self.roles):
            self.fields[f"role_{index}"] = forms.ModelChoiceField(
                label=role,
                queryset=members,
                required=False,
                empty_label=_("Leave unassigned"),
            )

    def role_fields(self):
        return [self[f"role_{index}"] for index in range(len(self.roles))]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        roles = {role: data.pop(f"role_{index}") for index, role in enumerate(self.roles)}
        data["roles"] = {role: person for role, person in roles.items() if person is not None}
        return data


class SaveAsTemplateForm(forms.Form):
    """Name the template; each person assigned in the project becomes a role placeholder."""

    name = forms.CharField(label=_("Template name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        for person, role in self.people:
            self.fields[f"role_{person.pk}"] = forms.SlugField(
                label=str(person), max_length=50, initial=role, allow_unicode=True
            )

    def role_fields(self):
        return [self[f"role_{person.pk}"] for person, _role in self.people]

    def roles(self) -> dict[int, str]:
        return {person.pk: self.cleaned_data[f"role_{person.pk}"] for person, _role in self.people}


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
