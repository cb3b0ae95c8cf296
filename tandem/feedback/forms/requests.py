"""Forms of the service-request pages: they parse input; the services validate links and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.crm.forms.common import (
    MemberChoiceField,
    ParseOnlyModelForm,
    account_picker,
    contact_picker,
    limit_members,
)
from tandem.crm.models import Account, Contact
from tandem.feedback.choices import RequestStatus
from tandem.feedback.models import REQUEST_FIELDS, ServiceRequest
from tandem.projects.models import Project

ASSIGNEE = pgettext_lazy("service request", "Assignee")


def account_projects(access, account_id):
    """The projects a request of this account may name: the account's, within the member's reach."""
    qs = Project.objects.restrict(access).order_by("-start_date", "-id")
    return qs.filter(account_id=account_id) if account_id else qs.none()


def _pk(value):
    value = str(value or "")
    return int(value) if value.isdigit() else None


class ServiceRequestForm(ParseOnlyModelForm):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none(), widget=account_picker())
    contact = forms.ModelChoiceField(
        label=_("Contact"),
        queryset=Contact.objects.none(),
        required=False,
        widget=contact_picker(attrs={"data-picker-depends": "id_account"}),
    )
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), required=False)
    owner = MemberChoiceField(label=ASSIGNEE, required=False)

    class Meta:
        model = ServiceRequest
        fields = list(REQUEST_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.fields["account"].queryset = Account.objects.restrict(access)
        self.fields["contact"].queryset = Contact.objects.restrict(access)
        limit_members(self, access.tenant_id)
        account_id = _pk(self.data.get("account")) if self.is_bound else None
        account_id = account_id or self.instance.account_id or _pk(self.initial.get("account"))
        self.fields["project"].queryset = account_projects(access, account_id)
        self.fields["project"].empty_label = _("No project")
        self.fields["owner"].empty_label = _("Not assigned yet")
        if self.instance.pk:
            self.initial.setdefault("owner", self.instance.owner_id)
            self.fields["owner"].required = True

    def service_fields(self) -> dict:
        """The request's fields for the service; the assignee only when it is named or changes."""
        data = dict(self.cleaned_data)
        owner = data.pop("owner", None)
        if owner is not None and owner.pk != self.instance.owner_id:
            data["owner"] = owner
        return data


class TransitionForm(forms.Form):
    """A status button or a board drop: the new status, and the resolution when it resolves the request."""

    status = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices)
    resolution = forms.CharField(label=_("Resolution"), required=False, max_length=5000)


class AssignForm(forms.Form):
    owner = MemberChoiceField(label=ASSIGNEE)

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        limit_members(self, access.tenant_id)
