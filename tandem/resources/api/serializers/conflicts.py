"""Serializers of the conflicts API (see tandem.resources.api.views.conflicts)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.resources.models import Conflict
from tandem.resources.selectors import conflicts as selectors
from tandem.resources.services.conflict_actions import MAX_REASON


class ConflictOutput(serializers.ModelSerializer):
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    task_name = serializers.CharField(source="task.name", read_only=True, default=None)
    project_name = serializers.CharField(source="project.name", read_only=True, default=None)
    account_tier = serializers.SerializerMethodField()
    critical = serializers.SerializerMethodField()
    float_days = serializers.SerializerMethodField()

    class Meta:
        model = Conflict
        fields = [
            "id",
            "resource",
            "resource_name",
            "start",
            "end",
            "peak_load",
            "overload_minutes",
            "task",
            "task_name",
            "project",
            "project_name",
            "task_ids",
            "project_ids",
            "account_tier",
            "critical",
            "float_days",
            "score",
            "status",
            "detected_at",
            "warned_at",
            "resolved_at",
            "resolution",
        ]

    @extend_schema_field(serializers.CharField())
    def get_account_tier(self, obj) -> str:
        return (obj.factors or {}).get("tier", "")

    @extend_schema_field(serializers.BooleanField())
    def get_critical(self, obj) -> bool:
        return selectors.is_critical(obj)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_float_days(self, obj) -> float | None:
        return (obj.factors or {}).get("float_days")


class FactorOutput(serializers.Serializer):
    key = serializers.CharField(help_text="tier, priority, float, urgency or overload.")
    weight = serializers.FloatField()
    value = serializers.FloatField(help_text="The factor, 0–1.")
    points = serializers.FloatField(help_text="weight × value / Σ weights × 100: its share of the score.")


class ConflictDetailOutput(ConflictOutput):
    formula = serializers.SerializerMethodField(help_text="The formula with the tenant's weights.")
    explained = serializers.SerializerMethodField(help_text="The formula with this conflict's numbers filled in.")
    factors = serializers.SerializerMethodField()

    class Meta(ConflictOutput.Meta):
        fields = [*ConflictOutput.Meta.fields, "formula", "explained", "factors"]

    @extend_schema_field(serializers.CharField())
    def get_formula(self, obj) -> str:
        return (obj.factors or {}).get("formula", "")

    @extend_schema_field(serializers.CharField())
    def get_explained(self, obj) -> str:
        return selectors.score_explained(obj)

    @extend_schema_field(FactorOutput(many=True))
    def get_factors(self, obj) -> list[dict]:
        return selectors.score_parts(obj)


class DismissInput(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_REASON, help_text="Why the overload is accepted as it is.")
