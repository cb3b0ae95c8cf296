"""List endpoints and list pages issue the same number of queries for 3 rows as for 30 (no N+1)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import Department, Role
from tandem.audit.models import AuditAction, SecurityEventKind
from tandem.audit.services.audit import audit_record, security_event
from tandem.testing.kit import api_client, make_member, page_client
from tandem.testing.models import SampleRecord

_seq = itertools.count(1)


def add_members(tenant, n):
    department = Department.objects.create(tenant=tenant, name=f"部门{next(_seq)}")
    manager = make_member(tenant, "sales_manager", department=department).user
    for _ in range(n):
        make_member(tenant, "sales", "pm", department=department, manager=manager, display_name=f"成员{next(_seq)}")


def add_roles(tenant, n):
    member = make_member(tenant)
    for _ in range(n):
        role = Role.objects.create(tenant=tenant, key=f"role{next(_seq)}", name="角色", permissions=["testing.*"])
        member.roles.add(role)


def add_departments(tenant, n):
    parent = Department.objects.create(tenant=tenant, name=f"总部{next(_seq)}")
    head = make_member(tenant).user
    for _ in range(n):
        Department.objects.create(tenant=tenant, name=f"部门{next(_seq)}", parent=parent, head=head)


def add_audit_entries(tenant, n):
    actor = make_member(tenant).user
    for _ in range(n):
        department = Department.objects.create(tenant=tenant, name=f"部门{next(_seq)}")
        audit_record(obj=department, action=AuditAction.CREATE, actor=actor, after={"name": department.name})


def add_security_events(tenant, n):
    user = make_member(tenant).user
    for _ in range(n):
        security_event(kind=SecurityEventKind.LOGIN_SUCCESS, tenant_id=tenant.pk, user=user)


def add_records(tenant, n):
    for _ in range(n):
        SampleRecord.objects.create(tenant=tenant, owner=make_member(tenant).user, name=f"记录{next(_seq)}")


CASES = [
    ("/api/v1/users/", add_members),
    ("/api/v1/roles/", add_roles),
    ("/api/v1/departments/", add_departments),
    ("/api/v1/audit/entries/", add_audit_entries),
    ("/api/v1/audit/security-events/", add_security_events),
    ("/testing/api/records/", add_records),
    ("/accounts/users/", add_members),
    ("/audit/", add_audit_entries),
    ("/audit/?tab=security", add_security_events),
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, queries


def rows_shown(response) -> int:
    if response["Content-Type"].startswith("application/json"):
        return len(response.json()["results"])
    return len(response.context["page"].object_list)


@pytest.mark.parametrize(("url", "add_rows"), CASES, ids=[url for url, _f in CASES])
def test_list_queries_do_not_grow_with_rows(tenant, url, add_rows):
    admin = make_member(tenant, "admin")
    client = api_client(admin) if "/api/" in url else page_client(admin)
    add_rows(tenant, 3)
    client.get(url)  # warm-up: once-per-process caches (content types) and the token's last-use stamp

    few, few_queries = count_queries(client, url)
    add_rows(tenant, 27)
    many, many_queries = count_queries(client, url)

    assert rows_shown(many) >= rows_shown(few) + 27  # the page really lists the new rows
    assert len(many_queries) == len(few_queries), "\n".join(
        [f"{len(few_queries)} queries for {rows_shown(few)} rows, {len(many_queries)} for {rows_shown(many)}:"]
        + [q["sql"] for q in many_queries.captured_queries]
    )
