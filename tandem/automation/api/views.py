"""Rules, their versions and runs over the API: /api/v1/automation/rules/, /runs/, /catalog/."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.automation import actions as registry
from tandem.automation import catalog
from tandem.automation.api.serializers import (
    DryRunInput,
    RuleDetailOutput,
    RuleInput,
    RuleOutput,
    RulePatchInput,
    RunDetailOutput,
    RunOutput,
    RunRecordInput,
)
from tandem.automation.filters import RuleFilter, RunFilter
from tandem.automation.models import ActionRun, Rule, RuleVersion, Run, TriggerType
from tandem.automation.services import rules as services
from tandem.core import conditions
from tandem.core.api.inputs import validated
from tandem.core.api.views import TenantReadOnlyViewSet, TenantViewSet


def _fields(data: dict) -> dict:
    fields = dict(data)
    if "owner" in fields and fields["owner"] is None:
        fields.pop("owner")
    return fields


class RuleViewSet(TenantViewSet):
    """Automation rules. Editing the trigger, conditions or actions stores a new version; runs keep theirs."""

    queryset = Rule.objects.select_related("current_version")
    serializer_class = RuleOutput
    permission_object = "automation.rule"
    action_permissions = {"dry_run": "view", "run": "view", "rotate_secret": "change"}
    filterset_class = RuleFilter
    search_fields = ["name", "description"]
    ordering_fields = ["id", "name", "updated_at"]
    ordering = ["name", "id"]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("versions", queryset=RuleVersion.objects.order_by("-number")))
        return qs

    def get_serializer_class(self):
        return RuleDetailOutput if self.action == "retrieve" else RuleOutput

    @extend_schema(request=RuleInput, responses={201: RuleDetailOutput})
    def create(self, request):
        """Create a rule; an invalid trigger, condition or action is a 400 naming the path and the reason."""
        data = _fields(validated(RuleInput, request.data))
        rule = services.rule_create(access=request.access, **data)
        return Response(RuleDetailOutput(rule).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RuleInput, responses={200: RuleDetailOutput})
    def update(self, request, pk=None):
        data = _fields(validated(RuleInput, request.data))
        rule = services.rule_update(access=request.access, rule=self.get_object(), **data)
        return Response(RuleDetailOutput(rule).data)

    @extend_schema(request=RulePatchInput, responses={200: RuleDetailOutput})
    def partial_update(self, request, pk=None):
        data = _fields(validated(RulePatchInput, request.data, partial=True))
        rule = services.rule_update(access=request.access, rule=self.get_object(), **data)
        return Response(RuleDetailOutput(rule).data)

    def destroy(self, request, pk=None):
        services.rule_delete(access=request.access, rule=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=DryRunInput,
        responses={
            200: inline_serializer(
                "DryRunOutput",
                {
                    "conditions": serializers.JSONField(),
                    "record": serializers.JSONField(),
                    "steps": serializers.JSONField(),
                },
            )
        },
    )
    @action(detail=True, methods=["post"], url_path="dry-run")
    def dry_run(self, request, pk=None):
        """What the rule (or the given definition) would do for a record; writes nothing."""
        rule = self.get_object()
        data = validated(DryRunInput, request.data)
        definition = data.get("definition") or rule.current_version.definition()
        report = services.rule_dry_run(
            access=request.access, definition=definition, record_id=data.get("record_id"), rule=rule
        )
        return Response(report)

    @extend_schema(request=RunRecordInput, responses={202: RunOutput})
    @action(detail=True, methods=["post"])
    def run(self, request, pk=None):
        """Run a manual-trigger rule on a record now."""
        data = validated(RunRecordInput, request.data)
        run = services.rule_run_manual(access=request.access, rule=self.get_object(), record_id=data.get("record_id"))
        return Response(RunOutput(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: RuleDetailOutput})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new URL token and signing secret for an inbound-webhook rule; the old ones stop working."""
        rule = services.rule_rotate_webhook_secret(access=request.access, rule=self.get_object())
        return Response(RuleDetailOutput(rule).data)


class RunViewSet(TenantReadOnlyViewSet):
    """The run log: each run with its trigger, rule version, condition result and each action's outcome."""

    queryset = Run.objects.select_related("version")
    serializer_class = RunOutput
    filterset_class = RunFilter
    ordering_fields = ["id", "created_at", "duration_ms"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("steps", queryset=ActionRun.objects.order_by("index")))
        return qs

    def get_serializer_class(self):
        return RunDetailOutput if self.action == "retrieve" else RunOutput


class CatalogView(APIView):
    """What a rule can be made of: trigger types, record types with fields, operators and action types."""

    permission_object = "automation.rule"

    def get_permission_code(self) -> str:
        return "automation.view_rule"

    @extend_schema(
        responses={
            200: inline_serializer(
                "AutomationCatalog",
                {
                    "triggers": serializers.JSONField(),
                    "records": serializers.JSONField(),
                    "operators": serializers.JSONField(),
                    "actions": serializers.JSONField(),
                },
            )
        }
    )
    def get(self, request):
        return Response(
            {
                "triggers": [[value, str(label)] for value, label in TriggerType.choices],
                "records": catalog.describe(),
                "operators": sorted(conditions.OPERATORS),
                "actions": registry.describe(),
            }
        )
