"""Writing the trail: snapshots mask sensitive fields, updates keep only what changed, context is recorded."""

import pytest
from django.test import Client

from tandem.accounts.models import User
from tandem.audit.models import AuditAction, AuditEntry, SecurityEvent, SecurityEventKind
from tandem.audit.services.audit import audit_record, security_event, snapshot
from tandem.core import context
from tandem.core.masking import mask


@pytest.mark.parametrize(
    ("value", "kind", "masked"),
    [
        ("13812345678", "phone", "138****5678"),
        ("+8613812345678", "phone", "+86*******5678"),
        ("110101199003071234", "id_number", "1101**********1234"),
        ("6222020200112233445", "bank_card", "6222***********3445"),
        ("hunter2", "secret", "******"),
        ("张三丰", "default", "张*丰"),
        ("ab", "default", "**"),
        ("", "phone", ""),
        (None, "phone", ""),
        ("12345", "phone", "1***5"),
    ],
)
def test_mask_keeps_only_enough_to_recognise_a_value(value, kind, masked):
    assert mask(value, kind) == masked


def test_snapshot_masks_the_models_sensitive_fields(db):
    user = User(username="liqiang", phone="13812345678", email="li@example.com")
    user.set_password("Secret-pass-2026")
    user.save()

    data = snapshot(user)

    assert data["phone"] == "138****5678"
    assert data["password"] == "******"
    assert data["email"] == "li@example.com"
    assert data["username"] == "liqiang"


def test_an_update_row_keeps_only_the_changed_fields(db):
    user = User.objects.create(username="zhaoyun", phone="13812345678", display_name="赵云")
    before = snapshot(user)
    user.display_name = "赵子龙"
    user.save()

    entry = audit_record(obj=user, action=AuditAction.UPDATE, before=before, after=snapshot(user), tenant_id=7)

    assert (entry.before, entry.after) == ({"display_name": "赵云"}, {"display_name": "赵子龙"})
    assert (entry.object_type, entry.object_id, entry.tenant_id) == ("accounts.user", str(user.pk), 7)


def test_an_update_that_changed_nothing_writes_nothing(db):
    user = User.objects.create(username="nochange")
    assert audit_record(obj=user, action=AuditAction.UPDATE, before=snapshot(user), after=snapshot(user)) is None
    assert not AuditEntry.objects.exists()


def test_rows_carry_the_requests_id_address_and_user_agent(db):
    user = User.objects.create(username="ctx")
    token = context.activate(context.RequestContext(request_id="req-12345678", ip="192.0.2.10", user_agent="UA/1"))
    try:
        entry = audit_record(obj=user, action=AuditAction.CREATE, actor=user, after=snapshot(user))
        event = security_event(kind=SecurityEventKind.LOGIN_SUCCESS, user=user, tenant_id=3, extra={"a": 1})
    finally:
        context.deactivate(token)

    assert (entry.request_id, entry.ip, entry.actor_id, entry.actor_name) == (
        "req-12345678",
        "192.0.2.10",
        user.pk,
        "ctx",
    )
    assert (event.request_id, event.ip, event.user_agent) == ("req-12345678", "192.0.2.10", "UA/1")
    assert (event.user_id, event.username, event.tenant_id, event.detail) == (user.pk, "ctx", 3, {"extra": {"a": 1}})


def test_the_request_context_comes_from_the_request(db, settings):
    client = Client(REMOTE_ADDR="198.51.100.4", HTTP_X_REQUEST_ID="trace-abcdef12", HTTP_USER_AGENT="Edge/120")
    response = client.post("/accounts/login/", {"username": "ghost", "password": "x"})

    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN_FAILURE)
    assert response["X-Request-ID"] == "trace-abcdef12"
    assert (event.request_id, event.ip, event.user_agent) == ("trace-abcdef12", "198.51.100.4", "Edge/120")


def test_a_forwarded_address_is_trusted_only_behind_a_configured_proxy(db, settings):
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")
    client.post("/accounts/login/", {"username": "ghost", "password": "x"})
    settings.TANDEM_TRUST_PROXY = True
    client.post("/accounts/login/", {"username": "ghost", "password": "x"})

    ips = list(
        SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILURE).order_by("id").values_list("ip", flat=True)
    )
    assert ips == ["10.0.0.1", "203.0.113.9"]


def test_a_bad_request_id_is_replaced(db):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces")
    assert response["X-Request-ID"] != "bad id with spaces"
    assert len(response["X-Request-ID"]) == 32


def test_security_event_details_are_json_safe(db):
    from datetime import datetime
    from decimal import Decimal

    event = security_event(kind=SecurityEventKind.ROLE_CHANGED, when=datetime(2026, 1, 2, 3, 4), amount=Decimal("1.50"))
    event.refresh_from_db()
    assert event.detail["amount"] == "1.50"
    assert datetime.fromisoformat(event.detail["when"]) == datetime(2026, 1, 2, 3, 4)
