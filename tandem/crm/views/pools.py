"""Pages of the public pools (公海): the pools, the accounts waiting in one (claim, assign), pool settings with
their recall rules, and giving back or locking an account."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.scopes import DataScope
from tandem.core.views import form_page, post_action, record_or_404, rows_page, safe_next, tenant_view
from tandem.crm.choices import AccountTier, Region
from tandem.crm.filters import PoolAccountFilter
from tandem.crm.forms.pools import AssignForm, PoolForm, ReleaseForm
from tandem.crm.models import Account
from tandem.crm.selectors import pools as pool_selectors
from tandem.crm.selectors.accounts import members_in_reach
from tandem.crm.services import pool_settings as settings_services
from tandem.crm.services import pools as pool_services


def _pool(request, pk: int):
    return record_or_404(request, pool_selectors.pool_list(access=request.access), pk)


def _can_configure(access, action: str) -> bool:
    return access.scope_for(f"crm.{action}_pool") == DataScope.ALL


@tenant_view("crm.view_pool")
def pool_list(request):
    """The pools the member may open, with how many accounts wait in each and their recall rules."""
    pools = pool_selectors.pool_list(access=request.access).order_by("-is_default", "name")
    return render(
        request,
        "crm/pool_list.html",
        {"pools": pools, "can_add": _can_configure(request.access, "add"), "tiers": dict(AccountTier.choices)},
    )


@tenant_view("crm.view_pool")
def pool_detail(request, pk: int):
    """The accounts waiting in one pool: claim them, or (managers) assign them."""
    access = request.access
    pool = _pool(request, pk)
    filterset = PoolAccountFilter(request.GET, queryset=pool_selectors.pool_accounts(pool=pool))
    can_assign = access.has_perm("crm.transfer_pool")

    def rows_of(page) -> dict:
        moves = pool_selectors.last_moves(a.pk for a in page.object_list)
        return {"rows": [(account, moves.get(account.pk)) for account in page.object_list]}

    return rows_page(
        request,
        rows=filterset.qs,
        template="crm/pool_detail.html",
        partial="crm/partials/pool_account_rows.html",
        context=lambda page: {
            **rows_of(page),
            "pool": pool,
            "tiers": AccountTier.choices,
            "regions": Region.choices,
            "can_claim": access.has_perm("crm.add_account"),
            "can_assign": can_assign,
            "can_change": _can_configure(access, "change"),
            "assign_form": AssignForm(members=members_in_reach(access)) if can_assign else None,
        },
    )


def _ids(request) -> list[int]:
    return [int(v) for v in request.POST.getlist("accounts") if v.isdigit()][: pool_services.MAX_ACCOUNTS_PER_MOVE]


def _waiting_or_message(request, pool):
    ids = _ids(request)
    accounts = pool_selectors.waiting_in(pool, ids)
    if len(accounts) != len(set(ids)):
        messages.warning(request, _("Some accounts were no longer in the pool."))
    return accounts


@require_POST
@tenant_view("crm.view_pool")
def pool_claim(request, pk: int):
    pool = _pool(request, pk)
    accounts = _waiting_or_message(request, pool)
    try:
        claimed = pool_services.pool_claim(access=request.access, pool=pool, accounts=accounts)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You claimed %(n)d accounts.") % {"n": len(claimed)})
    return redirect("crm:pool_detail", pk=pool.pk)


@require_POST
@tenant_view("crm.transfer_pool")
def pool_assign(request, pk: int):
    pool = _pool(request, pk)
    form = AssignForm(request.POST, members=members_in_reach(request.access))
    if not form.is_valid():
        messages.error(request, _("Choose the member to assign the accounts to."))
        return redirect("crm:pool_detail", pk=pool.pk)
    accounts = _waiting_or_message(request, pool)
    try:
        assigned = pool_services.pool_assign(
            access=request.access,
            pool=pool,
            accounts=accounts,
            owner=form.cleaned_data["owner"],
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(n)d accounts assigned to %(owner)s.") % {"n": len(assigned), "owner": form.cleaned_data["owner"]},
        )
    return redirect("crm:pool_detail", pk=pool.pk)


@tenant_view("crm.add_pool")
def pool_create(request):
    """A new pool with its recall rules (organisation setting)."""
    access = request.access
    if not _can_configure(access, "add"):
        raise Http404
    return form_page(
        request,
        form=PoolForm(request.POST or None, access=access),
        template="crm/pool_form.html",
        save=lambda form: settings_services.pool_create(access=access, rules=form.rules(), **form.pool_fields()),
        message=_("Pool saved."),
        success=lambda pool: reverse("crm:pool_detail", args=[pool.pk]),
        context={"pool": None},
    )


@tenant_view("crm.change_pool")
def pool_edit(request, pk: int):
    """A pool's settings and recall rules (organisation setting)."""
    access = request.access
    pool = _pool(request, pk)
    if not _can_configure(access, "change"):
        raise Http404
    return form_page(
        request,
        form=PoolForm(request.POST or None, access=access, pool=pool),
        template="crm/pool_form.html",
        save=lambda form: settings_services.pool_update(
            access=access, pool=pool, rules=form.rules(), **form.pool_fields()
        ),
        message=_("Pool saved."),
        success=reverse("crm:pool_detail", args=[pool.pk]),
        context={"pool": pool},
    )


@require_POST
@tenant_view("crm.delete_pool")
def pool_delete(request, pk: int):
    pool = _pool(request, pk)
    return post_action(
        request,
        act=lambda: settings_services.pool_delete(access=request.access, pool=pool),
        message=_("Pool deleted."),
        success=resolve_url("crm:pools"),
        failure=resolve_url("crm:pool_detail", pk=pool.pk),
    )


# --- one account: give back, lock, unlock ------------------------------------------------------------


def _account(request, pk: int) -> Account:
    return record_or_404(request, Account, pk, "change")


def _back(request, account: Account):
    return redirect(safe_next(request, reverse("crm:account_detail", args=[account.pk])))


@require_POST
@tenant_view("crm.change_account")
def account_release(request, pk: int):
    """Give an account back to its pool, with a reason."""
    account = _account(request, pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you give the account back."))
        return _back(request, account)
    try:
        pool_services.pool_release(access=request.access, account=account, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(request, account)
    messages.success(request, _("%(name)s is back in the pool.") % {"name": account.name})
    return redirect("crm:workbench")


@require_POST
@tenant_view("crm.change_account")
def account_lock(request, pk: int):
    """Lock an account so it is never recalled (or unlock it with `unlock=1`)."""
    account = _account(request, pk)
    unlock = request.POST.get("unlock") == "1"
    try:
        if unlock:
            pool_services.account_unlock(access=request.access, account=account)
        else:
            pool_services.account_lock(access=request.access, account=account)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Account unlocked.") if unlock else _("Account locked."))
    return _back(request, account)
