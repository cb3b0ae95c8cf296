"""The recycle bin page (回收站): list, restore and purge, audited, refused without the permission."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEntry, SecurityEvent
from tandem.records.services.recycle_bin import record_soft_delete
from tandem.testing.kit import access_for, make_member, page_client
from tandem.testing.models import SampleRecord

TYPE_KEY = "testing.samplerecord"


def restore_url(pk, type_key=TYPE_KEY):
    return reverse("core:recycle_bin_restore", args=[type_key, pk])


def purge_url(pk, type_key=TYPE_KEY):
    return reverse("core:recycle_bin_purge", args=[type_key, pk])


def audit_actions(obj):
    return list(
        AuditEntry.objects.filter(object_type=TYPE_KEY, object_id=str(obj.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.fixture
def deleted(tenant, admin_member):
    record = SampleRecord.objects.create(tenant=tenant, owner=admin_member.user, name="石景山改造项目")
    record_soft_delete(access=access_for(admin_member), obj=record)
    return record


@pytest.fixture
def admin_client(admin_member):
    return page_client(admin_member)


def test_admin_sees_deleted_records_of_own_tenant_only(tenant, other_tenant, admin_member, admin_client, deleted):
    SampleRecord.objects.create(tenant=tenant, owner=admin_member.user, name="仍在使用的记录")
    foreign_owner = make_member(other_tenant, "admin")
    foreign = SampleRecord.objects.create(tenant=other_tenant, owner=foreign_owner.user, name="别家的记录")
    record_soft_delete(access=access_for(foreign_owner), obj=foreign)

    response = admin_client.get(reverse("core:recycle_bin"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "石景山改造项目" in html
    assert restore_url(deleted.pk) in html and purge_url(deleted.pk) in html
    assert "仍在使用的记录" not in html
    assert "别家的记录" not in html


def test_recycle_bin_page_queries_do_not_grow_with_rows(tenant, admin_member, admin_client, deleted):
    with CaptureQueriesContext(connection) as one_row:
        assert admin_client.get(reverse("core:recycle_bin")).status_code == 200
    access = access_for(admin_member)
    for n in range(5):
        extra = SampleRecord.objects.create(tenant=tenant, owner=make_member(tenant, "sales").user, name=f"r{n}")
        record_soft_delete(access=access, obj=extra)
    with CaptureQueriesContext(connection) as six_rows:
        response = admin_client.get(reverse("core:recycle_bin"))
    assert response.content.decode().count("/restore/") == 6
    assert len(six_rows) == len(one_row)


def test_restore_brings_record_back_and_is_audited(admin_client, admin_member, deleted):
    response = admin_client.post(restore_url(deleted.pk))

    assert response.status_code == 302 and response["Location"] == reverse("core:recycle_bin")
    restored = SampleRecord.objects.get(pk=deleted.pk)
    assert restored.deleted_at is None and restored.deleted_by_id is None
    assert audit_actions(deleted) == ["delete", "restore"]
    entry = AuditEntry.objects.get(object_type=TYPE_KEY, object_id=str(deleted.pk), action="restore")
    assert entry.actor_id == admin_member.user_id
    assert "石景山改造项目" not in admin_client.get(reverse("core:recycle_bin")).content.decode()


def test_purge_deletes_for_good_and_is_audited(admin_client, admin_member, deleted):
    response = admin_client.post(purge_url(deleted.pk))

    assert response.status_code == 302
    assert not SampleRecord.all_objects.filter(pk=deleted.pk).exists()
    assert audit_actions(deleted) == ["delete", "purge"]
    entry = AuditEntry.objects.get(object_type=TYPE_KEY, object_id=str(deleted.pk), action="purge")
    assert entry.actor_id == admin_member.user_id
    assert entry.before["name"] == "石景山改造项目"


def test_sales_member_is_refused_everything(tenant, deleted):
    sales = page_client(make_member(tenant, "sales"))

    assert sales.get(reverse("core:recycle_bin")).status_code == 403
    assert sales.post(restore_url(deleted.pk)).status_code == 403
    assert sales.post(purge_url(deleted.pk)).status_code == 403

    assert SampleRecord.all_objects.get(pk=deleted.pk).deleted_at is not None
    assert audit_actions(deleted) == ["delete"]
    assert SecurityEvent.objects.filter(kind="access_denied", tenant_id=tenant.pk).count() == 3


def test_anonymous_is_sent_to_sign_in(client, deleted):
    response = client.post(restore_url(deleted.pk))
    assert response.status_code == 302 and "login" in response["Location"]
    assert SampleRecord.all_objects.get(pk=deleted.pk).deleted_at is not None


@pytest.mark.parametrize("action_url", [restore_url, purge_url])
def test_records_outside_the_bin_or_tenant_answer_404(tenant, other_tenant, admin_member, admin_client, action_url):
    alive = SampleRecord.objects.create(tenant=tenant, owner=admin_member.user, name="alive")
    foreign_owner = make_member(other_tenant, "admin")
    foreign = SampleRecord.objects.create(tenant=other_tenant, owner=foreign_owner.user, name="foreign")
    record_soft_delete(access=access_for(foreign_owner), obj=foreign)

    assert admin_client.post(action_url(alive.pk)).status_code == 404
    assert admin_client.post(action_url(foreign.pk)).status_code == 404
    assert admin_client.post(action_url(alive.pk, "accounts.user")).status_code == 404
    assert admin_client.post(action_url(alive.pk, "nosuch.model")).status_code == 404
    assert admin_client.post(action_url(alive.pk, "nodot")).status_code == 404

    assert SampleRecord.objects.filter(pk=alive.pk).exists()
    assert SampleRecord.all_objects.get(pk=foreign.pk).deleted_at is not None
    assert not AuditEntry.objects.filter(action__in=["restore", "purge"]).exists()


def test_get_does_not_change_anything(admin_client, deleted):
    assert admin_client.get(restore_url(deleted.pk)).status_code == 405
    assert admin_client.get(purge_url(deleted.pk)).status_code == 405
    assert SampleRecord.all_objects.get(pk=deleted.pk).deleted_at <= timezone.now()
