"""Pages of the public pools (公海): the pools, the accounts waiting in one (claim, assign), pool settings with
their recall rules, and giving back or locking an account."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.core.errors import ApplicationError
from tandem.core.scopes import DataScope
from tandem.core.views import form_errors_from, paginate, tenant_view
from tandem.crm import selectors_pools
from tandem.crm.choices import AccountTier, Region
from tandem.crm.forms_pools import AssignForm, PoolForm, ReleaseForm
from tandem.crm.models import Account
from tandem.crm.services import pool_settings as settings_services
from tandem.crm.services import pools as pool_services


def _pool(request, pk: int):
    pool = selectors_pools.pool_list(access=request.access).filter(pk=pk).first()
    if pool is None:
        raise Http404
    return pool


def members_in_reach(access):
    """Active members whose accounts the caller sees: the people a manager may assign to or set targets for."""
    members = User.objects.filter(memberships__tenant_id=access.tenant_id, memberships__is_active=True)
    reach = access.visible_owner_ids(access.scope_for("crm.view_account") or DataScope.OWN)
    if reach is not None:
        members = members.filter(pk__in=reach)
    return members.order_by("display_name", "username")


def _can_configure(access, action: str) -> bool:
    return access.scope_for(f"crm.{action}_pool") == DataScope.ALL


@tenant_view("crm.view_pool")
def pool_list(request):
    """The pools the member may open, with how many accounts wait in each and their recall rules."""
    pools = selectors_pools.pool_list(access=request.access).order_by("-is_default", "name")
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
    qs = selectors_pools.pool_accounts(pool=pool)
    query = request.GET
    if query.get("q"):
        qs = qs.filter(name__icontains=query["q"][:100])
    if query.get("tier") in AccountTier.values:
        qs = qs.filter(tier=query["tier"])
    if query.get("region") in Region.values:
        qs = qs.filter(region=query["region"])
    page = paginate(request, qs)
    moves = selectors_pools.last_moves(a.pk for a in page.object_list)
    can_assign = access.has_perm("crm.transfer_pool")
    context = {
        "pool": pool,
        "page": page,
        "rows": [(account, moves.get(account.pk)) for account in page.object_list],
        "query": query,
        "tiers": AccountTier.choices,
        "regions": Region.choices,
        "can_claim": access.has_perm("crm.add_account"),
        "can_assign": can_assign,
        "can_change": _can_configure(access, "change"),
        "assign_form": AssignForm(members=members_in_reach(access)) if can_assign else None,
    }
    return render(request, "crm/pool_detail.html", context)


def _ids(request) -> list[int]:
    return [int(v) for v in request.POST.getlist("accounts") if v.isdigit()][: pool_services.MAX_ACCOUNTS_PER_MOVE]


def _waiting_or_message(request, pool):
    ids = _ids(request)
    accounts = selectors_pools.waiting_in(pool, ids)
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


def _pool_form_page(request, pool=None):
    access = request.access
    form = PoolForm(request.POST or None, tenant_id=access.tenant_id, pool=pool)
    if request.method == "POST" and form.is_valid():
        try:
            if pool is None:
                pool = settings_services.pool_create(access=access, rules=form.rules(), **form.pool_fields())
            else:
                settings_services.pool_update(access=access, pool=pool, rules=form.rules(), **form.pool_fields())
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Pool saved."))
            return redirect("crm:pool_detail", pk=pool.pk)
    return render(request, "crm/pool_form.html", {"form": form, "pool": pool})


@tenant_view("crm.add_pool")
def pool_create(request):
    """A new pool with its recall rules (organisation setting)."""
    if not _can_configure(request.access, "add"):
        raise Http404
    return _pool_form_page(request)


@tenant_view("crm.change_pool")
def pool_edit(request, pk: int):
    """A pool's settings and recall rules (organisation setting)."""
    pool = _pool(request, pk)
    if not _can_configure(request.access, "change"):
        raise Http404
    return _pool_form_page(request, pool)


@require_POST
@tenant_view("crm.delete_pool")
def pool_delete(request, pk: int):
    pool = _pool(request, pk)
    try:
        settings_services.pool_delete(access=request.access, pool=pool)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("crm:pool_detail", pk=pool.pk)
    messages.success(request, _("Pool deleted."))
    return redirect("crm:pools")


# --- one account: give back, lock, unlock ------------------------------------------------------------


def _account(request, pk: int) -> Account:
    account = Account.objects.restrict(request.access, "change").filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def _back(request, account: Account):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("crm:account_detail", pk=account.pk)


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
