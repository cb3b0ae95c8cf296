"""Serializers of the utilisation API (see tandem.resources.api.views.utilisation)."""

from __future__ import annotations

from rest_framework import serializers


class WeekOutput(serializers.Serializer):
    week = serializers.CharField(source="iso_week", help_text="ISO week, e.g. 2026-W10.")
    start = serializers.DateField(source="week", help_text="Its Monday.")
    booked_hours = serializers.FloatField()
    capacity_hours = serializers.FloatField(help_text="Working hours of its calendar × headcount, less leave.")
    load_percent = serializers.IntegerField(source="percent", allow_null=True, help_text="Null without capacity.")
    over_days = serializers.IntegerField(help_text="Days on which the load exceeded the capacity.")
    level = serializers.ChoiceField(choices=["under", "full", "over", "idle"])


class RowOutput(serializers.Serializer):
    id = serializers.IntegerField(source="resource.pk")
    name = serializers.CharField(source="resource.name")
    kind = serializers.CharField(source="resource.kind")
    headcount = serializers.IntegerField(source="resource.headcount")
    department = serializers.IntegerField(source="resource.department_id", allow_null=True)
    skill_level = serializers.IntegerField(allow_null=True, help_text="Its level of the group's skill (by skill).")
    booked_hours = serializers.SerializerMethodField()
    capacity_hours = serializers.SerializerMethodField()
    load_percent = serializers.IntegerField(source="percent", allow_null=True)
    weeks = WeekOutput(many=True, source="cells")

    def get_booked_hours(self, row) -> float:
        return round(row.booked / 60, 1)

    def get_capacity_hours(self, row) -> float:
        return round(row.capacity / 60, 1)


class GroupOutput(serializers.Serializer):
    key = serializers.CharField(help_text='"department-<id>", "skill-<id>", "department-none", "skill-none", "all".')
    label = serializers.CharField()
    resources = RowOutput(many=True, source="rows")


class UtilisationOutput(serializers.Serializer):
    start = serializers.DateField(source="first")
    end = serializers.DateField(source="last")
    group = serializers.CharField()
    weeks = serializers.ListField(child=serializers.DateField(), help_text="The Mondays of the weeks.")
    groups = GroupOutput(many=True)


class CellTaskOutput(serializers.Serializer):
    task = serializers.IntegerField(source="task_id", allow_null=True, help_text="Null: projects you cannot see.")
    name = serializers.CharField()
    hours = serializers.FloatField(help_text="Hours it loads the resource that week.")
    project = serializers.IntegerField(source="project_id", allow_null=True)
    project_label = serializers.CharField()
    start = serializers.DateTimeField(allow_null=True)
    finish = serializers.DateTimeField(allow_null=True)
    is_critical = serializers.BooleanField()
    tier = serializers.CharField(help_text="The customer's tier, or empty.")


class CellOutput(serializers.Serializer):
    resource = serializers.IntegerField(source="resource.pk")
    week = WeekOutput(source="cell")
    tasks = CellTaskOutput(many=True)
