"""The sales workbench figures and the lead first-response times, as the pages show them."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.api.inputs import validated
from tandem.crm.api.serializers.workbench import ResponseTimesOutput, ResponseTimesQuery, WorkbenchOutput
from tandem.crm.selectors.sales import response_times, response_window
from tandem.crm.selectors.workbench import workbench


class WorkbenchView(APIView):
    """The signed-in member's sales workbench (销售工作台): funnel, targets, team ranking, forgotten customers,
    overdue leads and upcoming recalls — the same figures as the page."""

    def get_permission_code(self):
        return "crm.view_account"

    @extend_schema(responses=WorkbenchOutput)
    def get(self, request):
        return Response(WorkbenchOutput(workbench(access=request.access)).data)


class ResponseTimesView(APIView):
    """First-response times of leads (线索响应时间) in working hours: median, p90 and share within the SLA,
    per owner and per month, over the leads the caller sees."""

    def get_permission_code(self):
        return "crm.view_lead"

    @extend_schema(parameters=[ResponseTimesQuery], responses=ResponseTimesOutput)
    def get(self, request):
        since, until = response_window(validated(ResponseTimesQuery, request.query_params), timezone.localdate())
        data = response_times(access=request.access, since=since, until=until)
        return Response(ResponseTimesOutput(data).data)
