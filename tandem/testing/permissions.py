"""The generic permission checks: every URL in the URL conf, anonymous, without roles, other tenant.

`url_cases()` walks the whole URL conf, so a new view or endpoint is checked as soon as it is routed.
A pattern with parameters needs an object to fill them: register a factory for its URL name in
`URL_OBJECTS` (below, or with `@url_objects("app:name")` in `tandem/<app>/tests/url_objects.py`, which
is imported automatically). A factory takes a tenant, creates one object in it that belongs to a
*colleague* (never the member making the request) and returns the URL kwargs. Name what it creates
with `seed_name(tenant, ...)` so the list checks can spot it on a page that should not show it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

LOGIN_PATH = "/accounts/login/"
ADMIN_LOGIN_PATH = "/admin/login/"
PROBLEM_JSON = "application/problem+json"

# Open to anonymous visitors. Everything else must send them to sign in (pages) or answer 401 (API).
# "automation:hook" is a rule's inbound webhook: a secret URL whose POSTs are checked by their signature.
PUBLIC_URLS = frozenset(
    {"accounts:login", "healthz", "readyz", "set_language", "automation:hook", "survey:answer", "survey:unsubscribe"}
)
PUBLIC_NAMESPACES = frozenset({"admin"})  # Django admin: its own sign-in, staff only
PUBLIC_PREFIXES = ("static/",)

# Open to every signed-in member whatever their roles; each still shows only the member's own data.
MEMBER_URLS = frozenset(
    {
        "home",
        "accounts:logout",
        "accounts:password_change",
        "accounts:tenant_switch",
        "accounts:tokens",
        "notifications:list",
        "notifications:bell",
        "notifications:mark_read",
        "api:me",
        "api:token-list",
        "api:notification-list",
        "api:notification-read-all",
        "api:schema",
        "api:docs",
    }
)

UrlObjects = Callable[[Any], dict[str, Any]]
URL_OBJECTS: dict[str, UrlObjects] = {}

_seq = itertools.count(1)


def url_objects(*names: str) -> Callable[[UrlObjects], UrlObjects]:
    """Register a factory filling the parameters of the named URL patterns."""

    def register(factory: UrlObjects) -> UrlObjects:
        for name in names:
            URL_OBJECTS[name] = factory
        return factory

    return register


def seed_name(tenant, what: str) -> str:
    """A name that marks a seeded object as belonging to `tenant` (see `seed_marker`)."""
    return f"seed-{tenant.slug}-{what}-{next(_seq)}"


def seed_marker(tenant) -> str:
    return f"seed-{tenant.slug}-"


def autodiscover() -> None:
    """Import every app's `tests/url_objects.py`, where apps register their factories."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tests.url_objects")


# --- enumerating the URL conf ------------------------------------------------------------------


@dataclass(frozen=True)
class UrlCase:
    """One routed URL pattern, with the parameters its full route takes."""

    name: str | None
    route: str
    params: tuple[str, ...]
    callback: Callable = field(compare=False, repr=False)
    namespace: str = ""

    @property
    def id(self) -> str:
        return self.name or f"<unnamed {self.route}>"

    @property
    def is_api(self) -> bool:
        """DRF views answer refusals with problem JSON, wherever they are mounted."""
        from rest_framework.views import APIView

        view_class = getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)
        return isinstance(view_class, type) and issubclass(view_class, APIView)

    @property
    def is_public(self) -> bool:
        return (
            self.name in PUBLIC_URLS
            or self.namespace.split(":")[0] in PUBLIC_NAMESPACES
            or self.route.startswith(PUBLIC_PREFIXES)
        )

    @property
    def model(self):
        """The model a DRF view lists, if it has one."""
        queryset = getattr(getattr(self.callback, "cls", None), "queryset", None)
        return getattr(queryset, "model", None)

    def url(self, kwargs: dict[str, Any] | None = None) -> str:
        assert self.name, f"{self.route}: name this URL pattern (path(..., name=...)) so it can be checked."
        return reverse(self.name, kwargs=kwargs or None)


def _walk(patterns, prefix: str, namespace: str, params: tuple[str, ...]) -> Iterator[UrlCase]:
    for pattern in patterns:
        names = params + tuple(pattern.pattern.regex.groupindex)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, inner or namespace, names)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield UrlCase(name=name, route=route, params=names, callback=pattern.callback, namespace=namespace)


def url_cases() -> list[UrlCase]:
    """Every URL pattern of the URL conf, once each.

    DRF format-suffix variants (`\\.(?P<format>[a-z0-9]+)`) route to the same view as the plain
    pattern under the same name, so they are left out: the plain pattern covers the view.
    """
    cases, seen = [], set()
    for case in _walk(get_resolver().url_patterns, "", "", ()):
        if "format" in case.params or (case.name, case.route) in seen:
            continue
        seen.add((case.name, case.route))
        cases.append(case)
    return cases


