"""List filters of the cost center: change orders, commitments and cost records (pages and API)."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.finance.choices import ChangeOrderKind, ChangeOrderStatus, CommitmentKind, CommitmentStatus, CostKind
from tandem.finance.models import ChangeOrder, Commitment, CostRecord

MAX_ID = 2**63 - 1


def _id(field_name: str, label) -> df.NumberFilter:
    return df.NumberFilter(field_name=field_name, label=label, min_value=1, max_value=MAX_ID, decimal_places=0)


class _Search(df.FilterSet):
    q = df.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    project = _id("project_id", _("Project"))
    search_fields: tuple[str, ...] = ()

    def filter_q(self, queryset, _name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for name in self.search_fields:
            condition |= Q(**{f"{name}__icontains": value})
        return queryset.filter(condition)


class ChangeOrderFilter(_Search):
    status = df.ChoiceFilter(choices=ChangeOrderStatus.choices, label=_("Status"))
    kind = df.ChoiceFilter(choices=ChangeOrderKind.choices, label=_("Kind"))
    search_fields = ("number", "title", "project__name")

    class Meta:
        model = ChangeOrder
        fields: list[str] = []


class CommitmentFilter(_Search):
    status = df.ChoiceFilter(choices=CommitmentStatus.choices, label=_("Status"))
    kind = df.ChoiceFilter(choices=CommitmentKind.choices, label=_("Kind"))
    search_fields = ("number", "title", "vendor", "project__name")

    class Meta:
        model = Commitment
        fields: list[str] = []


class CostRecordFilter(_Search):
    kind = df.ChoiceFilter(choices=CostKind.choices, label=_("Kind"))
    after = df.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    before = df.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))
    search_fields = ("vendor", "reference", "description", "project__name")

    class Meta:
        model = CostRecord
        fields: list[str] = []
