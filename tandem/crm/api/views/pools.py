"""Public pool (公海) endpoints: pools and their rules, the accounts waiting in them, claim, assign, release, lock."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core.api.inputs import in_tenant, member, not_found, validated
from tandem.core.api.views import IdempotentPostMixin
from tandem.core.errors import Conflict, NotFound
from tandem.crm.api.serializers.customers import AccountOutput
from tandem.crm.api.serializers.pools import (
    AccountIdsInput,
    AssignInput,
    MoveResult,
    PoolAccountOutput,
    PoolInput,
    PoolOutput,
    ReleaseInput,
)
from tandem.crm.api.views.common import CrmViewSet
from tandem.crm.choices import AccountTier, Region
from tandem.crm.filters import PoolAccountFilter
from tandem.crm.models import Account, Pool
from tandem.crm.selectors.accounts import account_related
from tandem.crm.selectors.pools import last_moves, pool_accounts, pool_list, waiting_in
from tandem.crm.services import pool_settings as settings_services
from tandem.crm.services import pools as pool_services

POOL_ACCOUNT_FILTERS = [
    OpenApiParameter("q", str, description="Part of the company name."),
    OpenApiParameter("tier", str, enum=AccountTier.values),
    OpenApiParameter("region", str, enum=Region.values),
]


def _waiting(pool: Pool, ids: list[int]) -> list[Account]:
    accounts = waiting_in(pool, ids)
    missing = sorted(set(ids) - {a.pk for a in accounts})
    if missing:
        raise Conflict(
            _("Some accounts are no longer in the pool: %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            errors={"accounts": [str(pk) for pk in missing]},
        )
    return accounts


def _accounts_out(accounts) -> list:
    loaded = account_related(Account.objects.filter(pk__in=[a.pk for a in accounts])).order_by("pk")
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
        return pool_list(access=self.request.access).order_by("-is_default", "name")

    def _out(self, pool):
        return PoolOutput(pool_list(access=self.request.access).get(pk=pool.pk)).data

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
        waiting = PoolAccountFilter(request.query_params, queryset=pool_accounts(pool=self.get_object()))
        page = self.paginate_queryset(waiting.qs)
        context = {"moves": last_moves(a.pk for a in page)}
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
        return AccountOutput(account_related(Account.objects.filter(pk=account.pk)).get()).data


class AccountReleaseView(_AccountMoveView):
    """Give an account back to a pool (放弃/退回公海) with a reason."""

    @extend_schema(request=ReleaseInput, responses=AccountOutput)
    def post(self, request, pk: int):
        account = self._account(request, pk)
        data = validated(ReleaseInput, request.data)
        pool = None
        if data.get("pool") is not None:
            pool = pool_list(access=request.access).filter(pk=data["pool"]).first()
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
