"""Reads for bulk sends: the accounts a filter matches, batches and the surveys of one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.datastructures import MultiValueDict

from tandem.crm.models import Account
from tandem.feedback.choices import SurveyStatus
from tandem.feedback.filters import BatchAccountFilter
from tandem.feedback.models import Survey, SurveyBatch

FILTER_KEYS = tuple(BatchAccountFilter.base_filters)


def batch_filters(data) -> dict[str, str]:
    """The account filters of a form or JSON body, as the plain strings a batch keeps (empty ones dropped)."""
    if isinstance(data, MultiValueDict):
        data = {key: data.get(key) for key in data}
    data = data if isinstance(data, dict) else {}
    kept = {}
    for key in FILTER_KEYS:
        value = data.get(key)
        if value is None or isinstance(value, (dict, list)):
            continue
        value = ("true" if value else "false") if isinstance(value, bool) else str(value).strip()
        if value:
            kept[key] = value[:200]
    return kept


def account_filterset(*, access, filters: dict) -> BatchAccountFilter:
    """The bound filter of the accounts the member can see; `.is_valid()`, `.errors` and `.qs` as usual."""
    return BatchAccountFilter(filters, queryset=Account.objects.restrict(access).order_by("pk"))


def batch_accounts(*, access, filters: dict) -> QuerySet:
    """The accounts a bulk send with these filters asks (only those the member may see); none if invalid."""
    filterset = account_filterset(access=access, filters=filters)
    if not filterset.is_valid():
        return Account.objects.none()
    return filterset.qs


def batch_list(*, access) -> QuerySet:
    return SurveyBatch.objects.filter(tenant_id=access.tenant_id).select_related("template", "created_by")


def batch_outcomes(*, access, batch: SurveyBatch, status: str, limit: int = 200) -> list[Survey]:
    """The batch's skipped or failed surveys the member may see (with their reason or error), first ones first."""
    assert status in (SurveyStatus.SKIPPED, SurveyStatus.FAILED)
    return list(
        Survey.objects.restrict(access)
        .filter(batch=batch, status=status)
        .select_related("account", "contact")
        .order_by("id")[:limit]
    )
