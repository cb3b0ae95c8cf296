"""The suggestions API: a conflict's ranked suggestions with their effects, applying one; staff requests.

    GET  /api/v1/resources/conflicts/{id}/suggestions/         the suggestions, best first
    POST /api/v1/resources/conflicts/{id}/suggestions/apply/   {key, fingerprint} → what was done
    /api/v1/resources/staff-requests/                          list, create, read, change; …/fulfil/, …/decline/

Every write goes through `tandem.resources.services.suggestions` and `…staff_requests`.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import in_tenant, resolve, validated
from tandem.core.api.permissions import ActionPermissionMixin
from tandem.core.api.views import IdempotentPostMixin, TenantViewSet
from tandem.projects.models import Project, Task
from tandem.resources.choices import StaffRequestStatus, SuggestionKind
from tandem.resources.models import Conflict, Resource, Skill, StaffRequest
from tandem.resources.services import staff_requests as request_services
from tandem.resources.services import suggestions as services


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


def _suggestion(s) -> dict:
    data = s.as_dict()
    if not data["request"]:
        data.pop("request")
    return data


class ConflictSuggestionViewSet(ActionPermissionMixin, IdempotentPostMixin, viewsets.GenericViewSet):
    """The suggestions of one open conflict, ranked: no finish delay first, then the least disruption."""

    queryset = Conflict.objects.none()  # the conflict is loaded within the caller's reach by `_conflict`
    permission_object = "resources.conflict"
    action_permissions = {"list": "view", "apply": "change"}
    pagination_class = None
    serializer_class = SuggestionOutput

    def _conflict(self, action: str) -> Conflict:
        pk = self.kwargs.get("conflict_pk")
        conflict = Conflict.objects.restrict(self.request.access, action).filter(pk=pk).first()
        if conflict is None:
            raise Http404
        return conflict

    @extend_schema(
        parameters=[OpenApiParameter("conflict_pk", int, OpenApiParameter.PATH)],
        responses=SuggestionOutput(many=True),
    )
    def list(self, request, conflict_pk=None):
        conflict = self._conflict("view")
        found = services.conflict_suggestions(access=request.access, conflict=conflict)
        return Response([_suggestion(s) for s in found])

    @extend_schema(
        parameters=[OpenApiParameter("conflict_pk", int, OpenApiParameter.PATH)],
        request=ApplyInput,
        responses=ApplyOutput,
    )
    @action(detail=False, methods=["post"])
    def apply(self, request, conflict_pk=None):
        """Apply one suggestion (400 with code `stale` when the data changed since it was computed)."""
        conflict = self._conflict("change")
        data = validated(ApplyInput, request.data)
        applied = services.suggestion_apply(access=request.access, conflict=conflict, **data)
        return Response(
            {
                "suggestion": _suggestion(applied.suggestion),
                "conflict_status": applied.conflict.status,
                "resolved": applied.resolved,
                "staff_request": applied.staff_request.pk if applied.staff_request else None,
            }
        )


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


REFS = {"project": (Project, "view"), "task": (Task, "view")}


def _in_tenant(access, data: dict) -> dict:
    for field, model in (("conflict", Conflict), ("skill", Skill), ("resource", Resource)):
        if field in data:
            data[field] = in_tenant(access, model, data[field], field)
    return data


class StaffRequestViewSet(TenantViewSet):
    """Requests for extra staff (增援申请) for the resource managers; close one with /fulfil/ or /decline/.
    Filter by `?status=open|fulfilled|declined`."""

    queryset = StaffRequest.objects.select_related("project", "task", "skill", "filled_by", "requested_by")
    serializer_class = StaffRequestOutput
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"fulfil": "change", "decline": "change"}

    def get_queryset(self):
        qs = super().get_queryset()
        value = self.request.query_params.get("status", "")
        return qs.filter(status=value) if value in StaffRequestStatus.values else qs

    def _out(self, item):
        return StaffRequestOutput(self.queryset.get(pk=item.pk)).data

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=StaffRequestStatus.values, required=False)],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=StaffRequestInput, responses={201: StaffRequestOutput})
    def create(self, request):
        data = _in_tenant(request.access, resolve(request.access, validated(StaffRequestInput, request.data), REFS))
        item = request_services.staff_request_create(access=request.access, **data)
        return Response(self._out(item), status=status.HTTP_201_CREATED)

    @extend_schema(request=StaffRequestUpdateInput, responses=StaffRequestOutput)
    def partial_update(self, request, pk=None):
        item = self.get_object()
        data = _in_tenant(request.access, validated(StaffRequestUpdateInput, request.data, partial=True))
        item = request_services.staff_request_update(access=request.access, request=item, **data)
        return Response(self._out(item))

    @extend_schema(request=StaffRequestCloseInput, responses=StaffRequestOutput)
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        item = self.get_object()
        data = _in_tenant(request.access, validated(StaffRequestCloseInput, request.data))
        item = request_services.staff_request_fulfil(access=request.access, request=item, **data)
        return Response(self._out(item))

    @extend_schema(request=StaffRequestCloseInput, responses=StaffRequestOutput)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        item = self.get_object()
        data = validated(StaffRequestCloseInput, request.data)
        item = request_services.staff_request_decline(access=request.access, request=item, note=data.get("note", ""))
        return Response(self._out(item))
