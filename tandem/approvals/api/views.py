"""Approvals over the API: flows (admins), approvals (submit, withdraw, void), tasks (approve, reject, transfer,
send back, add an approver, bulk approve). Every write goes through `tandem.approvals.services`."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.approvals import registry, selectors, services
from tandem.approvals.api.serializers import (
    ApprovalAddApproverInput,
    ApprovalBulkApproveInput,
    ApprovalCommentInput,
    ApprovalDetailOutput,
    ApprovalFlowInput,
    ApprovalFlowOutput,
    ApprovalFlowPatchInput,
    ApprovalOutput,
    ApprovalSendBackInput,
    ApprovalSubmitInput,
    ApprovalTaskOutput,
    ApprovalTransferInput,
)
from tandem.approvals.models import Approval, ApprovalStep, ApprovalTask, Flow
from tandem.core.api.inputs import member, members, not_found, validated
from tandem.core.api.views import TenantReadOnlyViewSet, TenantViewSet
from tandem.core.errors import ApplicationError

BOX = OpenApiParameter("box", str, enum=list(selectors.approvals.BOXES), description="todo, done, cc or submitted")


def _with_history(qs):
    """An approval with its tasks and steps, in three queries."""
    return qs.prefetch_related(
        Prefetch("tasks", ApprovalTask.objects.select_related("assignee").order_by("round", "visit", "order", "pk")),
        Prefetch("steps", ApprovalStep.objects.select_related("actor").order_by("created_at", "pk")),
    )


class FlowViewSet(TenantViewSet):
    """Approval flows (审批流) per object type; a changed `definition` is saved as a new version."""

    queryset = Flow.objects.select_related("current_version")
    serializer_class = ApprovalFlowOutput
    permission_object = "approvals.flow"
    ordering = ["object_type", "name", "id"]
    filterset_fields = ["object_type", "is_active"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(request=ApprovalFlowInput, responses={201: ApprovalFlowOutput})
    def create(self, request):
        flow = services.flow_create(access=request.access, **validated(ApprovalFlowInput, request.data))
        return Response(ApprovalFlowOutput(flow).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApprovalFlowPatchInput, responses=ApprovalFlowOutput)
    def partial_update(self, request, pk=None):
        flow = services.flow_update(
            access=request.access, flow=self.get_object(), **validated(ApprovalFlowPatchInput, request.data)
        )
        return Response(ApprovalFlowOutput(flow).data)

    def destroy(self, request, pk=None):
        services.flow_delete(access=request.access, flow=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApprovalViewSet(TenantReadOnlyViewSet):
    """Approvals the caller may read; `?box=submitted` lists their own submissions. Submit a record, withdraw
    your submission, void one (administrators)."""

    queryset = Approval.objects.all()
    serializer_class = ApprovalOutput
    permission_object = "approvals.approval"
    action_permissions = {"submit": "add", "withdraw": "add", "void": "change"}
    filterset_fields = ["object_type", "status"]
    ordering = ["-submitted_at", "-id"]

    def get_queryset(self):
        access = self.request.access
        if self.action == "list" and self.request.query_params.get("box") == "submitted":
            qs = selectors.my_tasks(access=access, box="submitted")
        else:
            qs = selectors.approvals_visible(access)
        qs = qs.select_related("submitter", "flow_version")
        return _with_history(qs) if self.action == "retrieve" else qs

    def get_serializer_class(self):
        return ApprovalDetailOutput if self.action == "retrieve" else ApprovalOutput

    @extend_schema(parameters=[BOX])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _detail(self, approval):
        qs = Approval.objects.filter(pk=approval.pk).select_related("submitter", "flow_version")
        return ApprovalDetailOutput(_with_history(qs).get()).data

    @extend_schema(request=ApprovalSubmitInput, responses={201: ApprovalDetailOutput})
    @action(detail=False, methods=["post"])
    def submit(self, request):
        """Submit a record (e.g. {"object_type": "crm.contract", "object_id": 3}) on its type's active flow."""
        data = validated(ApprovalSubmitInput, request.data)
        approvable = registry.get(data["object_type"])
        if approvable is None:
            raise not_found("object_type")
        record = approvable.model_class.objects.restrict(request.access, "view").filter(pk=data["object_id"]).first()
        if record is None:
            raise not_found("object_id")
        approval = services.approval_submit(
            access=request.access, obj=record, chosen=data["chosen"], comment=data["comment"]
        )
        return Response(self._detail(approval), status=status.HTTP_201_CREATED)

    @extend_schema(request=ApprovalCommentInput, responses=ApprovalDetailOutput)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The submitter takes a pending approval back (撤回)."""
        data = validated(ApprovalCommentInput, request.data)
        approval = services.approval_withdraw(
            access=request.access, approval=self.get_object(), comment=data["comment"]
        )
        return Response(self._detail(approval))

    @extend_schema(request=ApprovalCommentInput, responses=ApprovalDetailOutput)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void an approval (作废; administrators, a comment is required)."""
        data = validated(ApprovalCommentInput, request.data)
        approval = services.approval_void(access=request.access, approval=self.get_object(), comment=data["comment"])
        return Response(self._detail(approval))


