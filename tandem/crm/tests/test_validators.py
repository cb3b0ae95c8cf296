"""Credit codes (GB 32100-2015 check character) and phone numbers (CN by default)."""

import pytest
from django.core.exceptions import ValidationError

from tandem.crm.validators import normalize_credit_code, normalize_phone, validate_credit_code

VALID_CODE = "91110000600037341L"


def test_a_valid_credit_code_passes_and_is_normalised():
    assert normalize_credit_code(" 9111 0000-6000 37341l ") == VALID_CODE
    validate_credit_code(VALID_CODE)
    validate_credit_code("")


@pytest.mark.parametrize(
    "code", ["91110000600037341A", "9111000060003734", "91110000600037341LX", "ABCDEFGHIJKLMNOPQR"]
)
def test_a_wrong_check_character_or_length_is_refused(code):
    with pytest.raises(ValidationError):
        validate_credit_code(code)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("13901023457", "13901023457"),
        ("+86 139 0102 3457", "13901023457"),
        ("139-0102-3457", "13901023457"),
        ("010-62345678", "01062345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("", ""),
    ],
)
def test_phone_numbers_are_normalised(raw, normalised):
    assert normalize_phone(raw) == normalised


@pytest.mark.parametrize("raw", ["12345", "not a phone", "1390102345"])
def test_impossible_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)
