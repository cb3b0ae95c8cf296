"""The suggestions API: a conflict's ranked suggestions with their effects, applying one; staff requests.

    GET  /api/v1/resources/conflicts/{id}/suggestions/         the suggestions, best first
    POST /api/v1/resources/conflicts/{id}/suggestions/apply/   {key, fingerprint} → what was done
    /api/v1/resources/staff-requests/                          list, create, read, change; …/fulfil/, …/decline/

Every write goes through `tandem.resources.services.suggestions` and `…staff_requests`.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import in_tenant, resolve, validated
from tandem.core.api.permissions import ActionPermissionMixin
from tandem.core.api.views import IdempotentPostMixin, TenantViewSet
from tandem.projects.models import Project, Task
from tandem.resources.api.serializers.suggestions import (
    ApplyInput,
    ApplyOutput,
    StaffRequestCloseInput,
    StaffRequestInput,
    StaffRequestOutput,
    StaffRequestUpdateInput,
    SuggestionOutput,
)
from tandem.resources.choices import StaffRequestStatus
from tandem.resources.models import Conflict, Resource, Skill, StaffRequest
from tandem.resources.services import staff_requests as request_services
from tandem.resources.services import suggestions as services


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
