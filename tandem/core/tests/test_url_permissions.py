"""Every routed URL, checked for anonymous visitors, members without roles, and other tenants' data.

The URL conf is enumerated at collection time, so a new view or endpoint is covered without
touching this file; one with parameters fails until it has an object factory (see
`tandem/testing/permissions.py`).
"""

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from tandem.testing.kit import api_client, make_member, make_tenant, page_client
from tandem.testing.permissions import (
    ADMIN_LOGIN_PATH,
    MEMBER_URLS,
    PUBLIC_URLS,
    URL_OBJECTS,
    MissingUrlObjects,
    assert_no_rows_of,
    assert_not_found,
    assert_refused,
    assert_sign_in_required,
    autodiscover,
    body_text,
    case_ids,
    describe,
    fetch,
    kwargs_for,
    seed_all,
    seed_marker,
    url_cases,
)

autodiscover()
CASES = url_cases()
PROTECTED = [c for c in CASES if not c.is_public]
WITH_PARAMS = [c for c in PROTECTED if c.params]
WITHOUT_PARAMS = [c for c in PROTECTED if not c.params]
# Admin patterns with parameters take any value (app_label must match the pattern): the admin refuses
# before it looks anything up.
ADMIN_DUMMY_KWARGS = {"app_label": "auth"}
PUBLIC = [c for c in CASES if c.is_public and c.name]


def group_of(case) -> str:
    """The app a URL without parameters belongs to: `api/crm` for `api/v1/crm/...`, `crm` for `crm/...`."""
    parts = case.route.strip("/").split("/")
    if parts[:2] == ["api", "v1"]:
        return "api/" + (parts[2] if len(parts) > 2 else "")
    return parts[0] or "home"


# The checks that need every factory's data seeded run once per app over its URLs: seeding is the cost, and
# each URL still sees the data exactly as seeded (its request runs in a savepoint that is rolled back).
GROUPS = sorted({group_of(c) for c in WITHOUT_PARAMS})


def each_url(group: str, check) -> None:
    failures = []
    for case in (c for c in WITHOUT_PARAMS if group_of(c) == group):
        with transaction.atomic():
            try:
                check(case)
            except AssertionError as exc:
                failures.append(f"{case.id}: {exc}")
            transaction.set_rollback(True)
    assert not failures, "\n\n".join(failures)


def client_for(case, membership=None):
    if case.is_api:
        return api_client(membership) if membership is not None else APIClient()
    return page_client(membership) if membership is not None else Client()


def test_the_url_conf_is_enumerated_through_includes():
    ids = set(case_ids(CASES))
    # One of each kind: a page, a page with a parameter, router list/detail/action, a nested include.
    for name in (
        "home",
        "accounts:member_edit",
        "api:member-list",
        "api:token-revoke",
        "api:auditentry-detail",
        "core:recycle_bin_purge",
        "samplerecord-detail",
        "admin:index",
    ):
        assert name in ids, f"{name} not enumerated"
    assert all("format" not in c.params for c in CASES)
    assert next(c for c in CASES if c.name == "api:member-detail").params == ("pk",)
    assert next(c for c in CASES if c.name == "core:recycle_bin_restore").params == ("type_key", "pk")


def test_every_protected_url_is_named_and_has_an_object_factory():
    problems = [str(MissingUrlObjects(c)) for c in WITH_PARAMS if not c.name or c.name not in URL_OBJECTS]
    problems += [f"{c.route}: name this URL pattern." for c in WITHOUT_PARAMS if not c.name]
    assert not problems, "\n".join(problems)


def test_registries_name_only_existing_urls():
    names = {c.name for c in CASES}
    stale = sorted((set(URL_OBJECTS) | MEMBER_URLS | PUBLIC_URLS) - names)
    assert not stale, f"registered for URLs that no longer exist: {stale}"


def test_a_parametrised_url_without_a_factory_fails_with_instructions(tenant):
    case = next(c for c in WITH_PARAMS if c.name == "accounts:member_edit")
    unregistered = type(case)(
        name="crm:example_unregistered", route="crm/deals/<int:pk>/", params=("pk",), callback=case.callback
    )
    with pytest.raises(
        MissingUrlObjects, match=r"crm:example_unregistered.*@url_objects\(\"crm:example_unregistered\"\)"
    ):
        kwargs_for(unregistered, tenant)


