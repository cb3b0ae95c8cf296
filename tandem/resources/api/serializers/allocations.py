"""Serializers of the allocations API (see tandem.resources.api.views.allocations)."""

from __future__ import annotations

from rest_framework import serializers

from tandem.resources.models import Allocation


class AllocationOutput(serializers.ModelSerializer):
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    resource_kind = serializers.CharField(source="resource.kind", read_only=True)
    task_name = serializers.CharField(source="task.name", read_only=True)
    task_type = serializers.CharField(source="task.task_type", read_only=True)
    task_duration = serializers.IntegerField(
        source="task.duration", read_only=True, help_text="The task's duration in working minutes."
    )
    start = serializers.DateTimeField(source="task.early_start", read_only=True)
    finish = serializers.DateTimeField(source="task.early_finish", read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "project",
            "task",
            "task_name",
            "task_type",
            "task_duration",
            "resource",
            "resource_name",
            "resource_kind",
            "units",
            "hours_per_day",
            "work",
            "start",
            "finish",
            "external_uid",
            "created_by",
            "created_at",
        ]
        extra_kwargs = {
            "units": {"help_text": "Share of the resource's day in percent (100 = full time; a crew of 5 up to 500)."},
            "work": {"help_text": "Planned work in minutes: units × the task's working duration."},
        }


class AllocationCreateInput(serializers.Serializer):
    task = serializers.IntegerField(min_value=1, help_text="The task (not a summary task or milestone).")
    resource = serializers.IntegerField(min_value=1, help_text="An active resource of the tenant.")
    units = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True, help_text="Percent; default 100."
    )
    hours_per_day = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, help_text="Fixed hours instead of units."
    )


class AllocationUpdateInput(serializers.Serializer):
    units = serializers.DecimalField(max_digits=7, decimal_places=2, required=False)
    hours_per_day = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, help_text="null goes back to units."
    )
