"""Forms for the sign-in, user, role, department and token pages; they only parse input."""

import re
from fnmatch import fnmatchcase

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Department, Role, User
from tandem.core import permissions
from tandem.core.scopes import DataScope
from tandem.core.services import active_members


class SignInForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=256)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class TenantChoiceMixin:
    """Limit related-object pickers to the caller's tenant: its active members, departments and roles."""

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        users = active_members(access.tenant_id).order_by("username")
        for name, field in self.fields.items():
            if name in ("manager", "head"):
                field.queryset = users
            elif name in ("department", "parent"):
                field.queryset = Department.objects.for_tenant(access.tenant_id)
            elif name == "roles":
                field.queryset = Role.objects.for_tenant(access.tenant_id)


class MemberForm(TenantChoiceMixin, forms.Form):
    username = forms.RegexField(label=_("User name"), regex=r"^[\w.@+-]{2,150}$", max_length=150)
    display_name = forms.CharField(label=_("Name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=30, required=False)
    title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    skills = forms.CharField(
        label=_("Skills"),
        max_length=500,
        required=False,
        help_text=_("Separated by commas, e.g. 弱电, 暖通; automation rules can assign work by skill."),
    )
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=User.objects.none(), required=False)
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"), queryset=Role.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Needed for a new user; leave empty to add an existing user to this organisation."),
    )


def split_skills(text: str) -> list[str]:
    """Skills typed as one line: commas (also 、，；;) separate; blanks and repeats dropped, order kept."""
    parts = re.split(r"[,，、;；\n]+", text or "")
    return list(dict.fromkeys(p.strip()[:50] for p in parts if p.strip()))[:30]


class MemberEditForm(MemberForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["username"]
        self.fields["password"].label = _("Reset password")
        self.fields["password"].help_text = _("Leave empty to keep the current password.")


class RoleForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=50)
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    data_scope = forms.ChoiceField(label=_("Data scope"), choices=DataScope.choices)

    def __init__(self, *args, role=None, **kwargs):
        super().__init__(*args, **kwargs)
        if role is not None:
            del self.fields["key"]

    def permission_codes(self, data, previous: list[str] = ()) -> list[str]:
        """The ticked codes, keeping the role's patterns (crm.*, *) whose codes all stay ticked, so
        that object types added by later modules keep following the pattern."""
        known = permissions.all_codes()
        ticked = {code for code in data.getlist("permissions") if code in known}
        kept = []
        for pattern in previous:
            if "*" not in pattern:
                continue
            covered = {code for code in known if fnmatchcase(code, pattern)}
            if covered <= ticked:
                kept.append(pattern)
        loose = {code for code in ticked if not any(fnmatchcase(code, p) for p in kept)}
        return sorted(loose) + sorted(kept)

    def field_rules(self, data) -> dict:
        rules = {}
        for label in permissions.field_labels():
            value = data.get(f"field_rule:{label}", "")
            if value in ("hidden", "masked"):
                rules[label] = value
        return rules


class DepartmentForm(TenantChoiceMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    parent = forms.ModelChoiceField(label=_("Parent department"), queryset=Department.objects.none(), required=False)
    head = forms.ModelChoiceField(label=_("Head"), queryset=User.objects.none(), required=False)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    scopes = forms.CharField(
        label=_("Scopes"),
        required=False,
        max_length=2000,
        help_text=_("Permission codes or patterns separated by spaces, e.g. crm.view_* ; empty = all your rights."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class TenantSettingsForm(forms.ModelForm):
    class Meta:
        from tandem.accounts.models import Tenant

        model = Tenant
        fields = ["name", "locale", "timezone", "currency", "password_profile"]
