"""Activity (跟进记录) endpoints and the CRM settings."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.api.inputs import resolve, validated
from tandem.core.api.views import IdempotentPostMixin
from tandem.crm import exports
from tandem.crm.api.serializers.customers import ActivityInput, ActivityOutput, CrmSettingsInput, CrmSettingsOutput
from tandem.crm.api.views.common import CrmViewSet, ExportMixin, refuse_owner_change
from tandem.crm.filters import ActivityFilter
from tandem.crm.models import Account, Activity, Contact, Deal, Lead
from tandem.crm.selectors.activities import activity_related
from tandem.crm.services import activities as activity_services
from tandem.crm.services import pipelines as pipeline_services

ACTIVITY_REFS = {
    "account": (Account, "view"),
    "contact": (Contact, "view"),
    "lead": (Lead, "view"),
    "deal": (Deal, "view"),
    "owner": "user",
}


class ActivityViewSet(ExportMixin, CrmViewSet):
    """Calls, visits, meetings, emails, WeChat messages, notes and tasks on accounts, contacts, leads and deals."""

    queryset = Activity.objects.all()
    serializer_class = ActivityOutput
    filterset_class = ActivityFilter
    ordering_fields = ["occurred_at", "due_at", "next_contact_on", "id"]
    ordering = ["-occurred_at", "-id"]
    export_columns = staticmethod(exports.activity_columns)
    export_basename = "activities"

    def related(self, qs):
        return activity_related(qs)

    def _out(self, activity):
        return ActivityOutput(activity_related(Activity.objects.filter(pk=activity.pk)).get()).data

    @extend_schema(request=ActivityInput, responses={201: ActivityOutput})
    def create(self, request):
        data = resolve(request.access, validated(ActivityInput, request.data), ACTIVITY_REFS)
        activity = activity_services.activity_create(access=request.access, **data)
        return Response(self._out(activity), status=status.HTTP_201_CREATED)

    @extend_schema(request=ActivityInput, responses=ActivityOutput)
    def partial_update(self, request, pk=None):
        activity = self.get_object()
        data = validated(ActivityInput, request.data, partial=True)
        refuse_owner_change(data)
        data = resolve(request.access, data, ACTIVITY_REFS)
        return Response(self._out(activity_services.activity_update(access=request.access, activity=activity, **data)))

    def destroy(self, request, pk=None):
        activity_services.activity_delete(access=request.access, activity=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class CrmSettingsView(IdempotentPostMixin, APIView):
    """Organisation-wide CRM settings, such as the first-response time for new leads."""

    def get_permission_code(self):
        return "crm.view_lead" if self.request.method in ("GET", "HEAD", "OPTIONS") else "accounts.change_tenant"

    @extend_schema(responses=CrmSettingsOutput)
    def get(self, request):
        current = pipeline_services.crm_settings(tenant_id=request.access.tenant_id)
        return Response(CrmSettingsOutput(current).data)

    @extend_schema(request=CrmSettingsInput, responses=CrmSettingsOutput)
    def patch(self, request):
        data = validated(CrmSettingsInput, request.data)
        current = pipeline_services.crm_settings_update(access=request.access, **data)
        return Response(CrmSettingsOutput(current).data)
