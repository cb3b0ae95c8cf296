"""Cost alerts (read-only, /api/v1/finance/alerts/)."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.core.api.views import TenantReadOnlyViewSet
from tandem.finance.api.serializers.alerts import CostAlertOutput
from tandem.finance.api.views.budgets import MAX_ID
from tandem.finance.models import CostAlert


class CostAlertFilter(df.FilterSet):
    project = df.NumberFilter(field_name="project_id", label=_("Project"), min_value=1, max_value=MAX_ID)
    kind = df.CharFilter(field_name="kind", label=_("Kind"))
    open = df.BooleanFilter(field_name="closed_at", lookup_expr="isnull", label=pgettext_lazy("cost alert", "Open"))


class CostAlertViewSet(TenantReadOnlyViewSet):
    queryset = CostAlert.objects.all()
    serializer_class = CostAlertOutput
    permission_object = "finance.costalert"
    filterset_class = CostAlertFilter
    ordering = ["-opened_at", "-id"]
