"""Budgets, their lines and modifications (/api/v1/finance/budgets/, budget-lines/, budget-modifications/).

A locked budget refuses direct edits of a line's amounts (400 naming the field) and changes nothing."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import in_tenant, validated, visible
from tandem.core.api.views import TenantCreateListViewSet, TenantViewSet
from tandem.finance.api.serializers.budgets import (
    BudgetCreateInput,
    BudgetLineInput,
    BudgetLineOutput,
    BudgetLineUpdateInput,
    BudgetModificationInput,
    BudgetModificationOutput,
    BudgetOutput,
    BudgetUpdateInput,
)
from tandem.finance.models import BudgetLine, BudgetModification, CostCode, ProjectBudget
from tandem.finance.services import budgets as services
from tandem.projects.models import Project, Task

MAX_ID = 2**63 - 1


def _id(field_name: str, label) -> df.NumberFilter:
    return df.NumberFilter(field_name=field_name, label=label, min_value=1, max_value=MAX_ID, decimal_places=0)


class ProjectFilter(df.FilterSet):
    project = _id("project_id", _("Project"))


class LineFilter(df.FilterSet):
    project = _id("project_id", _("Project"))
    budget = _id("budget_id", _("Budget"))
    cost_code = _id("cost_code_id", _("Cost code"))
    cost_type = df.CharFilter(field_name="cost_type", label=_("Cost type"))


class BudgetViewSet(TenantViewSet):
    """A project's budget: POST {project} returns it (made empty on first use); PATCH the contract value and
    notes; POST lock/ locks it."""

    queryset = ProjectBudget.objects.all()
    serializer_class = BudgetOutput
    permission_object = "finance.projectbudget"
    action_permissions = {"lock": "lock", "create": "view"}
    filterset_class = ProjectFilter
    ordering = ["-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("project")

    def _out(self, budget):
        return BudgetOutput(ProjectBudget.objects.select_related("project").get(pk=budget.pk)).data

    @extend_schema(request=BudgetCreateInput, responses={200: BudgetOutput})
    def create(self, request):
        data = validated(BudgetCreateInput, request.data)
        project = visible(request.access, Project, data["project"], "project")
        budget = services.budget_for(access=request.access, project=project)
        return Response(self._out(budget))

    @extend_schema(request=BudgetUpdateInput, responses=BudgetOutput)
    def partial_update(self, request, pk=None):
        budget = self.get_object()
        data = validated(BudgetUpdateInput, request.data, partial=True)
        budget = services.budget_update(access=request.access, budget=budget, **data)
        return Response(self._out(budget))

    @extend_schema(request=None, responses=BudgetOutput)
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        budget = services.budget_lock(access=request.access, budget=self.get_object())
        return Response(self._out(budget))


class BudgetLineViewSet(TenantViewSet):
    queryset = BudgetLine.objects.all()
    serializer_class = BudgetLineOutput
    permission_object = "finance.budgetline"
    filterset_class = LineFilter
    ordering = ["budget_id", "sort_order", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("cost_code")

    def _refs(self, data: dict) -> dict:
        access = self.request.access
        if "cost_code" in data:
            data["cost_code"] = in_tenant(access, CostCode, data["cost_code"], "cost_code")
        if "task" in data:
            data["task"] = in_tenant(access, Task, data["task"], "task")
        return data

    def _out(self, line):
        return BudgetLineOutput(BudgetLine.objects.select_related("cost_code").get(pk=line.pk)).data

    @extend_schema(request=BudgetLineInput, responses={201: BudgetLineOutput})
    def create(self, request):
        data = validated(BudgetLineInput, request.data)
        budget = visible(request.access, ProjectBudget, data.pop("budget"), "budget", "change")
        line = services.budget_line_create(access=request.access, budget=budget, **self._refs(data))
        return Response(self._out(line), status=status.HTTP_201_CREATED)

    @extend_schema(request=BudgetLineUpdateInput, responses=BudgetLineOutput)
    def partial_update(self, request, pk=None):
        line = self.get_object()
        data = self._refs(validated(BudgetLineUpdateInput, request.data, partial=True))
        line = services.budget_line_update(access=request.access, line=line, **data)
        return Response(self._out(line))

    def destroy(self, request, pk=None):
        services.budget_line_delete(access=request.access, line=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class BudgetModificationViewSet(TenantCreateListViewSet):
    """Transfers between lines of a locked budget; they are never changed or deleted."""

    queryset = BudgetModification.objects.all()
    serializer_class = BudgetModificationOutput
    permission_object = "finance.budgetmodification"
    filterset_class = ProjectFilter
    ordering = ["-id"]

    @extend_schema(request=BudgetModificationInput, responses={201: BudgetModificationOutput})
    def create(self, request):
        access = request.access
        data = validated(BudgetModificationInput, request.data)
        budget = visible(access, ProjectBudget, data["budget"], "budget", "change")
        modification = services.budget_modification_create(
            access=access,
            budget=budget,
            from_line=visible(access, BudgetLine, data["from_line"], "from_line"),
            to_line=visible(access, BudgetLine, data["to_line"], "to_line"),
            amount=data["amount"],
            reason=data["reason"],
        )
        return Response(BudgetModificationOutput(modification).data, status=status.HTTP_201_CREATED)
