"""Public pool (公海) endpoints: pools and their rules, the accounts waiting in them, claim, assign, release, lock."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.api.inputs import in_tenant, member, not_found, validated
from tandem.core.api.views import IdempotentPostMixin
from tandem.core.errors import Conflict, NotFound
from tandem.crm import selectors, selectors_pools
from tandem.crm.api.inputs import MAX_ID, ref, text
from tandem.crm.api.serializers import AccountOutput
from tandem.crm.api.views.common import CrmViewSet
from tandem.crm.choices import AccountTier, Region
from tandem.crm.models import Account, Pool
from tandem.crm.services import pool_settings as settings_services
from tandem.crm.services import pools as pool_services

# --- shapes --------------------------------------------------------------------------------------------


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


POOL_ACCOUNT_FILTERS = [
    OpenApiParameter("q", str, description="Part of the company name."),
    OpenApiParameter("tier", str, enum=AccountTier.values),
    OpenApiParameter("region", str, enum=Region.values),
]


def _waiting(pool: Pool, ids: list[int]) -> list[Account]:
    accounts = selectors_pools.waiting_in(pool, ids)
    missing = sorted(set(ids) - {a.pk for a in accounts})
    if missing:
        raise Conflict(
            _("Some accounts are no longer in the pool: %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            errors={"accounts": [str(pk) for pk in missing]},
        )
    return accounts


def _accounts_out(accounts) -> list:
    loaded = selectors.account_related(Account.objects.filter(pk__in=[a.pk for a in accounts])).order_by("pk")
    return AccountOutput(loaded, many=True).data


# --- pools -------------------------------------------------------------------------------------------


class PoolViewSet(CrmViewSet):
    """Public customer pools (公海池) the caller may open, with their recall rules and waiting accounts."""

    queryset = Pool.objects.all()
    serializer_class = PoolOutput
    filterset_class = None
    filter_backends: list = []
    action_permissions = {"accounts": "view", "claim": "view", "assign": "transfer"}

    def get_queryset(self):
        # A pool's reach is its department; `pool_list` applies it (and the permission) for every action.
        return selectors_pools.pool_list(access=self.request.access).order_by("-is_default", "name")

    def _out(self, pool):
        return PoolOutput(selectors_pools.pool_list(access=self.request.access).get(pk=pool.pk)).data

    def _data(self, request, *, partial: bool) -> dict:
        data = validated(PoolInput, request.data, partial=partial)
        if "department" in data:
            data["department"] = _department(request, data["department"])
        if "rules" in data:
            data["rules"] = [dict(rule) for rule in data["rules"]]
        return data

    @extend_schema(request=PoolInput, responses={201: PoolOutput})
    def create(self, request):
        pool = settings_services.pool_create(access=request.access, **self._data(request, partial=False))
        return Response(self._out(pool), status=status.HTTP_201_CREATED)

    @extend_schema(request=PoolInput, responses=PoolOutput)
    def partial_update(self, request, pk=None):
        pool = self.get_object()
        pool = settings_services.pool_update(access=request.access, pool=pool, **self._data(request, partial=True))
        return Response(self._out(pool))

    def destroy(self, request, pk=None):
        settings_services.pool_delete(access=request.access, pool=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=POOL_ACCOUNT_FILTERS, responses=PoolAccountOutput(many=True), filters=False)
    @action(detail=True, methods=["get"])
    def accounts(self, request, pk=None):
        """The accounts waiting in the pool, last returned first, with who gave each back and why."""
        qs = selectors_pools.pool_accounts(pool=self.get_object())
        params = request.query_params
        if params.get("q"):
            qs = qs.filter(name__icontains=params["q"][:100])
        if params.get("tier") in AccountTier.values:
            qs = qs.filter(tier=params["tier"])
        if params.get("region") in Region.values:
            qs = qs.filter(region=params["region"])
        page = self.paginate_queryset(qs)
        context = {"moves": selectors_pools.last_moves(a.pk for a in page)}
        return self.get_paginated_response(PoolAccountOutput(page, many=True, context=context).data)

    @extend_schema(request=AccountIdsInput, responses=MoveResult)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        """Claim (领取) waiting accounts for yourself, within the pool's daily cap and your owned-accounts cap."""
        pool = self.get_object()
        data = validated(AccountIdsInput, request.data)
        claimed = pool_services.pool_claim(access=request.access, pool=pool, accounts=_waiting(pool, data["accounts"]))
        return Response({"accounts": _accounts_out(claimed)})

    @extend_schema(request=AssignInput, responses=MoveResult)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign (分配) waiting accounts to a member within your reach (managers)."""
        pool = self.get_object()
        data = validated(AssignInput, request.data)
        owner = member(request.access, data["owner"], "owner")
        assigned = pool_services.pool_assign(
            access=request.access,
            pool=pool,
            accounts=_waiting(pool, data["accounts"]),
            owner=owner,
            reason=data.get("reason", ""),
        )
        return Response({"accounts": _accounts_out(assigned)})


def _department(request, pk):
    from tandem.accounts.models import Department

    return in_tenant(request.access, Department, pk, "department") if pk is not None else None


# --- moves on one account ------------------------------------------------------------------------------


class _AccountMoveView(IdempotentPostMixin, APIView):
    def get_permission_code(self):
        return "crm.change_account"

    def _account(self, request, pk) -> Account:
        account = Account.objects.restrict(request.access, "change").filter(pk=pk).first()
        if account is None:
            raise NotFound(_("Not found."), code="not_found")
        return account

    def _out(self, account) -> dict:
        return AccountOutput(selectors.account_related(Account.objects.filter(pk=account.pk)).get()).data


class AccountReleaseView(_AccountMoveView):
    """Give an account back to a pool (放弃/退回公海) with a reason."""

    @extend_schema(request=ReleaseInput, responses=AccountOutput)
    def post(self, request, pk: int):
        account = self._account(request, pk)
        data = validated(ReleaseInput, request.data)
        pool = None
        if data.get("pool") is not None:
            pool = selectors_pools.pool_list(access=request.access).filter(pk=data["pool"]).first()
            if pool is None:
                raise not_found("pool")
        account = pool_services.pool_release(access=request.access, account=account, reason=data["reason"], pool=pool)
        return Response(self._out(account))


class AccountLockView(_AccountMoveView):
    """Lock (锁定) an account so it is never recalled, within the owner's lock cap."""

    @extend_schema(request=None, responses=AccountOutput)
    def post(self, request, pk: int):
        account = pool_services.account_lock(access=request.access, account=self._account(request, pk))
        return Response(self._out(account))


class AccountUnlockView(_AccountMoveView):
    """Lift an account's lock."""

    @extend_schema(request=None, responses=AccountOutput)
    def post(self, request, pk: int):
        account = pool_services.account_unlock(access=request.access, account=self._account(request, pk))
        return Response(self._out(account))
