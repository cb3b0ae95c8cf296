"""Input and output serializers of the public pools (公海): pools with their recall rules, waiting accounts,
claims, assignments and releases."""

from __future__ import annotations

from rest_framework import serializers

from tandem.crm.api.serializers.customers import AccountOutput
from tandem.crm.api.serializers.fields import MAX_ID, ref, text
from tandem.crm.choices import AccountTier, Region
from tandem.crm.models import Account, Pool


class PoolRuleIO(serializers.Serializer):
    tier = serializers.ChoiceField(
        choices=AccountTier.choices, required=False, allow_blank=True, help_text="Empty: every tier without a rule."
    )
    no_follow_up_days = serializers.IntegerField(min_value=1, max_value=3650, required=False, allow_null=True)
    no_won_deal_days = serializers.IntegerField(min_value=1, max_value=3650, required=False, allow_null=True)
    reminder_days = serializers.IntegerField(min_value=0, max_value=365, default=3)


class PoolInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = text(300)
    is_default = serializers.BooleanField(required=False)
    department = ref(help_text="Only this department (and below) sees the pool; null means everyone.")
    regions = serializers.ListField(child=serializers.ChoiceField(choices=Region.choices), required=False)
    daily_claim_limit = serializers.IntegerField(min_value=1, max_value=10000, required=False, allow_null=True)
    reclaim_after_days = serializers.IntegerField(min_value=0, max_value=3650, required=False)
    won_customers_exempt = serializers.BooleanField(required=False)
    open_deals_exempt = serializers.BooleanField(required=False)
    rules = PoolRuleIO(many=True, required=False, help_text="Replace all recall rules of the pool.")


class PoolOutput(serializers.ModelSerializer):
    department_name = serializers.StringRelatedField(source="department", allow_null=True)
    rules = PoolRuleIO(many=True, read_only=True)
    held_count = serializers.IntegerField(read_only=True, help_text="Accounts waiting in the pool.")
    regions = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Pool
        fields = [
            "id",
            "name",
            "description",
            "is_default",
            "department",
            "department_name",
            "regions",
            "daily_claim_limit",
            "reclaim_after_days",
            "won_customers_exempt",
            "open_deals_exempt",
            "rules",
            "held_count",
        ]


class PoolAccountOutput(serializers.ModelSerializer):
    """What a member sees of a waiting account before claiming it: the company, not its people."""

    returned_at = serializers.SerializerMethodField()
    returned_by = serializers.SerializerMethodField()
    return_kind = serializers.SerializerMethodField()
    return_reason = serializers.SerializerMethodField()

    class Meta:
        model = Account
        fields = [
            "id",
            "name",
            "tier",
            "industry",
            "region",
            "province",
            "city",
            "last_activity_at",
            "last_activity_summary",
            "returned_at",
            "returned_by",
            "return_kind",
            "return_reason",
        ]

    def _move(self, account):
        return self.context.get("moves", {}).get(account.pk)

    def get_returned_at(self, account) -> str | None:
        move = self._move(account)
        return serializers.DateTimeField().to_representation(move.created_at) if move else None

    def get_returned_by(self, account) -> str | None:
        move = self._move(account)
        return str(move.from_user) if move and move.from_user else None

    def get_return_kind(self, account) -> str | None:
        move = self._move(account)
        return move.kind if move else None

    def get_return_reason(self, account) -> str:
        move = self._move(account)
        return move.reason if move else ""


class AccountIdsInput(serializers.Serializer):
    accounts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1, max_length=200
    )


class AssignInput(AccountIdsInput):
    owner = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reason = text(300)


class ReleaseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    pool = ref(help_text="The pool to give the account to; by default its own pool.")


class MoveResult(serializers.Serializer):
    accounts = AccountOutput(many=True)
