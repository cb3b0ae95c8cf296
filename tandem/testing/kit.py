"""Test helpers shared by every app's tests: factories for tenants, members and API clients."""

from __future__ import annotations

import itertools

from rest_framework.test import APIClient

from tandem.accounts.access import MembershipAccess
from tandem.accounts.models import Department, Membership, Role, Tenant, User
from tandem.accounts.services.tenants import tenant_create
from tandem.accounts.services.tokens import token_create

_seq = itertools.count(1)
PASSWORD = "Test-pass-2026!"


def make_tenant(slug: str | None = None, **fields) -> Tenant:
    n = next(_seq)
    return tenant_create(slug=slug or f"t{n}", name=fields.pop("name", f"Tenant {n}"), **fields)


def make_member(
    tenant: Tenant,
    *roles: str,
    username: str | None = None,
    department: Department | None = None,
    manager: User | None = None,
    password: str = PASSWORD,
    **user_fields,
) -> Membership:
    """A user in `tenant` holding the given default role keys (created with a valid password)."""
    username = username or f"u{next(_seq)}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, **user_fields)
        user.set_password(password)
        user.save()
    membership = Membership.objects.create(tenant=tenant, user=user, department=department, manager=manager)
    membership.roles.set(Role.objects.filter(tenant=tenant, key__in=roles))
    return membership


def access_for(membership: Membership) -> MembershipAccess:
    membership = Membership.objects.select_related("tenant", "user").prefetch_related("roles").get(pk=membership.pk)
    return MembershipAccess(membership)


def api_client(membership: Membership | None = None, *, scopes: list[str] | None = None) -> APIClient:
    """An API client authenticated with a fresh bearer token of the member (anonymous without one)."""
    client = APIClient()
    if membership is not None:
        _token, secret = token_create(membership=membership, name="test", scopes=scopes)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def page_client(membership: Membership):
    """A Django test client signed in as the member, inside the member's tenant."""
    from django.test import Client
    from django.utils import timezone

    from tandem.accounts.middleware import SESSION_AUTH_AT, SESSION_SEEN_AT, SESSION_TENANT

    client = Client()
    client.force_login(membership.user)
    session = client.session
    now = timezone.now().timestamp()
    session[SESSION_TENANT] = membership.tenant_id
    session[SESSION_AUTH_AT] = now
    session[SESSION_SEEN_AT] = now
    session.save()
    return client


def page_text(message: str, language: str = "zh-hans") -> str:
    """A message as a page of a tenant in `language` shows it: translated and HTML-escaped (tests' tenants speak
    Chinese by default, so a page assertion in English would test the catalogue's gaps, not the page)."""
    from django.utils import translation
    from django.utils.html import escape

    with translation.override(language):
        return escape(translation.gettext(message))
