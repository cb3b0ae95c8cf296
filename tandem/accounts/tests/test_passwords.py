"""Password policy profiles: cn-mlps3 (等保三级) and asvs, applied per tenant."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.accounts import passwords
from tandem.accounts.choices import PasswordProfile
from tandem.accounts.models import User
from tandem.accounts.services.members import password_change
from tandem.testing.kit import PASSWORD, make_member, make_tenant

MLPS3 = passwords.PROFILES[PasswordProfile.CN_MLPS3]
ASVS = passwords.PROFILES[PasswordProfile.ASVS]


def _messages(password: str, profile: dict, user=None) -> list[str]:
    with pytest.raises(ValidationError) as info:
        passwords.validate(password, profile=profile, user=user)
    return info.value.messages


# --- cn-mlps3 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["Abcdef1!", "abcdef12!", "ABCDEF1!", "Abcdefgh1", "Abcdefgh!", "密码Ab12345"])
def test_mlps3_accepts_eight_characters_of_three_classes(password):
    passwords.validate(password, profile=MLPS3)


def test_mlps3_refuses_fewer_than_eight_characters():
    assert _messages("Abc12!x", MLPS3) == ["The password must have at least 8 characters."]


@pytest.mark.parametrize("password", ["abcdefghij", "abcdef1234", "ABCDEF!!!!", "12345678!!", "abcdEFGHij"])
def test_mlps3_refuses_fewer_than_three_character_classes(password):
    assert _messages(password, MLPS3) == ["The password must mix at least 3 of: lowercase, uppercase, digits, symbols."]


def test_mlps3_reports_every_broken_rule_at_once():
    assert _messages("abc", MLPS3) == [
        "The password must have at least 8 characters.",
        "The password must mix at least 3 of: lowercase, uppercase, digits, symbols.",
    ]


def test_no_profile_accepts_more_than_128_characters():
    assert _messages("Ab1!" * 33, MLPS3) == ["The password must have at most 128 characters."]
    assert _messages("a" * 129, ASVS) == ["The password must have at most 128 characters."]


def test_the_password_must_not_contain_the_user_name():
    user = User(username="LiMing")
    assert _messages("xx-liming-2026", MLPS3, user) == ["The password must not contain the user name."]
    assert _messages("my liming password", ASVS, user) == ["The password must not contain the user name."]


def test_mlps3_refuses_reuse_of_the_last_five_passwords(tenant):
    user = make_member(tenant, "sales").user
    used = [PASSWORD] + [f"Blue-sky-2026-{i}" for i in range(1, 6)]
    for old, new in zip(used, used[1:], strict=False):
        password_change(user=user, old_password=old, new_password=new)
    user.refresh_from_db()
    assert user.check_password("Blue-sky-2026-5")

    for recent in used[-5:]:  # the current password and the four before it
        assert _messages(recent, MLPS3, user) == ["The password must differ from the last 5 passwords."]
    passwords.validate(used[0], profile=MLPS3, user=user)  # sixth from last: allowed again
    passwords.validate("Blue-sky-2026-6", profile=MLPS3, user=user)


def test_mlps3_expires_passwords_after_ninety_days(tenant):
    user = make_member(tenant, "sales").user
    now = timezone.now()
    assert not passwords.password_expired(user, now)  # never changed under the policy: no expiry date
    user.password_changed_at = now - timedelta(days=90, minutes=-1)
    assert not passwords.password_expired(user, now)
    user.password_changed_at = now - timedelta(days=90, minutes=1)
    assert passwords.password_expired(user, now)


# --- asvs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["abcdefghijkl", "correct horse battery", "123456789012", "长城长城长城长城长城长城"]
)
def test_asvs_accepts_twelve_characters_without_composition_rules(password):
    passwords.validate(password, profile=ASVS)


def test_asvs_refuses_fewer_than_twelve_characters():
    assert _messages("Abcdef1!xyz", ASVS) == ["The password must have at least 12 characters."]


def test_asvs_allows_reuse_and_never_expires(db):
    user = make_member(make_tenant(password_profile=PasswordProfile.ASVS), "sales").user
    password_change(user=user, old_password=PASSWORD, new_password="first passphrase")
    password_change(user=user, old_password="first passphrase", new_password="second passphrase")
    passwords.validate("first passphrase", profile=ASVS, user=user)
    user.password_changed_at = timezone.now() - timedelta(days=3650)
    assert not passwords.password_expired(user, timezone.now())


# --- the tenant's profile through Django's validator ---------------------------------------------


def test_django_uses_the_tenant_policy_validator():
    assert settings.AUTH_PASSWORD_VALIDATORS == [{"NAME": "tandem.accounts.passwords.TenantPolicyValidator"}]


def test_the_validator_applies_the_profile_of_the_users_tenant(db):
    asvs_user = make_member(make_tenant(password_profile=PasswordProfile.ASVS), "sales").user
    mlps_user = make_member(make_tenant(password_profile=PasswordProfile.CN_MLPS3), "sales").user

    validate_password("plain lowercase words", asvs_user)
    with pytest.raises(ValidationError):
        validate_password("plain lowercase words", mlps_user)
    validate_password("Short1!x", mlps_user)
    with pytest.raises(ValidationError):
        validate_password("Short1!x", asvs_user)


def test_a_user_in_an_asvs_and_an_mlps3_tenant_gets_both_rules(db):
    user = make_member(make_tenant(password_profile=PasswordProfile.ASVS), "sales", username="both").user
    make_member(make_tenant(password_profile=PasswordProfile.CN_MLPS3), "sales", username="both")
    assert passwords.profile_for_user(user) == MLPS3


def test_a_user_without_a_tenant_gets_the_platform_default():
    assert passwords.profile_for_user(None) == MLPS3
    assert passwords.profile_for_user(User(username="new")) == MLPS3


# --- hashing -----------------------------------------------------------------------------------


def test_production_settings_hash_with_argon2_first():
    import tandem.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hashing_works_on_this_machine():
    encoded = make_password("Test-pass-2026!", hasher="argon2")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password("Test-pass-2026!", encoded)
    assert not check_password("Test-pass-2027!", encoded)
