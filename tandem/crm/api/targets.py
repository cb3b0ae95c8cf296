"""Sales targets with their progress, the sales workbench figures, and first-response times."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.api.inputs import in_tenant, member, validated
from tandem.crm import selectors_sales, selectors_workbench
from tandem.crm.api.inputs import money, ref
from tandem.crm.api.views.common import CrmViewSet
from tandem.crm.choices import TargetLevel, TargetMetric
from tandem.crm.models import SalesTarget
from tandem.crm.services import targets as target_services

# --- targets -------------------------------------------------------------------------------------------


class SalesTargetOutput(serializers.ModelSerializer):
    department_name = serializers.StringRelatedField(source="department", allow_null=True)
    user_name = serializers.StringRelatedField(source="user", allow_null=True)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    actual = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, help_text="Signed contracts or receipts in the period."
    )
    percent = serializers.DecimalField(
        max_digits=9, decimal_places=1, read_only=True, allow_null=True, help_text="Actual against target, in %."
    )

    class Meta:
        model = SalesTarget
        fields = [
            "id",
            "level",
            "department",
            "department_name",
            "user",
            "user_name",
            "metric",
            "year",
            "month",
            "amount",
            "actual",
            "percent",
        ]


class SalesTargetInput(serializers.Serializer):
    level = serializers.ChoiceField(choices=TargetLevel.choices)
    department = ref()
    user = ref()
    metric = serializers.ChoiceField(choices=TargetMetric.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=0, max_value=12, default=0, help_text="0 means the whole year.")
    amount = money()


class SalesTargetAmountInput(serializers.Serializer):
    amount = money()


class SalesTargetFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    month = django_filters.NumberFilter()
    level = django_filters.ChoiceFilter(choices=TargetLevel.choices)
    metric = django_filters.ChoiceFilter(choices=TargetMetric.choices)
    user = django_filters.NumberFilter(field_name="user_id")
    department = django_filters.NumberFilter(field_name="department_id")

    class Meta:
        model = SalesTarget
        fields = ["year", "month", "level", "metric", "user", "department"]


class SalesTargetViewSet(CrmViewSet):
    """Sales targets (业绩目标) for the company, departments and people, by month (1–12) or year (0), with
    progress from signed contracts and receipts. Setting one for the same subject, measure and period again
    replaces it."""

    queryset = SalesTarget.objects.all()
    serializer_class = SalesTargetOutput
    filterset_class = SalesTargetFilter
    ordering_fields = ["year", "month", "amount", "id"]
    ordering = ["-year", "month", "level", "id"]

    def related(self, qs):
        return qs.select_related("department", "user")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors_sales.targets_with_progress(page, tenant_id=self.request.access.tenant_id)

    def _out(self, target):
        (loaded,) = selectors_sales.targets_with_progress(
            SalesTarget.objects.filter(pk=target.pk).select_related("department", "user"),
            tenant_id=target.tenant_id,
        )
        return SalesTargetOutput(loaded).data

    def retrieve(self, request, pk=None):
        return Response(self._out(self.get_object()))

    @extend_schema(request=SalesTargetInput, responses={201: SalesTargetOutput})
    def create(self, request):
        from tandem.accounts.models import Department

        data = validated(SalesTargetInput, request.data)
        data["department"] = in_tenant(request.access, Department, data.get("department"), "department")
        data["user"] = member(request.access, data.get("user"), "user")
        target = target_services.target_set(access=request.access, **data)
        return Response(self._out(target), status=status.HTTP_201_CREATED)

    @extend_schema(request=SalesTargetAmountInput, responses=SalesTargetOutput)
    def partial_update(self, request, pk=None):
        data = validated(SalesTargetAmountInput, request.data)
        target = target_services.target_update(access=request.access, target=self.get_object(), amount=data["amount"])
        return Response(self._out(target))

    def destroy(self, request, pk=None):
        target_services.target_delete(access=request.access, target=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- workbench -----------------------------------------------------------------------------------------


class FunnelRow(serializers.Serializer):
    stage_id = serializers.IntegerField()
    stage = serializers.CharField()
    probability = serializers.IntegerField()
    is_won = serializers.BooleanField(help_text="The won stage counts the deals won this month.")
    deals = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)


class RankingRow(serializers.Serializer):
    rank = serializers.IntegerField()
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    contracts = serializers.DecimalField(max_digits=18, decimal_places=2)
    receipts = serializers.DecimalField(max_digits=18, decimal_places=2)
    target = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    percent = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
    is_me = serializers.BooleanField()


class ForgottenAccount(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    tier = serializers.CharField()
    owner = serializers.IntegerField(source="owner_id")
    owner_name = serializers.StringRelatedField(source="owner")
    last_activity_at = serializers.DateTimeField(allow_null=True)


class Forgotten(serializers.Serializer):
    days = serializers.IntegerField(help_text="No follow-up for this many days.")
    count = serializers.IntegerField()
    accounts = ForgottenAccount(many=True)


class OverdueLead(serializers.Serializer):
    id = serializers.IntegerField()
    company = serializers.CharField()
    contact_name = serializers.CharField()
    owner_name = serializers.StringRelatedField(source="owner")
    response_due_at = serializers.DateTimeField()


class OverdueLeads(serializers.Serializer):
    count = serializers.IntegerField()
    leads = OverdueLead(many=True)


class UpcomingRecall(serializers.Serializer):
    account_id = serializers.IntegerField()
    name = serializers.CharField()
    tier = serializers.CharField()
    pool = serializers.CharField()
    on = serializers.DateField(help_text="The day the account goes back to the pool.")
    reason = serializers.ChoiceField(choices=["no_follow_up", "no_won_deal"])
    days = serializers.IntegerField()
    days_left = serializers.IntegerField()


class UpcomingRecalls(serializers.Serializer):
    count = serializers.IntegerField()
    accounts = UpcomingRecall(many=True)


class WorkbenchOutput(serializers.Serializer):
    today = serializers.DateField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    pipeline = serializers.CharField(allow_null=True)
    funnel = FunnelRow(many=True)
    targets = SalesTargetOutput(many=True)
    ranking = RankingRow(many=True)
    forgotten = Forgotten()
    overdue_leads = OverdueLeads()
    upcoming_recalls = UpcomingRecalls()


class WorkbenchView(APIView):
    """The signed-in member's sales workbench (销售工作台): funnel, targets, team ranking, forgotten customers,
    overdue leads and upcoming recalls — the same figures as the page."""

    def get_permission_code(self):
        return "crm.view_account"

    @extend_schema(responses=WorkbenchOutput)
    def get(self, request):
        return Response(WorkbenchOutput(selectors_workbench.workbench(access=request.access)).data)


# --- response times ------------------------------------------------------------------------------------


class ResponseRow(serializers.Serializer):
    key = serializers.CharField(help_text="Owner id, month (YYYY-MM) or `all`.")
    label = serializers.CharField()
    leads = serializers.IntegerField()
    responded = serializers.IntegerField()
    median_hours = serializers.FloatField(allow_null=True)
    p90_hours = serializers.FloatField(allow_null=True)
    within_sla_percent = serializers.FloatField(allow_null=True)
    waiting_overdue = serializers.IntegerField(help_text="Not answered and past the deadline.")


class ResponseTimesOutput(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    sla_hours = serializers.IntegerField()
    working_hours = serializers.BooleanField(help_text="Counted in the working hours of the tenant calendar.")
    total = ResponseRow()
    by_owner = ResponseRow(many=True)
    by_month = ResponseRow(many=True)


class ResponseTimesQuery(serializers.Serializer):
    since = serializers.DateField(required=False, help_text="First day of lead creation (default: six months back).")
    until = serializers.DateField(required=False, help_text="Last day (default: today).")

    def validate(self, attrs):
        if attrs.get("since") and attrs.get("until") and attrs["since"] > attrs["until"]:
            raise serializers.ValidationError({"until": "Must not be before since."})
        return attrs


def response_window(query: dict, today) -> tuple:
    """The requested dates, by default the last six months (at most five years)."""
    until = query.get("until") or today
    since = query.get("since") or (until.replace(day=1) - timedelta(days=150)).replace(day=1)
    return max(since, until - timedelta(days=366 * 5)), until


class ResponseTimesView(APIView):
    """First-response times of leads (线索响应时间) in working hours: median, p90 and share within the SLA,
    per owner and per month, over the leads the caller sees."""

    def get_permission_code(self):
        return "crm.view_lead"

    @extend_schema(parameters=[ResponseTimesQuery], responses=ResponseTimesOutput)
    def get(self, request):
        since, until = response_window(validated(ResponseTimesQuery, request.query_params), timezone.localdate())
        data = selectors_sales.response_times(access=request.access, since=since, until=until)
        return Response(ResponseTimesOutput(data).data)
