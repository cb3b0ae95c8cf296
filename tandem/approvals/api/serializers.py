"""Input and output shapes of the approvals API (`definition` is the flow's JSON, see `approvals.definition`)."""

from __future__ import annotations

from rest_framework import serializers

from tandem.approvals.choices import AddPosition
from tandem.approvals.models import Approval, ApprovalStep, ApprovalTask, Flow


class ApprovalFlowOutput(serializers.ModelSerializer):
    version = serializers.IntegerField(source="current_version.number", default=None, read_only=True)
    definition = serializers.JSONField(source="current_version.definition", default=None, read_only=True)

    class Meta:
        model = Flow
        fields = ["id", "object_type", "name", "description", "is_active", "version", "definition", "updated_at"]


class ApprovalFlowInput(serializers.Serializer):
    object_type = serializers.CharField(max_length=60)
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)
    definition = serializers.JSONField()


class ApprovalFlowPatchInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    definition = serializers.JSONField(required=False)


class ApprovalOutput(serializers.ModelSerializer):
    submitter_name = serializers.StringRelatedField(source="submitter")
    flow_version = serializers.IntegerField(source="flow_version.number", read_only=True)
    flow = serializers.IntegerField(source="flow_version.flow_id", read_only=True)

    class Meta:
        model = Approval
        fields = [
            "id",
            "object_type",
            "object_id",
            "title",
            "status",
            "flow",
            "flow_version",
            "branch_key",
            "current_node",
            "round",
            "submitter",
            "submitter_name",
            "submitted_at",
            "decided_at",
        ]


class ApprovalTaskOutput(serializers.ModelSerializer):
    assignee_name = serializers.StringRelatedField(source="assignee")
    approval = ApprovalOutput(read_only=True)

    class Meta:
        model = ApprovalTask
        fields = [
            "id",
            "approval",
            "node_key",
            "node_name",
            "round",
            "kind",
            "status",
            "assignee",
            "assignee_name",
            "added_by",
            "transferred_from",
            "comment",
            "created_at",
            "acted_at",
            "read_at",
        ]


class ApprovalTaskLineOutput(ApprovalTaskOutput):
    class Meta(ApprovalTaskOutput.Meta):
        fields = [f for f in ApprovalTaskOutput.Meta.fields if f != "approval"]


class ApprovalStepOutput(serializers.ModelSerializer):
    actor_name = serializers.StringRelatedField(source="actor")

    class Meta:
        model = ApprovalStep
        fields = ["id", "action", "actor", "actor_name", "node_key", "round", "comment", "data", "created_at"]


class ApprovalDetailOutput(ApprovalOutput):
    values = serializers.JSONField(read_only=True)
    tasks = ApprovalTaskLineOutput(many=True, read_only=True)
    steps = ApprovalStepOutput(many=True, read_only=True)

    class Meta(ApprovalOutput.Meta):
        fields = [*ApprovalOutput.Meta.fields, "values", "chosen", "tasks", "steps"]


class ApprovalSubmitInput(serializers.Serializer):
    object_type = serializers.CharField(max_length=60)
    object_id = serializers.IntegerField()
    chosen = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(), max_length=50), required=False, default=dict
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ApprovalCommentInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ApprovalTransferInput(ApprovalCommentInput):
    to_user = serializers.IntegerField()


class ApprovalSendBackInput(ApprovalCommentInput):
    to_node_key = serializers.CharField(max_length=50)


class ApprovalAddApproverInput(ApprovalCommentInput):
    users = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=20)
    position = serializers.ChoiceField(choices=AddPosition.choices, required=False, default=AddPosition.AFTER)


class ApprovalBulkApproveInput(ApprovalCommentInput):
    tasks = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=200)
