"""A project template's default budget lines (/api/v1/finance/template-budget-lines/)."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from tandem.core.api.inputs import in_tenant, validated
from tandem.core.api.views import TenantViewSet
from tandem.finance.api.serializers.templates import TemplateBudgetLineInput, TemplateBudgetLineOutput
from tandem.finance.api.views.budgets import MAX_ID
from tandem.finance.models import CostCode, TemplateBudgetLine
from tandem.finance.services import templates as services
from tandem.projects.models import ProjectTemplate, TemplateTask


class TemplateBudgetLineFilter(df.FilterSet):
    template = df.NumberFilter(field_name="template_id", label=_("Template"), min_value=1, max_value=MAX_ID)


class TemplateBudgetLineViewSet(TenantViewSet):
    queryset = TemplateBudgetLine.objects.select_related("cost_code")
    serializer_class = TemplateBudgetLineOutput
    permission_object = "finance.budgetline"
    filterset_class = TemplateBudgetLineFilter
    ordering = ["template_id", "sort_order", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _fields(self, data: dict) -> dict:
        access = self.request.access
        if data.get("cost_code") is not None:
            data["cost_code"] = in_tenant(access, CostCode, data["cost_code"], "cost_code")
        if data.get("template_task") is not None:
            data["template_task"] = in_tenant(access, TemplateTask, data["template_task"], "template_task")
        return data

    @extend_schema(request=TemplateBudgetLineInput, responses={201: TemplateBudgetLineOutput})
    def create(self, request):
        data = self._fields(validated(TemplateBudgetLineInput, request.data))
        template = in_tenant(request.access, ProjectTemplate, data.pop("template"), "template")
        line = services.template_budget_line_create(access=request.access, template=template, **data)
        return Response(TemplateBudgetLineOutput(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TemplateBudgetLineInput, responses=TemplateBudgetLineOutput)
    def partial_update(self, request, pk=None):
        data = self._fields(validated(TemplateBudgetLineInput, request.data, partial=True))
        data.pop("template", None)
        line = services.template_budget_line_update(access=request.access, line=self.get_object(), **data)
        return Response(TemplateBudgetLineOutput(line).data)

    def destroy(self, request, pk=None):
        services.template_budget_line_delete(access=request.access, line=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
