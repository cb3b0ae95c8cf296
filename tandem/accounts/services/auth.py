"""Signing in and out with lockout, and switching tenants."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Lockout, LoginFailure, Membership, Tenant, User
from tandem.audit.models import SecurityEventKind
from tandem.audit.services.audit import security_event
from tandem.core import context
from tandem.core.errors import ApplicationError


class LockedOut(ApplicationError):
    status = 403


def _locked_until(username: str, ip: str | None):
    return (
        Lockout.objects.filter(username=username.lower(), ip=ip, until__gt=timezone.now())
        .order_by("-until")
        .values_list("until", flat=True)
        .first()
    )


def _failure_event(kind: str, key: str, **detail) -> None:
    """A failed sign-in for a known user shows in the audit of every tenant the user belongs to."""
    tenant_ids = list(Membership.objects.filter(user__username__iexact=key).values_list("tenant_id", flat=True)) or [
        None
    ]
    for tenant_id in tenant_ids:
        security_event(kind=kind, tenant_id=tenant_id, username=key, **detail)


def sign_in(*, request, username: str, password: str) -> User:
    """Check credentials under the lockout rule; every outcome is a security event."""
    ip = context.current().ip
    key = (username or "").strip().lower()
    until = _locked_until(key, ip)
    if until is not None:
        with transaction.atomic():
            _failure_event(SecurityEventKind.LOGIN_FAILURE, key, reason="locked")
        raise LockedOut(
            _("Too many failed sign-ins. Try again after %(time)s.")
            % {"time": timezone.localtime(until).strftime("%H:%M")}
        )
    user = authenticate(request, username=username, password=password)
    # The failure, lockout and their events must be committed, so the refusal is raised only
    # after the atomic block: raising inside it would roll them back and the lock never happens.
    refusal = None
    with transaction.atomic():
        if user is None:
            LoginFailure.objects.create(username=key, ip=ip)
            _failure_event(SecurityEventKind.LOGIN_FAILURE, key, reason="bad_credentials")
            recent = LoginFailure.objects.filter(
                username=key, ip=ip, created_at__gt=timezone.now() - settings.TANDEM_LOCKOUT_WINDOW
            ).count()
            if recent >= settings.TANDEM_LOCKOUT_FAILURES:
                Lockout.objects.create(username=key, ip=ip, until=timezone.now() + settings.TANDEM_LOCKOUT_DURATION)
                LoginFailure.objects.filter(username=key, ip=ip).delete()
                _failure_event(SecurityEventKind.LOCKOUT, key, failures=recent)
                refusal = LockedOut(
                    _("Too many failed sign-ins. The account is locked for %(m)d minutes.")
                    % {"m": int(settings.TANDEM_LOCKOUT_DURATION.total_seconds() // 60)}
                )
            else:
                refusal = ApplicationError(_("Wrong user name or password."))
        elif not user.memberships.filter(is_active=True, tenant__is_active=True).exists() and not user.is_superuser:
            security_event(kind=SecurityEventKind.LOGIN_FAILURE, user=user, reason="no_active_membership")
            refusal = ApplicationError(_("Your account has no active organisation. Ask your administrator."))
        else:
            LoginFailure.objects.filter(username=key, ip=ip).delete()
    if refusal is not None:
        raise refusal
    return user


def default_membership(user: User, preferred_tenant_id: int | None = None) -> Membership | None:
    memberships = Membership.objects.filter(user=user, is_active=True, tenant__is_active=True).select_related("tenant")
    if preferred_tenant_id:
        chosen = memberships.filter(tenant_id=preferred_tenant_id).first()
        if chosen:
            return chosen
    return memberships.order_by("tenant_id").first()


def record_sign_in(*, user: User, tenant: Tenant | None) -> None:
    with transaction.atomic():
        security_event(kind=SecurityEventKind.LOGIN_SUCCESS, tenant_id=getattr(tenant, "pk", None), user=user)


def record_sign_out(*, user: User, tenant_id: int | None, reason: str = "") -> None:
    kind = SecurityEventKind.SESSION_EXPIRED if reason else SecurityEventKind.LOGOUT
    with transaction.atomic():
        security_event(kind=kind, tenant_id=tenant_id, user=user, reason=reason)


def tenant_switch(*, user: User, tenant_id: int, from_tenant_id: int | None) -> Membership:
    membership = Membership.objects.filter(
        user=user, tenant_id=tenant_id, is_active=True, tenant__is_active=True
    ).first()
    if membership is None:
        raise ApplicationError(_("You are not a member of that organisation."), code="not_found")
    with transaction.atomic():
        security_event(kind=SecurityEventKind.TENANT_SWITCHED, tenant_id=tenant_id, user=user, previous=from_tenant_id)
    return membership
