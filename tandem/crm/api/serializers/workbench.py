"""Output serializers of the sales workbench (销售工作台) and the lead first-response times, and the latter's query."""

from __future__ import annotations

from rest_framework import serializers

from tandem.crm.api.serializers.fields import percent_output
from tandem.crm.api.serializers.targets import SalesTargetOutput


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
    percent = percent_output()
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
