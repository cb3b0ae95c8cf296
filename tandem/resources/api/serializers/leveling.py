"""Serializers of the leveling API (see tandem.resources.api.views.leveling)."""

from __future__ import annotations

from rest_framework import serializers

from tandem.resources.models import LevelingProposal
from tandem.resources.services import leveling as services


class ProposalProjectOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    number = serializers.CharField()
    priority = serializers.IntegerField()
    finish_before = serializers.CharField(allow_null=True, help_text="Local date and time, before leveling.")
    finish_after = serializers.CharField(allow_null=True, help_text="Local date and time, after leveling.")


class ProposalTaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    project_id = serializers.IntegerField()
    name = serializers.CharField()
    wbs = serializers.CharField()
    summary = serializers.BooleanField()
    milestone = serializers.BooleanField()
    before_start = serializers.CharField(allow_null=True)
    before_finish = serializers.CharField(allow_null=True)
    after_start = serializers.CharField(allow_null=True)
    after_finish = serializers.CharField(allow_null=True)
    moved = serializers.BooleanField()
    delay_minutes = serializers.IntegerField(help_text="Working minutes later than the resource-free schedule.")
    reason = serializers.ChoiceField(
        choices=["", "resource", "predecessor", "start"],
        help_text="resource: `resource` was over capacity; predecessor: `pushed_by` moved and pushed it.",
    )
    resource = serializers.CharField()
    pushed_by = serializers.CharField()


class ProposalViolationOutput(serializers.Serializer):
    kind = serializers.CharField()
    tasks = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class ProposalOutput(serializers.ModelSerializer):
    projects = ProposalProjectOutput(source="result.projects", many=True)
    tasks = ProposalTaskOutput(source="result.tasks", many=True)
    moved = serializers.IntegerField(source="result.moved", help_text="How many tasks start later.")
    violations = ProposalViolationOutput(
        source="result.violations", many=True, help_text="Latest-date constraints the leveled schedule misses."
    )
    schedules = serializers.IntegerField(source="result.schedules", help_text="Schedules the search generated.")

    class Meta:
        model = LevelingProposal
        fields = [
            "id",
            "status",
            "project_ids",
            "budget",
            "fingerprint",
            "projects",
            "tasks",
            "moved",
            "violations",
            "schedules",
            "created_by",
            "created_at",
            "decided_at",
        ]


class LevelInput(serializers.Serializer):
    budget = serializers.IntegerField(
        required=False, default=1000, min_value=1, max_value=services.MAX_BUDGET, help_text="Schedules to generate."
    )
    projects = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        max_length=services.MAX_PROJECTS,
        help_text="Other projects to level together with this one (a portfolio).",
    )


class AcceptInput(serializers.Serializer):
    proposal = serializers.IntegerField(help_text="The id of the proposal to accept.")
