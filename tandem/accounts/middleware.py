"""Session lifetime, the current tenant, and the forced password change."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation

from tandem.accounts.access import MembershipAccess
from tandem.accounts.models import Membership
from tandem.accounts.passwords import password_expired

SESSION_TENANT = "tandem_tenant_id"
SESSION_AUTH_AT = "tandem_auth_at"
SESSION_SEEN_AT = "tandem_seen_at"
SEEN_RESOLUTION_SECONDS = 60


class SessionLifetimeMiddleware:
    """Ends sessions idle longer than TANDEM_SESSION_IDLE or older than TANDEM_SESSION_ABSOLUTE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            if SESSION_AUTH_AT not in request.session:
                # A session started elsewhere (e.g. the admin login) starts its clock now.
                request.session[SESSION_AUTH_AT] = now
            auth_at = request.session[SESSION_AUTH_AT]
            seen_at = request.session.get(SESSION_SEEN_AT, now)
            reason = ""
            if now - auth_at > settings.TANDEM_SESSION_ABSOLUTE.total_seconds():
                reason = "absolute_lifetime"
            elif now - seen_at > settings.TANDEM_SESSION_IDLE.total_seconds():
                reason = "idle_timeout"
            if reason:
                from tandem.accounts.services.auth import record_sign_out

                user, tenant_id = request.user, request.session.get(SESSION_TENANT)
                logout(request)
                record_sign_out(user=user, tenant_id=tenant_id, reason=reason)
            elif now - seen_at >= SEEN_RESOLUTION_SECONDS or SESSION_SEEN_AT not in request.session:
                # Writing the session (and renewing its cookie) at most once a minute keeps the
                # idle timeout accurate to a minute without a database write on every request.
                request.session[SESSION_SEEN_AT] = now
        return self.get_response(request)


def attach_membership(request, membership: Membership | None, *, token_scopes=None) -> None:
    """Make a membership the request's tenant context (used by the session and token paths)."""
    request.membership = membership
    request.tenant = membership.tenant if membership else None
    request.access = MembershipAccess(membership, token_scopes=token_scopes) if membership else None
    if membership is not None:
        timezone.activate(zoneinfo.ZoneInfo(membership.tenant.timezone))


def load_membership(user, tenant_id) -> Membership | None:
    if not tenant_id:
        return None
    return (
        Membership.objects.select_related("tenant", "user", "department")
        .prefetch_related("roles")
        .filter(user=user, tenant_id=tenant_id, is_active=True, tenant__is_active=True)
        .first()
    )


class TenantMiddleware:
    """Sets request.tenant / request.membership / request.access from the session only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = request.membership = request.access = None
        if request.user.is_authenticated:
            membership = load_membership(request.user, request.session.get(SESSION_TENANT))
            if membership is None:
                from tandem.accounts.services.auth import default_membership

                membership = default_membership(request.user)
                if membership is not None:
                    request.session[SESSION_TENANT] = membership.tenant_id
                    membership = load_membership(request.user, membership.tenant_id)
            attach_membership(request, membership)
            if membership is not None and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                language = request.user.preferred_language or membership.tenant.locale
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """Sends a user whose password expired under the tenant policy to the change-password page."""

    ALLOWED = ("accounts:password_change", "accounts:logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not request.path.startswith(("/static/", "/api/", "/healthz", "/readyz"))
            and password_expired(request.user, timezone.now())
        ):
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed:
                return redirect(reverse("accounts:password_change") + "?expired=1")
        return self.get_response(request)
