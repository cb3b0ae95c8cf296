"""The generic record endpoints: attachments, shares, owner transfer, recycle bin."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.audit.models import AuditEntry
from tandem.core.models import Attachment, RecordShare
from tandem.testing.kit import api_client, make_member
from tandem.testing.models import SampleRecord

TYPE = "testing.samplerecord"


def _record(member, name="华筑一号"):
    return SampleRecord.objects.create(tenant_id=member.tenant_id, owner=member.user, name=name)


def test_attachment_upload_list_and_download(tenant, admin_member):
    record = _record(admin_member)
    client = api_client(admin_member)
    pdf = SimpleUploadedFile("报价单.pdf", b"%PDF-1.4 quotation", content_type="application/pdf")
    response = client.post(f"/api/v1/records/{TYPE}/{record.pk}/attachments/", {"file": pdf}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "报价单.pdf" and body["size"] == len(b"%PDF-1.4 quotation")
    listed = client.get(f"/api/v1/records/{TYPE}/{record.pk}/attachments/").json()
    assert [a["id"] for a in listed] == [body["id"]]
    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 quotation"


def test_attachment_refused_type_writes_nothing(tenant, admin_member):
    record = _record(admin_member)
    exe = SimpleUploadedFile("setup.exe", b"MZ...", content_type="application/octet-stream")
    response = api_client(admin_member).post(
        f"/api/v1/records/{TYPE}/{record.pk}/attachments/", {"file": exe}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    assert Attachment.objects.count() == 0


def test_other_tenants_record_and_attachment_are_404(tenant, other_tenant, admin_member):
    stranger = make_member(other_tenant, "admin")
    record = _record(stranger)
    client = api_client(admin_member)
    assert client.get(f"/api/v1/records/{TYPE}/{record.pk}/attachments/").status_code == 404
    pdf = SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")
    upload = api_client(stranger).post(
        f"/api/v1/records/{TYPE}/{record.pk}/attachments/", {"file": pdf}, format="multipart"
    )
    assert upload.status_code == 201
    assert client.get(upload.json()["download_url"]).status_code == 404
    assert (
        client.post(
            f"/api/v1/records/{TYPE}/{record.pk}/transfer/", {"owner": admin_member.user_id, "reason": "x"}
        ).status_code
        == 404
    )


def test_unknown_type_is_404(tenant, admin_member):
    client = api_client(admin_member)
    assert client.get("/api/v1/records/accounts.user/1/attachments/").status_code == 404
    assert client.get("/api/v1/records/nope.nothing/1/shares/").status_code == 404


def test_transfer_needs_reason_and_a_member_and_is_audited(tenant, other_tenant, admin_member):
    colleague = make_member(tenant, "sales")
    outsider = make_member(other_tenant, "sales")
    record = _record(admin_member)
    client = api_client(admin_member)
    url = f"/api/v1/records/{TYPE}/{record.pk}/transfer/"
    assert client.post(url, {"owner": colleague.user_id, "reason": ""}).status_code == 400
    assert client.post(url, {"owner": outsider.user_id, "reason": "交接"}).status_code == 400
    record.refresh_from_db()
    assert record.owner_id == admin_member.user_id
    response = client.post(url, {"owner": colleague.user_id, "reason": "客户交接给陈晓"})
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.owner_id == colleague.user_id
    entry = AuditEntry.objects.get(object_type=TYPE, action="transfer")
    assert entry.before == {"owner": admin_member.user_id}
    assert entry.after["reason"] == "客户交接给陈晓"


def test_share_makes_record_visible_to_colleague(tenant, admin_member):
    sales = make_member(tenant, "sales")
    record = _record(admin_member)
    sales_client = api_client(sales, scopes=None)
    assert sales_client.get(f"/api/v1/records/{TYPE}/{record.pk}/shares/").status_code == 404
    response = api_client(admin_member).post(
        f"/api/v1/records/{TYPE}/{record.pk}/shares/", {"user": sales.user_id, "level": "read"}
    )
    assert response.status_code == 201
    assert RecordShare.objects.filter(object_id=record.pk, user=sales.user).exists()
    assert sales_client.get(f"/api/v1/records/{TYPE}/{record.pk}/shares/").status_code == 200


def test_recycle_bin_api_restore_and_purge(tenant, admin_member):
    record = _record(admin_member)
    client = api_client(admin_member)
    assert client.delete(f"/testing/api/records/{record.pk}/").status_code == 204
    listed = client.get("/api/v1/recycle-bin/").json()
    assert [(r["type"], r["id"]) for r in listed] == [(TYPE, record.pk)]
    assert client.post(f"/api/v1/recycle-bin/{TYPE}/{record.pk}/restore/").status_code == 200
    assert SampleRecord.objects.filter(pk=record.pk).exists()
    assert client.delete(f"/api/v1/recycle-bin/{TYPE}/{record.pk}/").status_code == 404  # not in the bin
    client.delete(f"/testing/api/records/{record.pk}/")
    assert client.delete(f"/api/v1/recycle-bin/{TYPE}/{record.pk}/").status_code == 204
    assert not SampleRecord.all_objects.filter(pk=record.pk).exists()
    assert list(
        AuditEntry.objects.filter(object_type=TYPE, object_id=str(record.pk))
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["delete", "restore", "delete", "purge"]


def test_recycle_bin_refused_to_sales(tenant):
    sales = make_member(tenant, "sales")
    assert api_client(sales).get("/api/v1/recycle-bin/").status_code == 403
