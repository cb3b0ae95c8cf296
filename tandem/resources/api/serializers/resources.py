"""Input and output shapes of the resources API: resources with their skills, skills, leave."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.crm.api.serializers.fields import ref, text
from tandem.resources.choices import LeaveKind, ResourceKind
from tandem.resources.models import Leave, Resource, ResourceSkill, Skill


class ResourceSkillOutput(serializers.ModelSerializer):
    skill_name = serializers.CharField(source="skill.name", read_only=True)

    class Meta:
        model = ResourceSkill
        fields = ["skill", "skill_name", "level"]


class ResourceOutput(serializers.ModelSerializer):
    user_name = serializers.StringRelatedField(source="user", default=None)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    calendar_name = serializers.CharField(source="calendar.name", read_only=True, default=None)
    skills = ResourceSkillOutput(source="skill_levels", many=True, read_only=True)
    capacity_hours = serializers.SerializerMethodField(
        help_text="Hours a day on a full working day: the calendar's day, capped by hours_per_day, × headcount."
    )

    class Meta:
        model = Resource
        fields = [
            "id",
            "kind",
            "name",
            "code",
            "user",
            "user_name",
            "department",
            "department_name",
            "headcount",
            "hours_per_day",
            "calendar",
            "calendar_name",
            "capacity_hours",
            "cost_rate",
            "bill_rate",
            "skills",
            "is_active",
            "notes",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_capacity_hours(self, obj):
        value = self.context.get("capacity", {}).get(obj.pk)
        return None if value is None else str(value)


class SkillLevelInput(serializers.Serializer):
    skill = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="A skill id of the tenant.")
    level = serializers.IntegerField(min_value=1, max_value=5, help_text="1 (basic) to 5 (expert).")


class ResourceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResourceKind.choices, required=False)
    name = serializers.CharField(max_length=100)
    code = text(40)
    user = ref(help_text="The member (user id) this person is; a member has at most one resource. Not for crews.")
    department = ref(help_text="A department id.")
    headcount = serializers.IntegerField(min_value=1, max_value=500, required=False, help_text="People in a crew.")
    hours_per_day = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        min_value=0,
        max_value=24,
        required=False,
        allow_null=True,
        help_text="Caps a person's day; null works the calendar's hours.",
    )
    calendar = ref(help_text="A work calendar id; null uses the member's resource calendar or the tenant default.")
    cost_rate = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    bill_rate = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    is_active = serializers.BooleanField(required=False)
    notes = text(5000)
    skills = SkillLevelInput(
        many=True, required=False, max_length=100, help_text="Replaces all the resource's skills when given."
    )


class SkillOutput(serializers.ModelSerializer):
    resource_count = serializers.IntegerField(read_only=True, help_text="Resources that have the skill.")

    class Meta:
        model = Skill
        fields = ["id", "name", "description", "resource_count", "created_at", "updated_at"]


class SkillInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = text(300)


class LeaveOutput(serializers.ModelSerializer):
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    created_by_name = serializers.StringRelatedField(source="created_by")

    class Meta:
        model = Leave
        fields = [
            "id",
            "resource",
            "resource_name",
            "kind",
            "start",
            "end",
            "hours_off",
            "note",
            "created_by",
            "created_by_name",
            "created_at",
            "updated_at",
        ]


class LeaveInput(serializers.Serializer):
    resource = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The resource id (on create).")
    kind = serializers.ChoiceField(choices=LeaveKind.choices, required=False)
    start = serializers.DateField()
    end = serializers.DateField()
    hours_off = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        min_value=0,
        max_value=24,
        required=False,
        allow_null=True,
        help_text="Hours off each day; null for whole days.",
    )
    note = text(200)


class LeaveUpdateInput(LeaveInput):
    resource = None  # a leave stays with its resource
