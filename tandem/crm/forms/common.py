"""What the crm forms share: model-driven fields without model writes, record pickers, member choices."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.accounts.models import Department, User
from tandem.core.services import active_members
from tandem.crm.models import Stage


class ParseOnlyModelForm(forms.ModelForm):
    """Fields, labels and choices come from the model; the instance only supplies initial values.

    Validation across fields and the write belong to the service, so the model is never cleaned
    or saved here (a half-built instance without its tenant would fail the tenant checks anyway).
    """

    def _post_clean(self):
        pass

    def save(self, commit=True):
        raise NotImplementedError("Write through the crm services.")


class RecordPicker(forms.Widget):
    """A search box that looks records up as you type and keeps the chosen id in a hidden input."""

    template_name = "crm/widgets/picker.html"

    def __init__(self, lookup_url, attrs=None, *, placeholder=None):
        super().__init__(attrs)
        self.lookup_url = lookup_url
        self.placeholder = placeholder

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        label = ""
        if value not in (None, ""):
            queryset = getattr(getattr(self, "choices", None), "queryset", None)
            obj = queryset.filter(pk=value).first() if queryset is not None and str(value).isdigit() else None
            label = str(obj) if obj is not None else ""
        context["widget"].update(
            {"lookup_url": str(self.lookup_url), "label": label, "placeholder": self.placeholder or ""}
        )
        return context

    def format_value(self, value):
        return "" if value is None else str(value)


def account_picker(**kwargs) -> RecordPicker:
    return RecordPicker(reverse_lazy("crm:lookup_accounts"), placeholder=_("Type to search accounts"), **kwargs)


def deal_picker(**kwargs) -> RecordPicker:
    return RecordPicker(reverse_lazy("crm:lookup_deals"), placeholder=_("Type to search deals"), **kwargs)


def contact_picker(**kwargs) -> RecordPicker:
    return RecordPicker(reverse_lazy("crm:lookup_contacts"), placeholder=_("Type to search contacts"), **kwargs)


class MemberChoiceField(forms.ModelChoiceField):
    """An active member of the tenant (owners, signatories)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", User.objects.none())
        super().__init__(*args, **kwargs)

    def for_tenant(self, tenant_id: int) -> None:
        self.queryset = active_members(tenant_id).order_by("display_name", "username")


def drop_guarded_fields(form, access, model) -> None:
    """Personal fields the caller sees masked or hidden are not shown for editing (and so never changed)."""
    label = f"{model._meta.app_label}.{model._meta.model_name}"
    for name in getattr(model, "sensitive_fields", {}):
        if name in form.fields and access.field_rule(f"{label}.{name}") in ("masked", "hidden"):
            del form.fields[name]


def departments_of(tenant_id: int):
    """The tenant's departments by name, for department pickers."""
    return Department.objects.filter(tenant_id=tenant_id).order_by("name")


def limit_members(form, tenant_id: int) -> None:
    for field in form.fields.values():
        if isinstance(field, MemberChoiceField):
            field.for_tenant(tenant_id)


class MoveForm(forms.Form):
    """A kanban drop or a click on the stage bar: the target stage, and the reason when it is the lost stage."""

    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.for_tenant(access.tenant_id).select_related("pipeline")


class LoseForm(forms.Form):
    reason = forms.CharField(label=_("Why was the deal lost?"), max_length=300)


class BulkActionForm(forms.Form):
    """Rows ticked on a list and what to do with them: hand them to another owner, or move them to the bin."""

    ASSIGN, DELETE = "assign", "delete"
    action = forms.ChoiceField(choices=[(ASSIGN, _("Assign owner")), (DELETE, _("Delete"))])
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    owner = MemberChoiceField(label=pgettext_lazy("record owner", "New owner"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    MAX_ROWS = 200

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        limit_members(self, access.tenant_id)
        # Any ids parse here; the view keeps only the rows the caller may act on.
        self.fields["ids"].choices = [(v, v) for v in self.data.getlist("ids") if str(v).isdigit()]

    def clean(self):
        data = super().clean()
        if len(data.get("ids") or []) > self.MAX_ROWS:
            self.add_error("ids", _("Choose at most %(n)d rows at a time.") % {"n": self.MAX_ROWS})
        if data.get("action") == self.ASSIGN:
            if not data.get("owner"):
                self.add_error("owner", _("Choose the new owner."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give a reason for the transfer."))
        return data
