"""What the finance services share: refusals with a field, reach checks, money in fen, the refresh after money
moves."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError, NotFound
from tandem.finance.costing import fen


def refuse(field: str, message, *, code: str = "invalid"):
    raise ApplicationError(message, errors={field: [message]}, code=code)


def in_reach(access, obj, action: str = "change") -> None:
    """The record must be within the caller's data scope for the action (a record out of reach is a 404)."""
    if obj is None:
        return
    if not type(obj).objects.restrict(access, action).filter(pk=obj.pk).exists():
        raise NotFound(_("Not found."), code="not_found")


def money(value, field: str, *, positive: bool = False, allow_zero: bool = True) -> Decimal:
    """A money input as a Decimal rounded half up to the fen (分)."""
    try:
        amount = fen(Decimal(str(value)))
    except (InvalidOperation, TypeError, ValueError):
        refuse(field, _("Enter an amount."))
    if positive and amount <= 0:
        refuse(field, _("The amount must be greater than zero."))
    if not allow_zero and amount == 0:
        refuse(field, _("The amount cannot be zero."))
    return amount


def decimal(value, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        refuse(field, _("Enter a number."))


def money_moved(tenant_id: int, project_id: int) -> None:
    """After every write that moves money: the project's cost alerts open or close."""
    from tandem.finance.services.alerts import cost_alerts_refresh

    cost_alerts_refresh(tenant_id=tenant_id, project_id=project_id)
