"""Validation and normalisation of Chinese business identifiers and phone numbers."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

DEFAULT_PHONE_REGION = "CN"


def normalize_credit_code(value: str) -> str:
    """Upper case without spaces or hyphens, the form the code is printed in on a business licence."""
    return "".join((value or "").split()).replace("-", "").upper()


def validate_credit_code(value: str) -> None:
    """A unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters with a check character."""
    if value and not uscc.is_valid(value):
        raise ValidationError(
            _("Not a valid unified social credit code: 18 characters ending in a check character."),
            code="invalid_credit_code",
        )


def normalize_phone(value: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """A phone number in one comparable form: Chinese numbers as dialled at home (13901023457,
    01062345678), others in E.164 (+4420...). Raises ValidationError when it cannot be a number."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Not a phone number."), code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Not a valid phone number."), code="invalid_phone")
    if phonenumbers.region_code_for_number(number) == DEFAULT_PHONE_REGION:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        extension = f"-{number.extension}" if number.extension else ""
        return "".join(ch for ch in national.split(" ext.")[0] if ch.isdigit()) + extension
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    if value:
        normalize_phone(value)
