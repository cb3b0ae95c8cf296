"""Serializers of the suggestions API (see tandem.resources.api.views.suggestions)."""

from __future__ import annotations

from rest_framework import serializers

from tandem.resources.choices import SuggestionKind
from tandem.resources.models import StaffRequest


class EffectOutput(serializers.Serializer):
    project_id = serializers.IntegerField()
    project_name = serializers.CharField()
    finish_before = serializers.DateField(allow_null=True, help_text="The project's finish as scheduled now.")
    finish_after = serializers.DateField(allow_null=True, help_text="Its finish with the suggestion applied.")
    delay_days = serializers.IntegerField(help_text="Calendar days later (negative: earlier).")
    label = serializers.CharField(help_text="The effect in words, e.g. “Finish date unchanged”, “+2 days”.")


class LoadOutput(serializers.Serializer):
    resource_id = serializers.IntegerField()
    resource_name = serializers.CharField()
    before = serializers.IntegerField(help_text="Peak load (%) on the days concerned, now.")
    after = serializers.IntegerField(help_text="Peak load (%) with the suggestion applied.")


class RequestDraftOutput(serializers.Serializer):
    skill_id = serializers.IntegerField(allow_null=True)
    skill_name = serializers.CharField()
    hours = serializers.DecimalField(max_digits=8, decimal_places=2)
    start = serializers.DateField()
    end = serializers.DateField()


class SuggestionOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SuggestionKind.choices)
    key = serializers.CharField(help_text="Names the suggestion when applying it.")
    fingerprint = serializers.CharField(help_text="The state it was computed from; send it back to apply.")
    title = serializers.CharField()
    detail = serializers.CharField()
    task_id = serializers.IntegerField(allow_null=True)
    task_name = serializers.CharField()
    project_id = serializers.IntegerField(allow_null=True)
    resource_id = serializers.IntegerField(help_text="The overloaded resource.")
    other_resource_id = serializers.IntegerField(allow_null=True, help_text="Swapped or split in.")
    other_resource_name = serializers.CharField()
    start = serializers.DateField(allow_null=True, help_text="A move's new start.")
    units = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True, help_text="A split's share.")
    clears = serializers.BooleanField(help_text="Whether it clears the overload (not only eases it).")
    delay_days = serializers.IntegerField(help_text="The largest finish delay over the projects.")
    effects = EffectOutput(many=True)
    loads = LoadOutput(many=True)
    request = RequestDraftOutput(required=False, help_text="A staff request's skill, hours and dates.")


class ApplyInput(serializers.Serializer):
    key = serializers.CharField(max_length=200)
    fingerprint = serializers.CharField(max_length=64)


class ApplyOutput(serializers.Serializer):
    suggestion = SuggestionOutput()
    conflict_status = serializers.CharField()
    resolved = serializers.BooleanField()
    staff_request = serializers.IntegerField(allow_null=True, help_text="The staff request raised, if one was.")


class StaffRequestOutput(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    task_name = serializers.CharField(source="task.name", read_only=True, default=None)
    skill_name = serializers.CharField(source="skill.name", read_only=True, default=None)
    filled_by_name = serializers.CharField(source="filled_by.name", read_only=True, default=None)
    requested_by_name = serializers.StringRelatedField(source="requested_by")

    class Meta:
        model = StaffRequest
        fields = [
            "id",
            "number",
            "conflict",
            "project",
            "project_name",
            "task",
            "task_name",
            "skill",
            "skill_name",
            "start",
            "end",
            "hours",
            "note",
            "status",
            "filled_by",
            "filled_by_name",
            "requested_by",
            "requested_by_name",
            "created_at",
            "updated_at",
        ]


def _ref(**kwargs):
    return serializers.IntegerField(required=False, allow_null=True, min_value=1, **kwargs)


class StaffRequestInput(serializers.Serializer):
    project = _ref(help_text="The project (id); required on create.")
    task = _ref(help_text="A task of the project.")
    conflict = _ref(help_text="The conflict it comes from.")
    skill = _ref(help_text="The skill needed.")
    start = serializers.DateField()
    end = serializers.DateField()
    hours = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class StaffRequestUpdateInput(serializers.Serializer):
    skill = _ref()
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    hours = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, required=False)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class StaffRequestCloseInput(serializers.Serializer):
    resource = _ref(help_text="Who fills it (resource id); fulfil only.")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
