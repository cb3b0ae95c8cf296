"""Field helpers shared by the output serializers."""

from decimal import Decimal

from rest_framework import serializers

CENT = Decimal("0.01")


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=18, decimal_places=2, **kwargs)