@pytest.mark.parametrize("case", PROTECTED, ids=case_ids(PROTECTED))
def test_anonymous_must_sign_in(case, tenant):
    url = case.url(kwargs_for(case, tenant))
    assert_sign_in_required(fetch(client_for(case), url), case)


@pytest.mark.parametrize("case", PUBLIC, ids=case_ids(PUBLIC))
def test_public_urls_answer_anonymous_and_admin_sends_to_its_own_sign_in(case, tenant):
    # A public page behind a token (a survey link) gets a real one from its URL factory.
    if case.name in URL_OBJECTS:
        kwargs = kwargs_for(case, tenant)
    else:
        kwargs = {p: ADMIN_DUMMY_KWARGS.get(p, "1") for p in case.params}
    response = fetch(Client(), case.url(kwargs))
    assert response.status_code < 500, describe(response)
    if case.namespace == "admin" and case.name != "admin:login":
        assert response.status_code == 302, describe(response)
        assert response["Location"].startswith("/admin/"), response["Location"]
        # A tenant member is not staff: the admin refuses them too.
        member = make_member(tenant, "owner")
        response = fetch(page_client(member), case.url(kwargs))
        assert response.status_code == 302, describe(response)
        assert response["Location"].startswith(("/admin/", ADMIN_LOGIN_PATH)), response["Location"]
    else:
        # A rule's inbound webhook answers 401 to a request without a valid signature.
        allowed = (401, 405) if case.name == "automation:hook" else (200, 204, 302)
        assert response.status_code in allowed, describe(response)


@pytest.mark.parametrize("case", WITH_PARAMS, ids=case_ids(WITH_PARAMS))
def test_member_without_roles_cannot_reach_a_colleagues_object(case, tenant):
    kwargs = kwargs_for(case, tenant)
    nobody = make_member(tenant)
    assert_refused(fetch(client_for(case, nobody), case.url(kwargs)), case)


@pytest.mark.parametrize("group", GROUPS)
def test_member_without_roles_is_refused_or_sees_only_their_own(group, tenant):
    seed_all(tenant)
    nobody = make_member(tenant)

    def check(case):
        response = fetch(client_for(case, nobody), case.url())
        if case.name in MEMBER_URLS:
            assert response.status_code < 400 or response.status_code in (403, 404), describe(response)
            assert_no_rows_of(response, case, marker=seed_marker(tenant), tenant_id=tenant.pk)
        else:
            assert response.status_code not in range(200, 300), (
                f"{case.id} answered {describe(response)} to a member without roles. If every member may open it "
                "(showing only their own data), add it to MEMBER_URLS in tandem/testing/permissions.py; "
                "otherwise require a permission."
            )
            assert_refused(response, case)

    each_url(group, check)


@pytest.mark.parametrize("case", WITH_PARAMS, ids=case_ids(WITH_PARAMS))
def test_another_tenants_object_is_not_found(case, tenant):
    foreign_kwargs = kwargs_for(case, make_tenant())
    admin = make_member(tenant, "admin")
    assert_not_found(fetch(client_for(case, admin), case.url(foreign_kwargs)), case)


@pytest.mark.parametrize("group", GROUPS)
def test_lists_never_show_another_tenants_rows(group, tenant):
    foreign = make_tenant(name="ZZ Foreign Tenant")
    seed_all(foreign)
    admin = make_member(tenant, "admin")

    def check(case):
        client = client_for(case, admin)
        response = client.get(case.url())
        if response.status_code == 405:  # an action, not a list: it must not reveal or touch foreign rows either
            response = client.post(case.url())
            assert response.status_code < 500, describe(response)
        else:
            assert response.status_code == 200, f"{case.id}: the administrator got {describe(response)}"
        assert_no_rows_of(response, case, marker=seed_marker(foreign), tenant_id=tenant.pk)
        assert foreign.name not in body_text(response), f"{case.id}: shows the other tenant's name"

    each_url(group, check)
