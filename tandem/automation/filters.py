"""Filters of the rule and run lists of the API."""

from __future__ import annotations

from django_filters import rest_framework as filters

from tandem.automation.models import Rule, Run, RunStatus, TriggerType


class RuleFilter(filters.FilterSet):
    trigger_type = filters.ChoiceFilter(choices=TriggerType.choices)

    class Meta:
        model = Rule
        fields = ["enabled", "trigger_type", "model", "key"]


class RunFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=RunStatus.choices)
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Run
        fields = ["rule", "status", "record_model", "record_id", "event_name"]
