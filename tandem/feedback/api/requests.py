"""The service request (客服工单) API: CRUD, moving a request on, assigning it, the list as a file.

Every write goes through `tandem.feedback.services.requests`; input and output shapes are separate.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import member, resolve, validated
from tandem.core.exports import Column
from tandem.crm.api.serializers.fields import ref, text
from tandem.crm.api.views.common import CrmViewSet, ExportMixin
from tandem.crm.models import Account, Contact
from tandem.feedback.choices import RequestCategory, RequestChannel, RequestPriority, RequestStatus
from tandem.feedback.filters import ServiceRequestFilter
from tandem.feedback.models import ServiceRequest
from tandem.feedback.selectors.requests import request_related
from tandem.feedback.services import requests as request_services
from tandem.projects.models import Project

ASSIGNEE = pgettext_lazy("service request", "Assignee")
REFS = {"account": (Account, "view"), "contact": (Contact, "view"), "project": (Project, "view"), "owner": "user"}


class ServiceRequestOutput(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    contact_name = serializers.CharField(source="contact.name", read_only=True, default=None)
    project_number = serializers.CharField(source="project.number", read_only=True, default=None)
    owner_name = serializers.StringRelatedField(source="owner")

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "number",
            "account",
            "account_name",
            "contact",
            "contact_name",
            "project",
            "project_number",
            "survey_response",
            "channel",
            "category",
            "priority",
            "subject",
            "description",
            "status",
            "resolution",
            "owner",
            "owner_name",
            "opened_at",
            "response_due_at",
            "first_response_at",
            "resolve_due_at",
            "resolved_at",
            "closed_at",
            "reopened",
            "automation_rule_name",
            "created_at",
            "updated_at",
        ]


class ServiceRequestInput(serializers.Serializer):
    account = ref(help_text="The customer (account id); required on create.")
    contact = ref(help_text="A contact of the account.")
    project = ref(help_text="A project of the account.")
    channel = serializers.ChoiceField(choices=RequestChannel.choices, required=False)
    category = serializers.ChoiceField(choices=RequestCategory.choices, required=False)
    priority = serializers.ChoiceField(
        choices=RequestPriority.choices, required=False, help_text="Sets the SLA deadlines."
    )
    subject = serializers.CharField(max_length=200)
    description = text(10000)
    owner = ref(help_text="The assignee (user id); a request with one starts assigned.")


class ServiceRequestTransitionInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    resolution = text(5000, help_text="How it was resolved; required to resolve it the first time.")


class ServiceRequestAssignInput(serializers.Serializer):
    owner = serializers.IntegerField(min_value=1, help_text="The new assignee (user id).")


def request_columns(access) -> list[Column]:
    """The columns of the service request export."""
    return [
        Column(gettext_lazy("Number"), lambda r: r.number),
        Column(gettext_lazy("Subject"), lambda r: r.subject),
        Column(gettext_lazy("Account"), lambda r: r.account.name),
        Column(gettext_lazy("Contact"), lambda r: r.contact.name if r.contact_id else ""),
        Column(gettext_lazy("Project"), lambda r: r.project.number if r.project_id else ""),
        Column(pgettext_lazy("service request", "Channel"), lambda r: r.get_channel_display()),
        Column(gettext_lazy("Category"), lambda r: r.get_category_display()),
        Column(gettext_lazy("Priority"), lambda r: r.get_priority_display()),
        Column(gettext_lazy("Status"), lambda r: r.get_status_display()),
        Column(ASSIGNEE, lambda r: str(r.owner) if r.owner_id else ""),
        Column(gettext_lazy("Opened at"), lambda r: r.opened_at),
        Column(gettext_lazy("First response due"), lambda r: r.response_due_at),
        Column(gettext_lazy("First response at"), lambda r: r.first_response_at),
        Column(gettext_lazy("Resolution due"), lambda r: r.resolve_due_at),
        Column(gettext_lazy("Resolved at"), lambda r: r.resolved_at),
        Column(gettext_lazy("Resolution"), lambda r: r.resolution),
    ]


class ServiceRequestViewSet(ExportMixin, CrmViewSet):
    """Service requests (客服工单) with their SLA deadlines; move them on with /transition/, hand them over with
    /assign/. Filters as on the list page: status, priority, category, channel, owner, account, overdue."""

    queryset = ServiceRequest.objects.all()
    serializer_class = ServiceRequestOutput
    filterset_class = ServiceRequestFilter
    ordering_fields = ["id", "number", "opened_at", "priority", "status", "response_due_at", "resolve_due_at"]
    ordering = ["-id"]
    action_permissions = {"export": "export", "transition": "change", "assign": "change"}
    export_columns = staticmethod(request_columns)
    export_basename = "service-requests"

    def related(self, qs):
        return request_related(qs)

    def _out(self, item):
        return ServiceRequestOutput(request_related(ServiceRequest.objects.filter(pk=item.pk)).get()).data

    @extend_schema(request=ServiceRequestInput, responses={201: ServiceRequestOutput})
    def create(self, request):
        data = resolve(request.access, validated(ServiceRequestInput, request.data), REFS)
        item = request_services.request_create(access=request.access, **data)
        return Response(self._out(item), status=status.HTTP_201_CREATED)

    @extend_schema(request=ServiceRequestInput, responses=ServiceRequestOutput)
    def partial_update(self, request, pk=None):
        item = self.get_object()
        data = resolve(request.access, validated(ServiceRequestInput, request.data, partial=True), REFS)
        if "account" in data and data["account"] is None:
            data.pop("account")
        item = request_services.request_update(access=request.access, request=item, **data)
        return Response(self._out(item))

    def destroy(self, request, pk=None):
        request_services.request_delete(access=request.access, request=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ServiceRequestTransitionInput, responses=ServiceRequestOutput)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the request to another status; a move the status machine does not allow answers 400."""
        item = self.get_object()
        data = validated(ServiceRequestTransitionInput, request.data)
        item = request_services.request_transition(
            access=request.access, request=item, status=data["status"], resolution=data.get("resolution", "")
        )
        return Response(self._out(item))

    @extend_schema(request=ServiceRequestAssignInput, responses=ServiceRequestOutput)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Give the request to a member of the tenant; a new request becomes assigned."""
        item = self.get_object()
        data = validated(ServiceRequestAssignInput, request.data)
        owner = member(request.access, data["owner"], "owner")
        item = request_services.request_assign(access=request.access, request=item, owner=owner)
        return Response(self._out(item))
