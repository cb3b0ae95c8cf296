"""Actual costs (/api/v1/finance/cost-records/): direct costs and invoices against commitments; postings from
other records (day-work labor) are read here and changed at their source."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from tandem.core.api.inputs import validated, visible
from tandem.core.api.views import TenantViewSet
from tandem.finance.api.serializers.actuals import CostRecordInput, CostRecordOutput, CostRecordUpdateInput
from tandem.finance.api.views.budgets import MAX_ID
from tandem.finance.models import BudgetLine, Commitment, CostRecord
from tandem.finance.services import actuals as services
from tandem.projects.models import Project


class CostRecordFilter(df.FilterSet):
    project = df.NumberFilter(field_name="project_id", label=_("Project"), min_value=1, max_value=MAX_ID)
    budget_line = df.NumberFilter(field_name="budget_line_id", label=_("Budget line"), min_value=1, max_value=MAX_ID)
    commitment = df.NumberFilter(field_name="commitment_id", label=_("Commitment"), min_value=1, max_value=MAX_ID)
    kind = df.CharFilter(field_name="kind", label=_("Kind"))
    date_from = df.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = df.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))


class CostRecordViewSet(TenantViewSet):
    queryset = CostRecord.objects.all()
    serializer_class = CostRecordOutput
    permission_object = "finance.costrecord"
    filterset_class = CostRecordFilter
    ordering = ["-date", "-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(request=CostRecordInput, responses={201: CostRecordOutput})
    def create(self, request):
        access = request.access
        data = validated(CostRecordInput, request.data)
        project = visible(access, Project, data.pop("project"), "project")
        data["budget_line"] = visible(access, BudgetLine, data["budget_line"], "budget_line")
        if data.get("commitment") is not None:
            data["commitment"] = visible(access, Commitment, data["commitment"], "commitment")
        record = services.cost_record_create(access=access, project=project, **data)
        return Response(CostRecordOutput(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CostRecordUpdateInput, responses=CostRecordOutput)
    def partial_update(self, request, pk=None):
        record = self.get_object()
        data = validated(CostRecordUpdateInput, request.data, partial=True)
        if "budget_line" in data:
            data["budget_line"] = visible(request.access, BudgetLine, data["budget_line"], "budget_line")
        record = services.cost_record_update(access=request.access, record=record, **data)
        return Response(CostRecordOutput(record).data)

    def destroy(self, request, pk=None):
        services.cost_record_delete(access=request.access, record=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
