"""Rules, their versions and runs over the API: input and output serializers."""

from __future__ import annotations

from rest_framework import serializers

from tandem.automation import catalog
from tandem.automation.models import ActionRun, Rule, RuleVersion, Run, TriggerType


class RuleVersionOutput(serializers.ModelSerializer):
    class Meta:
        model = RuleVersion
        fields = [
            "id",
            "number",
            "trigger_type",
            "model",
            "trigger",
            "conditions",
            "actions",
            "created_by",
            "created_at",
        ]


class RuleOutput(serializers.ModelSerializer):
    webhook_url = serializers.SerializerMethodField()

    class Meta:
        model = Rule
        fields = [
            "id",
            "name",
            "description",
            "enabled",
            "key",
            "owner",
            "trigger_type",
            "model",
            "trigger",
            "conditions",
            "actions",
            "version",
            "max_failures",
            "consecutive_failures",
            "disabled_reason",
            "webhook_url",
            "created_at",
            "updated_at",
        ]

    def get_webhook_url(self, rule) -> str | None:
        from django.urls import reverse

        if rule.trigger_type != TriggerType.WEBHOOK or not rule.webhook_token:
            return None
        return catalog.absolute(reverse("automation:hook", args=[rule.webhook_token]))


class RuleDetailOutput(RuleOutput):
    versions = RuleVersionOutput(many=True, read_only=True)
    webhook_secret = serializers.SerializerMethodField()

    class Meta(RuleOutput.Meta):
        fields = [*RuleOutput.Meta.fields, "versions", "webhook_secret"]

    def get_webhook_secret(self, rule) -> str | None:
        return rule.webhook_secret or None


class RuleInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    enabled = serializers.BooleanField(required=False, default=True)
    owner = serializers.IntegerField(required=False, allow_null=True)
    max_failures = serializers.IntegerField(required=False, min_value=0, max_value=100, default=5)
    trigger_type = serializers.ChoiceField(choices=TriggerType.choices)
    model = serializers.CharField(required=False, allow_blank=True, default="")
    trigger = serializers.JSONField(required=False, default=dict)
    conditions = serializers.JSONField(required=False, allow_null=True, default=None)
    actions = serializers.JSONField()


class RulePatchInput(RuleInput):
    name = serializers.CharField(max_length=200, required=False)
    trigger_type = serializers.ChoiceField(choices=TriggerType.choices, required=False)
    actions = serializers.JSONField(required=False)


class DryRunInput(serializers.Serializer):
    record_id = serializers.IntegerField(required=False, allow_null=True)
    definition = serializers.JSONField(required=False, help_text="A definition to try instead of the saved one.")


class RunRecordInput(serializers.Serializer):
    record_id = serializers.IntegerField(required=False, allow_null=True)


class ActionRunOutput(serializers.ModelSerializer):
    class Meta:
        model = ActionRun
        fields = [
            "index",
            "action",
            "params",
            "continue_on_failure",
            "status",
            "attempts",
            "next_attempt_at",
            "result",
            "error",
            "started_at",
            "finished_at",
            "duration_ms",
        ]


class RunOutput(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number")

    class Meta:
        model = Run
        fields = [
            "id",
            "rule",
            "version",
            "trigger_type",
            "event_id",
            "event_name",
            "record_model",
            "record_id",
            "record_repr",
            "depth",
            "status",
            "condition_result",
            "triggered_by",
            "created_at",
            "started_at",
            "finished_at",
            "duration_ms",
            "error",
        ]


class RunDetailOutput(RunOutput):
    steps = ActionRunOutput(many=True, read_only=True)

    class Meta(RunOutput.Meta):
        fields = [*RunOutput.Meta.fields, "payload", "condition_trace", "steps"]
