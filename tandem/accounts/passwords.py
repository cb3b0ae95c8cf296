"""Password policy profiles chosen per tenant: `cn-mlps3` (等保三级) and `asvs`."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.accounts.choices import PasswordProfile

PROFILES = {
    PasswordProfile.CN_MLPS3: {"min_length": 8, "classes": 3, "expiry_days": 90, "history": 5},
    PasswordProfile.ASVS: {"min_length": 12, "classes": 0, "expiry_days": None, "history": 0},
}
_CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]")
_STRICTNESS = [PasswordProfile.ASVS, PasswordProfile.CN_MLPS3]


def profile_for_user(user) -> dict:
    """The strictest profile among the user's tenants (the platform default for a new user)."""
    keys = set()
    if user is not None and getattr(user, "pk", None):
        keys = set(user.memberships.values_list("tenant__password_profile", flat=True))
    key = max(keys, key=_STRICTNESS.index) if keys else PasswordProfile.CN_MLPS3
    return PROFILES[key]


def validate(password: str, *, profile: dict, user=None) -> None:
    errors = []
    if len(password) < profile["min_length"]:
        errors.append(_("The password must have at least %(n)d characters.") % {"n": profile["min_length"]})
    if len(password) > 128:
        errors.append(_("The password must have at most 128 characters."))
    if profile["classes"] and sum(bool(re.search(c, password)) for c in _CLASSES) < profile["classes"]:
        errors.append(
            _("The password must mix at least %(n)d of: lowercase, uppercase, digits, symbols.")
            % {"n": profile["classes"]}
        )
    if user is not None and getattr(user, "username", "") and user.username.lower() in password.lower():
        errors.append(_("The password must not contain the user name."))
    if profile["history"] and user is not None and getattr(user, "pk", None):
        # The current password is the most recent of the last N; the history holds the ones before it.
        recent = [user.password] if user.password else []
        recent += user.password_history.values_list("password", flat=True)[: profile["history"]]
        if any(check_password(password, old) for old in recent[: profile["history"]]):
            errors.append(_("The password must differ from the last %(n)d passwords.") % {"n": profile["history"]})
    if errors:
        raise ValidationError(errors)


_SHORTEST_EXPIRY = min(p["expiry_days"] for p in PROFILES.values() if p["expiry_days"])


def password_expired(user, now) -> bool:
    if user.password_changed_at is None:
        return False
    if user.password_changed_at + timedelta(days=_SHORTEST_EXPIRY) >= now:
        return False  # fresh under every profile: no need to look the profile up
    days = profile_for_user(user)["expiry_days"]
    if not days:
        return False
    return user.password_changed_at + timedelta(days=days) < now


class TenantPolicyValidator:
    """Django password validator that applies the user's tenant profile."""

    def validate(self, password, user=None):
        validate(password, profile=profile_for_user(user), user=user)

    def get_help_text(self):
        return _("Your organisation's password policy applies.")
