"""Forms of a decision on an approval task, of submitting and withdrawing, and of the inbox filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.approvals.choices import AddPosition
from tandem.core.services import active_members

COMMENT = pgettext_lazy("approval decision", "Comment")


def _members(tenant_id: int):
    return active_members(tenant_id).order_by("display_name", "username")


class DecisionForm(forms.Form):
    """Approve or reject; a rejection must say why (the service refuses it too)."""

    comment = forms.CharField(label=COMMENT, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reject: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = reject
        if reject:
            self.fields["comment"].error_messages["required"] = _("Say why you reject it.")


class TransferForm(forms.Form):
    to_user = forms.ModelChoiceField(label=_("Transfer to"), queryset=None)
    comment = forms.CharField(label=COMMENT, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, tenant_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = _members(tenant_id)


class SendBackForm(forms.Form):
    to_node = forms.ChoiceField(label=_("Send back to"))
    comment = forms.CharField(label=COMMENT, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, nodes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_node"].choices = nodes


class AddApproverForm(forms.Form):
    users = forms.ModelMultipleChoiceField(label=_("Approvers to add"), queryset=None)
    position = forms.ChoiceField(label=_("Where"), choices=AddPosition.choices, initial=AddPosition.AFTER)
    comment = forms.CharField(label=COMMENT, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, tenant_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = _members(tenant_id)


class BulkApproveForm(forms.Form):
    tasks = forms.TypedMultipleChoiceField(label=_("Approvals"), coerce=int, choices=())
    comment = forms.CharField(label=COMMENT, required=False, max_length=2000)

    def __init__(self, *args, task_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].choices = [(pk, pk) for pk in task_ids]
        self.fields["tasks"].error_messages["invalid_choice"] = _(
            "One of the chosen approvals is no longer waiting for you; reload the page."
        )


class SubmitForm(forms.Form):
    """Submitting a record: a comment, and the approvers of each node the submitter chooses (`chosen_<key>`)."""

    comment = forms.CharField(label=COMMENT, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, tenant_id: int, choice_nodes: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_nodes = choice_nodes
        for node in choice_nodes:
            self.fields[f"chosen_{node['key']}"] = forms.ModelMultipleChoiceField(
                label=node["name"], queryset=_members(tenant_id), help_text=node.get("hint", "")
            )

    def chosen(self) -> dict[str, list[int]]:
        return {n["key"]: [u.pk for u in self.cleaned_data[f"chosen_{n['key']}"]] for n in self.choice_nodes}


class WithdrawForm(forms.Form):
    comment = forms.CharField(label=COMMENT, required=False, max_length=2000)


class VoidForm(forms.Form):
    comment = forms.CharField(label=COMMENT, max_length=2000)


class InboxFilterForm(forms.Form):
    object_type = forms.ChoiceField(label=_("Type"), required=False)
    submitter = forms.ModelChoiceField(label=_("Submitter"), queryset=None, required=False)
    date_from = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Submitted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, tenant_id: int, types: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All types")), *types]
        self.fields["submitter"].queryset = _members(tenant_id)
        self.fields["submitter"].empty_label = _("Anyone")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