def case_ids(cases: list[UrlCase]) -> list[str]:
    """Readable, unique pytest ids: the URL name, with the route when a name is reused."""
    counts: dict[str, int] = {}
    for case in cases:
        counts[case.id] = counts.get(case.id, 0) + 1
    return [case.id if counts[case.id] == 1 else f"{case.id} [{case.route}]" for case in cases]


def kwargs_for(case: UrlCase, tenant) -> dict[str, Any]:
    """The URL kwargs for `case`, from an object created in `tenant` by the registered factory."""
    if not case.params:
        return {}
    factory = URL_OBJECTS.get(case.name or "")
    if factory is None:
        raise MissingUrlObjects(case)
    kwargs = factory(tenant)
    missing = set(case.params) - set(kwargs)
    if missing:
        raise AssertionError(f"The URL_OBJECTS factory for {case.id!r} did not return {sorted(missing)}.")
    return {key: kwargs[key] for key in case.params}


class MissingUrlObjects(AssertionError):
    def __init__(self, case: UrlCase):
        hint = (
            "Name the URL pattern (path(..., name=...)) so it can be registered."
            if not case.name
            else f'Add a factory: @url_objects("{case.name}") def ...(tenant) -> dict of {list(case.params)}, '
            "creating the object in `tenant`, owned by a colleague, in tandem/<app>/tests/url_objects.py "
            "(or in URL_OBJECTS in tandem/testing/permissions.py)."
        )
        super().__init__(
            f"URL {case.id!r} ({case.route}) takes parameters {list(case.params)} but no object factory is "
            f"registered for it, so its permissions are not checked. {hint}"
        )


# --- requests and assertions -------------------------------------------------------------------


def fetch(client, url: str):
    """GET the URL; a view that refuses GET gets the first write method it allows, with an empty body."""
    response = client.get(url)
    if response.status_code == 405:
        allowed = {m.strip().upper() for m in response.get("Allow", "").split(",")}
        method = next((m for m in ("POST", "PUT", "PATCH", "DELETE") if m in allowed), "POST")
        response = getattr(client, method.lower())(url)
    return response


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def describe(response) -> str:
    return f"{response.status_code} {response.get('Content-Type', '')} {body_text(response)[:300]!r}"


class PermissionAssertions:
    """The answers the generic checks expect; usable as a mixin or through the module functions."""

    def assert_sign_in_required(self, response, case: UrlCase) -> None:
        if case.is_api:
            assert response.status_code == 401, f"{case.id}: anonymous got {describe(response)}, expected 401"
            assert response["Content-Type"].startswith(PROBLEM_JSON), f"{case.id}: {describe(response)}"
            assert json.loads(body_text(response))["status"] == 401
        else:
            assert response.status_code == 302, f"{case.id}: anonymous got {describe(response)}, expected 302"
            assert response["Location"].startswith(LOGIN_PATH), f"{case.id}: redirected to {response['Location']}"

    def assert_refused(self, response, case: UrlCase) -> None:
        assert response.status_code in (403, 404), f"{case.id}: expected 403 or 404, got {describe(response)}"
        if case.is_api:
            assert response["Content-Type"].startswith(PROBLEM_JSON), f"{case.id}: {describe(response)}"

    def assert_not_found(self, response, case: UrlCase) -> None:
        assert response.status_code == 404, f"{case.id}: expected 404, got {describe(response)}"
        if case.is_api:
            assert response["Content-Type"].startswith(PROBLEM_JSON), f"{case.id}: {describe(response)}"

    def assert_no_rows_of(self, response, case: UrlCase, *, marker: str, tenant_id: int) -> None:
        """Neither seeded names of another owner nor (for API lists) rows of another tenant are shown."""
        text = body_text(response)
        assert marker not in text, f"{case.id}: shows data marked {marker!r}: {text[text.find(marker) - 200 :][:400]!r}"
        model = case.model
        if model is None or not response.get("Content-Type", "").startswith("application/json"):
            return
        data = json.loads(text)
        rows = data.get("results", []) if isinstance(data, dict) else data
        ids = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
        if ids and any(f.name == "tenant" for f in model._meta.fields):
            foreign = model._base_manager.filter(pk__in=ids).exclude(tenant_id=tenant_id)
            assert not foreign.exists(), f"{case.id}: lists rows of another tenant: {list(foreign.values('pk'))}"


_assertions = PermissionAssertions()
assert_sign_in_required = _assertions.assert_sign_in_required
assert_refused = _assertions.assert_refused
assert_not_found = _assertions.assert_not_found
assert_no_rows_of = _assertions.assert_no_rows_of


