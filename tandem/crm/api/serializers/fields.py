"""Field helpers shared by the serializers: amounts out and in, optional text, ids of related records."""

from decimal import Decimal

from rest_framework import serializers

CENT = Decimal("0.01")


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=18, decimal_places=2, **kwargs)


MAX_ID = 2**63 - 1


def money_input(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, **kwargs)


# A completion percent is unbounded above: a target of 0.01 against millions signed is billions of percent.
PERCENT_DIGITS = 30


def percent_output(**kwargs) -> serializers.DecimalField:
    """Actual against target in %, one decimal, wide enough for any target the input accepts."""
    return serializers.DecimalField(max_digits=PERCENT_DIGITS, decimal_places=1, allow_null=True, **kwargs)


def text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


def ref(**kwargs) -> serializers.IntegerField:
    """The id of a related record, resolved within the caller's reach by the view."""
    return serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID, **kwargs)
