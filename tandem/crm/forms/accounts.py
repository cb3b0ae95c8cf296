"""Account (客户) and contact (联系人) forms."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.crm.forms.common import (
    MemberChoiceField,
    ParseOnlyModelForm,
    account_picker,
    drop_guarded_fields,
    limit_members,
)
from tandem.crm.models import Account, Contact
from tandem.crm.models.accounts import ACCOUNT_FIELDS, MAX_TAG_LENGTH, MAX_TAGS
from tandem.crm.validators import normalize_credit_code, validate_credit_code, validate_phone

TAG_SPLIT = re.compile(r"[,，、;；\s]+")


class AccountForm(ParseOnlyModelForm):
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        help_text=_("18 characters from the business licence; the last one is a check character."),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas."), max_length=MAX_TAGS * 32
    )
    parent = forms.ModelChoiceField(
        label=_("Parent account"), queryset=Account.objects.none(), required=False, widget=account_picker()
    )
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    owner = MemberChoiceField(label=pgettext_lazy("record owner", "Owner"), required=False)

    class Meta:
        model = Account
        fields = [name for name in ACCOUNT_FIELDS if name != "risk_owner"]  # the page names no risk owner
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "risk_expires_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Account.objects.restrict(access)
        if self.instance.pk:
            del self.fields["owner"]  # owners change through a transfer, with a reason
            self.initial["tags"] = ", ".join(self.instance.tags or [])
        else:
            limit_members(self, access.tenant_id)
            self.initial.setdefault("owner", access.user_id)
        self.fields["credit_code"].widget.attrs.update({"data-credit-code": "", "autocomplete": "off"})

    def clean_credit_code(self):
        code = normalize_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean_tags(self):
        tags = [t for t in TAG_SPLIT.split(self.cleaned_data["tags"] or "") if t]
        tags = list(dict.fromkeys(tags))
        if len(tags) > MAX_TAGS or any(len(t) > MAX_TAG_LENGTH for t in tags):
            raise forms.ValidationError(
                _("At most %(n)d tags of at most %(len)d characters each.") % {"n": MAX_TAGS, "len": MAX_TAG_LENGTH}
            )
        return tags

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("owner"):
            data.pop("owner", None)
        return data


class ContactForm(ParseOnlyModelForm):
    """A contact's details and where they work: keep, drop or add account links."""

    mobile = forms.CharField(label=_("Mobile phone"), max_length=30, required=False, validators=[validate_phone])
    phone = forms.CharField(label=_("Office phone"), max_length=30, required=False, validators=[validate_phone])
    account = forms.ModelChoiceField(
        label=_("Works at"), queryset=Account.objects.none(), required=False, widget=account_picker()
    )
    is_primary = forms.BooleanField(label=_("Primary contact of this account"), required=False)
    remove_links = forms.TypedMultipleChoiceField(
        label=_("Remove from accounts"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    owner = MemberChoiceField(label=pgettext_lazy("record owner", "Owner"), required=False)

    class Meta:
        model = Contact
        fields = ["name", "title", "department", "mobile", "phone", "email", "wechat", "language", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, access, links=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.links = list(links)
        self.fields["account"].queryset = Account.objects.restrict(access)
        if self.instance.pk:
            del self.fields["owner"]
            self.fields["account"].label = _("Add to account")
            self.fields["remove_links"].choices = [(link.account_id, link.account.name) for link in self.links]
            if not self.links:
                del self.fields["remove_links"]
        else:
            del self.fields["remove_links"]
            limit_members(self, access.tenant_id)
            self.initial.setdefault("owner", access.user_id)
        for name in ("mobile", "phone"):
            self.fields[name].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        drop_guarded_fields(self, access, Contact)

    def service_links(self) -> list[tuple[Account, bool]]:
        """The accounts the contact works at after this edit: kept links, then the added account."""
        data = self.cleaned_data
        removed = set(data.get("remove_links") or [])
        new = data.get("account")
        links = [
            (link.account, link.is_primary)
            for link in self.links
            if link.account_id not in removed and (new is None or link.account_id != new.pk)
        ]
        if new is not None:
            links.append((new, bool(data.get("is_primary"))))
        return links

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields and k in self.fields}
        if self.cleaned_data.get("owner"):
            data["owner"] = self.cleaned_data["owner"]
        return data