def seed_all(tenant) -> None:
    """Run every registered factory once in `tenant` (data for the list checks to look for)."""
    for factory in dict.fromkeys(URL_OBJECTS.values()):
        factory(tenant)


# --- factories for the platform's own URLs ---------------------------------------------------------


def colleague(tenant, *roles: str):
    """A member who owns seeded objects; never the member making the request."""
    from tandem.testing.kit import make_member

    return make_member(tenant, *roles, username=seed_name(tenant, "user"), display_name=seed_name(tenant, "name"))


@url_objects("accounts:member_edit", "api:member-detail")
def _membership(tenant):
    return {"pk": colleague(tenant, "sales").pk}


@url_objects("accounts:role_edit", "accounts:role_delete", "api:role-detail")
def _role(tenant):
    from tandem.accounts.models import Role

    role = Role.objects.create(
        tenant=tenant, key=f"seeded{next(_seq)}", name=seed_name(tenant, "role"), permissions=["testing.*"]
    )
    return {"pk": role.pk}


@url_objects("accounts:department_edit", "api:department-detail")
def _department(tenant):
    from tandem.accounts.models import Department

    return {"pk": Department.objects.create(tenant=tenant, name=seed_name(tenant, "department")).pk}


@url_objects("accounts:token_revoke", "api:token-detail", "api:token-revoke")
def _token(tenant):
    from tandem.accounts.services.tokens import token_create

    token, _secret = token_create(membership=colleague(tenant), name=seed_name(tenant, "token"))
    return {"pk": token.pk}


@url_objects("api:auditentry-detail")
def _audit_entry(tenant):
    from tandem.accounts.models import Department
    from tandem.audit.models import AuditAction
    from tandem.audit.services.audit import audit_record

    department = Department.objects.create(tenant=tenant, name=seed_name(tenant, "audited"))
    entry = audit_record(obj=department, action=AuditAction.CREATE, actor=colleague(tenant).user, after={})
    return {"pk": entry.pk}


@url_objects("api:securityevent-detail")
def _security_event(tenant):
    from tandem.audit.models import SecurityEventKind
    from tandem.audit.services.audit import security_event

    user = colleague(tenant).user
    return {"pk": security_event(kind=SecurityEventKind.LOGIN_SUCCESS, tenant_id=tenant.pk, user=user).pk}


@url_objects("api:notification-detail", "api:notification-read")
def _notification(tenant):
    from tandem.notifications.services.notifications import notification_send

    recipient = colleague(tenant).user
    return {"pk": notification_send(tenant_id=tenant.pk, recipient_id=recipient.pk, title=seed_name(tenant, "n")).pk}


def _sample_record(tenant, **fields):
    from tandem.testing.models import SampleRecord

    return SampleRecord.objects.create(
        tenant=tenant, owner=colleague(tenant).user, name=seed_name(tenant, "rec"), **fields
    )


@url_objects("sample_page", "samplerecord-detail")
def _record(tenant):
    return {"pk": _sample_record(tenant).pk}


@url_objects("sampleitem-detail")
def _item(tenant):
    from tandem.testing.models import SampleItem

    record = _sample_record(tenant)
    item = SampleItem.objects.create(
        tenant=tenant, record=record, created_by=record.owner, title=seed_name(tenant, "item")
    )
    return {"pk": item.pk}


@url_objects("api:record-attachments", "api:record-shares", "api:record-transfer")
def _record_by_type(tenant):
    return {"type_key": "testing.samplerecord", "pk": _sample_record(tenant).pk}


@url_objects("api:attachment-download")
def _attachment(tenant):
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from tandem.core.models import Attachment

    record = _sample_record(tenant)
    attachment = Attachment(
        tenant=tenant,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        name=seed_name(tenant, "file") + ".txt",
        size=1,
        mime_type="text/plain",
        sha256="0" * 64,
        uploaded_by=record.owner,
    )
    attachment.file.save(attachment.name, ContentFile(b"x"), save=False)
    attachment.save()
    return {"pk": attachment.pk}


@url_objects("api:numberingrule-detail")
def _numbering_rule(tenant):
    from tandem.core.models import NumberingRule

    return {"pk": NumberingRule.objects.create(tenant=tenant, object_type=seed_name(tenant, "type"), prefix="SD").pk}


@url_objects("core:recycle_bin_restore", "core:recycle_bin_purge", "api:recycle-bin-restore", "api:recycle-bin-purge")
def _deleted_record(tenant):
    from django.utils import timezone

    record = _sample_record(tenant, deleted_at=timezone.now())
    return {"type_key": "testing.samplerecord", "pk": record.pk}