class TaskViewSet(TenantReadOnlyViewSet):
    """The caller's approval tasks: `?box=todo` (default), `done` or `cc`; act on one, or approve several."""

    queryset = ApprovalTask.objects.all()
    serializer_class = ApprovalTaskOutput
    permission_object = "approvals.approval"
    action_permissions = {
        "approve": "view",
        "reject": "view",
        "transfer": "view",
        "send_back": "view",
        "add_approver": "view",
        "read": "view",
        "bulk_approve": "view",
    }
    ordering_fields = ["created_at", "acted_at", "id"]

    def get_queryset(self):
        access = self.request.access
        if self.action == "list":
            box = self.request.query_params.get("box") or "todo"
            filters = {
                k: self.request.query_params.get(k) for k in ("object_type", "submitter", "date_from", "date_to")
            }
            return selectors.my_tasks(access=access, box=box, filters=filters)
        # Acting on or reading a task: the caller's own tasks only; anyone else's is not found.
        return ApprovalTask.objects.filter(tenant_id=access.tenant_id, assignee_id=access.user_id).select_related(
            "approval", "approval__submitter", "approval__flow_version"
        )

    @extend_schema(parameters=[BOX])
    def list(self, request, *args, **kwargs):
        if request.query_params.get("box", "todo") not in ("todo", "done", "cc"):
            message = _("Choose the box: todo, done or cc.")
            raise ApplicationError(message, errors={"box": [message]})
        return super().list(request, *args, **kwargs)

    def _out(self, task):
        return Response(ApprovalTaskOutput(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=ApprovalCommentInput, responses=ApprovalTaskOutput)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        task = self.get_object()
        services.approval_approve(access=request.access, task=task, **validated(ApprovalCommentInput, request.data))
        return self._out(task)

    @extend_schema(request=ApprovalCommentInput, responses=ApprovalTaskOutput)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        task = self.get_object()
        services.approval_reject(access=request.access, task=task, **validated(ApprovalCommentInput, request.data))
        return self._out(task)

    @extend_schema(request=ApprovalTransferInput, responses=ApprovalTaskOutput)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Hand the task to another member (转交); answers the new task (now theirs, so only its id and status)."""
        task = self.get_object()
        data = validated(ApprovalTransferInput, request.data)
        to_user = member(request.access, data["to_user"], "to_user")
        new = services.approval_transfer(access=request.access, task=task, to_user=to_user, comment=data["comment"])
        return Response({"id": new.pk, "status": new.status, "assignee": new.assignee_id})

    @extend_schema(request=ApprovalSendBackInput, responses=ApprovalTaskOutput)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        task = self.get_object()
        data = validated(ApprovalSendBackInput, request.data)
        services.approval_send_back(access=request.access, task=task, **data)
        return self._out(task)

    @extend_schema(request=ApprovalAddApproverInput, responses=ApprovalTaskOutput)
    @action(detail=True, methods=["post"], url_path="add-approver")
    def add_approver(self, request, pk=None):
        task = self.get_object()
        data = validated(ApprovalAddApproverInput, request.data)
        users = members(request.access, data.pop("users"), "users")
        services.approval_add_approver(access=request.access, task=task, users=users, **data)
        return self._out(task)

    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark a CC read."""
        task = self.get_object()
        services.task_mark_read(access=request.access, task=task)
        return self._out(task)

    @extend_schema(request=ApprovalBulkApproveInput)
    @action(detail=False, methods=["post"], url_path="bulk-approve")
    def bulk_approve(self, request):
        """Approve several of your tasks: {"approved": [ids], "failed": {id: reason}}."""
        data = validated(ApprovalBulkApproveInput, request.data)
        mine = {t.pk: t for t in self.get_queryset().filter(pk__in=data["tasks"])}
        missing = {str(pk): _("Not found.") for pk in data["tasks"] if pk not in mine}
        result = services.approval_bulk_approve(
            access=request.access, tasks=list(mine.values()), comment=data["comment"]
        )
        result["failed"] = {**{str(k): v for k, v in result["failed"].items()}, **missing}
        return Response(result)
