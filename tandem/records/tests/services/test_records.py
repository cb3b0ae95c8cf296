"""Shared record services: numbering, soft delete and expiry purge, owner transfer, sharing, attachments."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.core.models import Attachment, NumberingRule, NumberSequence, RecordShare
from tandem.records.services.attachments import attachment_add
from tandem.records.services.numbering import number_next
from tandem.records.services.recycle_bin import record_soft_delete, recycle_bin_purge_expired
from tandem.records.services.sharing import record_share
from tandem.records.services.transfer import record_transfer_owner
from tandem.testing.kit import access_for, make_member
from tandem.testing.models import SampleRecord


def on(year: int, month: int, day: int, hour: int = 10):
    return timezone.make_aware(datetime(year, month, day, hour))


def audit_rows(obj, action: str):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action)


@pytest.fixture
def admin(admin_member):
    return access_for(admin_member)


@pytest.fixture
def sales_member(tenant):
    return make_member(tenant, "sales")


@pytest.fixture
def record(tenant, admin_member):
    return SampleRecord.objects.create(tenant=tenant, owner=admin_member.user, name="万科城三期", phone="13901023457")


# --- numbering ----------------------------------------------------------------------------------


def test_number_next_defaults_to_prefix_day_and_four_digits_reset_daily(tenant):
    def draw(when):
        return number_next(tenant_id=tenant.pk, object_type="crm.contract", default_prefix="HT", on=when)

    assert draw(on(2026, 11, 27)) == "HT-20261127-0001"
    assert draw(on(2026, 11, 27, 16)) == "HT-20261127-0002"
    assert draw(on(2026, 11, 28)) == "HT-20261128-0001"
    assert draw(on(2026, 11, 27)) == "HT-20261127-0003"


def test_number_next_uses_the_local_date(tenant):
    # 17:30 UTC on the 27th is already the 28th in Asia/Shanghai.
    late = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)
    assert number_next(tenant_id=tenant.pk, object_type="crm.contract", default_prefix="HT", on=late) == (
        "HT-20261128-0001"
    )


@pytest.mark.parametrize(
    ("reset", "draws"),
    [
        (
            NumberingRule.Reset.MONTHLY,
            [((2026, 11, 1), "XM-202611-0001"), ((2026, 11, 30), "XM-202611-0002"), ((2026, 12, 1), "XM-202612-0001")],
        ),
        (
            NumberingRule.Reset.YEARLY,
            [((2026, 1, 1), "XM-2026-0001"), ((2026, 12, 31), "XM-2026-0002"), ((2027, 1, 1), "XM-2027-0001")],
        ),
        (
            NumberingRule.Reset.NEVER,
            [((2026, 1, 1), "XM-0001"), ((2027, 6, 1), "XM-0002"), ((2031, 1, 1), "XM-0003")],
        ),
        (
            NumberingRule.Reset.DAILY,
            [
                ((2026, 11, 27), "XM-20261127-0001"),
                ((2026, 11, 27), "XM-20261127-0002"),
                ((2026, 11, 28), "XM-20261128-0001"),
            ],
        ),
    ],
)
def test_number_next_resets_per_rule(tenant, reset, draws):
    NumberingRule.objects.create(tenant=tenant, object_type="projects.project", prefix="XM", reset=reset)
    for day, expected in draws:
        assert number_next(tenant_id=tenant.pk, object_type="projects.project", default_prefix="P", on=on(*day)) == (
            expected
        )


def test_number_next_custom_prefix_padding_and_separator(tenant):
    NumberingRule.objects.create(
        tenant=tenant, object_type="crm.quote", prefix="BJ", padding=6, separator="", reset=NumberingRule.Reset.MONTHLY
    )
    assert number_next(tenant_id=tenant.pk, object_type="crm.quote", default_prefix="Q", on=on(2026, 3, 5)) == (
        "BJ202603000001"
    )
    NumberingRule.objects.filter(tenant=tenant, object_type="crm.quote").update(separator="/", padding=2)
    assert number_next(tenant_id=tenant.pk, object_type="crm.quote", default_prefix="Q", on=on(2026, 3, 5)) == (
        "BJ/202603/02"
    )


def test_number_sequences_are_per_tenant_and_per_type(tenant, other_tenant):
    day = on(2026, 11, 27)
    assert number_next(tenant_id=tenant.pk, object_type="crm.contract", default_prefix="HT", on=day).endswith("0001")
    assert number_next(tenant_id=tenant.pk, object_type="crm.quote", default_prefix="BJ", on=day).endswith("0001")
    assert number_next(tenant_id=other_tenant.pk, object_type="crm.contract", default_prefix="HT", on=day).endswith(
        "0001"
    )
    assert number_next(tenant_id=tenant.pk, object_type="crm.contract", default_prefix="HT", on=day).endswith("0002")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_number_next_is_gap_free_and_unique_under_concurrency(tenant):
    """Ten threads, each on its own database connection, draw 50 numbers of one day at once."""
    threads_count, per_thread = 10, 5
    day = on(2026, 11, 27)
    start = threading.Barrier(threads_count)
    drawn: list[str] = []
    errors: list[BaseException] = []

    def worker():
        try:
            start.wait()
            for _ in range(per_thread):
                drawn.append(number_next(tenant_id=tenant.pk, object_type="crm.contract", default_prefix="HT", on=day))
        except BaseException as exc:  # surfaced below: an exception in a thread would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(drawn) == threads_count * per_thread
    assert sorted(int(n.rsplit("-", 1)[1]) for n in drawn) == list(range(1, 51))
    assert all(n.startswith("HT-20261127-") for n in drawn)
    assert NumberSequence.objects.get(tenant=tenant, object_type="crm.contract").last_value == 50


# --- soft delete and purge of expired -----------------------------------------------------------


def test_soft_delete_hides_record_and_is_audited(admin, record):
    record_soft_delete(access=admin, obj=record)

    assert not SampleRecord.objects.filter(pk=record.pk).exists()
    assert not SampleRecord._default_manager.filter(pk=record.pk).exists()
    assert not SampleRecord.objects.restrict(admin).filter(pk=record.pk).exists()
    gone = SampleRecord.all_objects.deleted().get(pk=record.pk)
    assert gone.deleted_by_id == admin.user_id
    entry = audit_rows(record, "delete").get()
    assert entry.before["name"] == "万科城三期"
    assert entry.before["phone"] != "13901023457"  # sensitive fields are masked in the trail
    assert entry.actor_id == admin.user_id

    record_soft_delete(access=admin, obj=gone)  # deleting again changes nothing
    assert audit_rows(record, "delete").count() == 1


def test_soft_delete_refused_without_permission(sales_member, record):
    with pytest.raises(PermissionDenied):
        record_soft_delete(access=access_for(sales_member), obj=record)
    assert SampleRecord.objects.filter(pk=record.pk).exists()
    assert not audit_rows(record, "delete").exists()


def test_purge_expired_removes_only_records_deleted_longer_ago(tenant, admin_member, settings):
    now = timezone.now()

    def sample(name, deleted_days_ago):
        deleted_at = None if deleted_days_ago is None else now - timedelta(days=deleted_days_ago)
        return SampleRecord.all_objects.create(tenant=tenant, owner=admin_member.user, name=name, deleted_at=deleted_at)

    expired = sample("expired", 31)
    recent = sample("recent", 29)
    alive = sample("alive", None)

    assert recycle_bin_purge_expired(days=30) == 1

    assert set(SampleRecord.all_objects.values_list("pk", flat=True)) == {recent.pk, alive.pk}
    entry = audit_rows(expired, "purge").get()
    assert entry.actor_id is None and entry.before["name"] == "expired"
    assert not audit_rows(recent, "purge").exists()

    settings.TANDEM_RECYCLE_BIN_DAYS = 7  # the default comes from settings
    assert recycle_bin_purge_expired() == 1
    assert set(SampleRecord.all_objects.values_list("pk", flat=True)) == {alive.pk}


# --- owner transfer -----------------------------------------------------------------------------


def test_transfer_owner_with_reason_is_audited_before_and_after(tenant, admin, record, admin_member):
    new_owner = make_member(tenant, "sales").user

    record_transfer_owner(access=admin, obj=record, new_owner=new_owner, reason="  离职交接  ")

    record.refresh_from_db()
    assert record.owner_id == new_owner.pk
    entry = audit_rows(record, "transfer").get()
    assert entry.before == {"owner": admin_member.user_id}
    assert entry.after == {"owner": new_owner.pk, "reason": "离职交接"}
    assert entry.actor_id == admin_member.user_id


@pytest.mark.parametrize("reason", ["", "   "])
def test_transfer_owner_requires_a_reason(tenant, admin, record, admin_member, reason):
    new_owner = make_member(tenant, "sales").user
    with pytest.raises(ApplicationError) as exc:
        record_transfer_owner(access=admin, obj=record, new_owner=new_owner, reason=reason)
    assert "reason" in exc.value.errors
    record.refresh_from_db()
    assert record.owner_id == admin_member.user_id
    assert not audit_rows(record, "transfer").exists()


def test_transfer_owner_requires_an_active_member_of_the_same_tenant(tenant, other_tenant, admin, record, admin_member):
    outsider = make_member(other_tenant, "admin").user
    leaver = make_member(tenant, "sales")
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])

    for candidate in (outsider, leaver.user):
        with pytest.raises(ApplicationError) as exc:
            record_transfer_owner(access=admin, obj=record, new_owner=candidate, reason="交接")
        assert "owner" in exc.value.errors
    record.refresh_from_db()
    assert record.owner_id == admin_member.user_id
    assert not audit_rows(record, "transfer").exists()


def test_transfer_owner_refused_without_transfer_permission(tenant, sales_member, record, admin_member):
    with pytest.raises(PermissionDenied):
        record_transfer_owner(access=access_for(sales_member), obj=record, new_owner=sales_member.user, reason="要了")
    record.refresh_from_db()
    assert record.owner_id == admin_member.user_id


# --- sharing ------------------------------------------------------------------------------------


def test_share_gives_access_read_then_write_without_duplicating(admin, record, sales_member):
    sales = access_for(sales_member)
    assert not SampleRecord.objects.restrict(sales).filter(pk=record.pk).exists()

    record_share(access=admin, obj=record, user=sales_member.user)
    sales = access_for(sales_member)
    assert SampleRecord.objects.restrict(sales).filter(pk=record.pk).exists()
    assert not SampleRecord.objects.restrict(sales, "change").filter(pk=record.pk).exists()

    record_share(access=admin, obj=record, user=sales_member.user, level=RecordShare.Level.WRITE)
    assert SampleRecord.objects.restrict(access_for(sales_member), "change").filter(pk=record.pk).exists()
    share = RecordShare.objects.get(object_id=record.pk)
    assert share.level == "write" and share.granted_by_id == admin.user_id
    assert [e.after["level"] for e in audit_rows(record, "share").order_by("pk")] == ["read", "write"]


def test_share_until_a_date_expires(admin, record, sales_member):
    until = timezone.now() + timedelta(days=3)
    record_share(access=admin, obj=record, user=sales_member.user, expires_at=until)

    assert SampleRecord.objects.restrict(access_for(sales_member)).filter(pk=record.pk).exists()
    assert audit_rows(record, "share").get().after["expires_at"] is not None
    RecordShare.objects.filter(object_id=record.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert not SampleRecord.objects.restrict(access_for(sales_member)).filter(pk=record.pk).exists()


def test_share_validation_refuses_and_writes_nothing(tenant, other_tenant, admin, record, sales_member):
    outsider = make_member(other_tenant, "sales").user
    with pytest.raises(ApplicationError) as exc:
        record_share(access=admin, obj=record, user=outsider)
    assert "user" in exc.value.errors

    with pytest.raises(ApplicationError) as exc:
        record_share(access=admin, obj=record, user=sales_member.user, level="owner")
    assert "level" in exc.value.errors

    with pytest.raises(PermissionDenied):
        record_share(access=access_for(sales_member), obj=record, user=sales_member.user)

    assert not RecordShare.objects.exists()
    assert not audit_rows(record, "share").exists()


# --- attachments --------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_pdf_attachment_is_stored_with_its_digest(settings, sales_member, record):
    upload = SimpleUploadedFile("报价单 v2.pdf", PDF, content_type="application/pdf")

    attachment = attachment_add(access=access_for(sales_member), obj=record, upload=upload)

    attachment.refresh_from_db()
    assert attachment.record == record
    assert attachment.tenant_id == record.tenant_id
    assert attachment.mime_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.uploaded_by_id == sales_member.user_id
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert stored.read_bytes() == PDF
    assert media_files(settings) == [stored]
    assert audit_rows(attachment, "create").exists()


def test_attachment_at_the_size_limit_is_accepted(settings, admin, record):
    settings.TANDEM_ATTACHMENT_MAX_BYTES = 1024 * 1024
    content = PDF + b"0" * (1024 * 1024 - len(PDF))
    attachment = attachment_add(access=admin, obj=record, upload=SimpleUploadedFile("big.pdf", content))
    assert attachment.size == 1024 * 1024


@pytest.mark.parametrize(
    ("name", "content", "message", "field_error"),
    [
        ("huge.pdf", PDF + b"0" * (1024 * 1024), "The file is larger than 1 MB.", "Too large."),
        ("empty.pdf", b"", "The file is empty.", "Empty."),
        ("setup.exe", b"MZ\x90\x00" * 16, "This type of file cannot be attached.", None),
        ("no-extension", b"just bytes", "This type of file cannot be attached.", None),
    ],
)
def test_bad_attachment_is_refused_with_a_clear_message_and_nothing_written(
    settings, admin, record, name, content, message, field_error
):
    settings.TANDEM_ATTACHMENT_MAX_BYTES = 1024 * 1024

    with translation.override("en"), pytest.raises(ApplicationError) as exc:
        attachment_add(access=admin, obj=record, upload=SimpleUploadedFile(name, content))

    assert exc.value.message == message
    assert "file" in exc.value.errors
    if field_error:
        assert exc.value.errors["file"] == [field_error]
    assert not Attachment.objects.exists()
    assert not AuditEntry.objects.filter(object_type="core.attachment").exists()
    assert media_files(settings) == []


def test_attachment_refused_without_permission(tenant, settings, record):
    auditor = access_for(make_member(tenant, "auditor"))
    with pytest.raises(PermissionDenied):
        attachment_add(access=auditor, obj=record, upload=SimpleUploadedFile("a.pdf", PDF))
    assert not Attachment.objects.exists()
    assert media_files(settings) == []


def test_attachment_whose_content_is_an_executable_is_refused_whatever_its_name(admin, record):
    disguised = SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError) as refused:
        attachment_add(access=admin, obj=record, upload=disguised)
    assert "file" in refused.value.errors
    assert Attachment.objects.count() == 0


def test_attachment_whose_content_does_not_match_its_type_is_refused(admin, record):
    fake_png = SimpleUploadedFile("现场照片.png", b"GIF89a....", content_type="image/png")
    with pytest.raises(ApplicationError):
        attachment_add(access=admin, obj=record, upload=fake_png)
    assert Attachment.objects.count() == 0


def test_record_services_refuse_another_tenants_record(tenant, other_tenant, admin):
    stranger = make_member(other_tenant, "admin")
    foreign = SampleRecord.objects.create(tenant=other_tenant, owner=stranger.user, name="外部记录")
    for call in (
        lambda: record_soft_delete(access=admin, obj=foreign),
        lambda: record_transfer_owner(access=admin, obj=foreign, new_owner=admin.membership.user, reason="x"),
        lambda: attachment_add(
            access=admin, obj=foreign, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf")
        ),
    ):
        with pytest.raises(ApplicationError) as refused:
            call()
        assert refused.value.status == 404
    foreign.refresh_from_db()
    assert foreign.deleted_at is None and foreign.owner_id == stranger.user_id
    assert Attachment.objects.count() == 0
