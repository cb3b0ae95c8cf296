"""The audit page shows each change as "field label: old → new" in the reader's language and the tenant's time
zone, with linked records and choices by name; the raw values stay one click away."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from tandem.audit.models import AuditEntry
from tandem.crm.services.accounts import account_update
from tandem.crm.tests.factories import make_account
from tandem.records.services.transfer import record_transfer_owner
from tandem.testing.kit import access_for, make_member, page_client

UTC = ZoneInfo("UTC")


def _page(member, language: str, **params) -> str:
    client = page_client(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/audit/", params)
    assert response.status_code == 200
    return response.content.decode()


def _primary(html: str) -> str:
    """The page without its raw-data panels: what a reader sees before opening anything."""
    return re.sub(r'<details class="mt-1 audit-raw">.*?</details>', "", html, flags=re.S)


def _row(html: str, text: str) -> str:
    """The table row that mentions `text`."""
    return next(row for row in html.split("<tbody>", 1)[1].split("<tr>") if text in row)


def _flat(html: str) -> str:
    """The visible text (the arrow's words for screen readers aside)."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def changed_account(tenant):
    manager = make_member(tenant, "sales_manager", display_name="王磊")
    rep = make_member(tenant, "sales", display_name="陈晓")
    account = make_account(tenant, manager.user, name="武汉地铁集团有限公司", tier="a")
    access = access_for(manager)
    account_update(access=access, account=account, tier="vip", credit_code="91420100MA4K00001U")
    record_transfer_owner(access=access, obj=account, new_owner=rep.user, reason="区域调整")
    return account


@pytest.mark.parametrize(
    ("language", "tier", "code", "owner"),
    [
        ("en", "Tier: Tier A → VIP", "Unified social credit code: — → 91420100MA4K00001U", "Owner: 王磊 → 陈晓"),
        ("zh-hans", "客户等级: A 级 → VIP", "统一社会信用代码: — → 91420100MA4K00001U", "负责人: 王磊 → 陈晓"),
    ],
)
def test_changes_read_as_labels_with_old_and_new_values(tenant, changed_account, language, tier, code, owner):
    auditor = make_member(tenant, "auditor")
    html = _page(auditor, language, object_type="crm.account")
    shown = _flat(_primary(html))
    assert tier in shown and code in shown and owner in shown
    assert ("Reason: — → 区域调整" if language == "en" else "原因: — → 区域调整") in shown  # a service's own key
    # Code names and ids are not what the reader sees first, but the raw values are kept.
    assert "credit_code" not in shown and "owner_id" not in shown and '"tier"' not in shown
    assert "credit_code" in html and 'class="mt-1 audit-raw"' in html
    assert ("Account #" if language == "en" else "客户 #") in shown  # the record type by name, not crm.account


def test_times_inside_a_change_are_local_like_the_row_time(tenant):
    auditor = make_member(tenant, "auditor")
    account = make_account(tenant, auditor.user)
    AuditEntry.objects.create(
        tenant_id=tenant.pk,
        object_type="crm.account",
        object_id=str(account.pk),
        object_repr=account.name,
        action="update",
        before={"claimed_at": None, "last_activity_at": None},
        after={"claimed_at": "2026-01-10T04:00:00Z", "last_activity_at": "2026-01-10T05:00:00"},  # naive: UTC
        created_at=datetime(2026, 1, 10, 4, 0, 30, tzinfo=UTC),
    )
    shown = _flat(_primary(_page(auditor, "en")))
    assert "2026-01-10 12:00:30" in shown  # the row's time, in Asia/Shanghai
    assert "Claimed at: — → 2026-01-10 12:00" in shown
    assert "Last follow-up: — → 2026-01-10 13:00" in shown
    assert "04:00" not in shown and "Asia/Shanghai" in shown


def test_a_created_record_lists_its_filled_in_fields_and_unknown_keys_as_they_are(tenant):
    auditor = make_member(tenant, "auditor")
    AuditEntry.objects.create(
        tenant_id=tenant.pk,
        object_type="crm.account",
        object_id="1",
        object_repr="上海建工",
        action="create",
        after={"id": 1, "tenant_id": tenant.pk, "name": "上海建工", "city": "", "risk_flag": True, "imported": 3},
    )
    AuditEntry.objects.create(
        tenant_id=tenant.pk, object_type="gone.model", object_id="9", object_repr="x", action="delete", before={"a": 1}
    )
    AuditEntry.objects.create(
        tenant_id=tenant.pk,
        object_type="crm.account",
        object_id="2",
        object_repr="武汉地铁",
        action="transfer",
        before={"owner": None},
        after={"owner": None, "pool_move": "release"},
    )
    html = _primary(_page(auditor, "en"))
    created = _flat(_row(html, "上海建工"))
    assert "Name: 上海建工" in created and "High risk: Yes" in created and "imported: 3" in created
    assert "City:" not in created and "Tenant" not in created and "ID" not in created
    assert "Pool move: — → Released to the pool" in _flat(_row(html, "武汉地铁"))  # a key crm registered
    assert "gone.model #9" in _flat(html) and "a: 1" in _flat(_row(html, "gone.model"))


def test_the_page_resolves_linked_records_in_a_constant_number_of_queries(
    tenant, changed_account, django_assert_max_num_queries
):
    auditor = make_member(tenant, "auditor")
    client = page_client(auditor)
    client.get("/audit/")
    for _ in range(5):
        other = make_account(tenant, auditor.user)
        record_transfer_owner(
            access=access_for(make_member(tenant, "admin")), obj=other, new_owner=auditor.user, reason="x"
        )
    with django_assert_max_num_queries(20):
        assert client.get("/audit/").status_code == 200
