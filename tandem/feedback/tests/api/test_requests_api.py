from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.models import ServiceRequest
from tandem.feedback.services.requests import request_create
from tandem.testing.kit import api_client, make_member

API = "/api/v1/feedback/requests/"
PROBLEM = "application/problem+json"


@pytest.mark.django_db
def test_create_read_update_and_delete_go_through_the_services(crew):
    client = api_client(crew.service)
    created = client.post(
        API,
        {"account": crew.account.pk, "contact": crew.contact.pk, "subject": "空调不制冷", "priority": "urgent"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"].startswith("GD-") and body["status"] == "new" and body["account_name"] == crew.account.name
    assert body["response_due_at"] and body["resolve_due_at"]
    pk = body["id"]
    assert client.get(f"{API}{pk}/").json()["subject"] == "空调不制冷"

    patched = client.patch(f"{API}{pk}/", {"subject": "空调不制冷（三楼）", "project": crew.project.pk}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["subject"] == "空调不制冷（三楼）" and patched.json()["project"] == crew.project.pk

    assert client.delete(f"{API}{pk}/").status_code == 204
    assert client.get(f"{API}{pk}/").status_code == 404
    assert ServiceRequest.all_objects.get(pk=pk).deleted_at is not None


@pytest.mark.django_db
def test_transition_and_assign_follow_the_status_machine(crew):
    client = api_client(crew.service)
    pk = client.post(API, {"account": crew.account.pk, "subject": "门禁失灵"}, format="json").json()["id"]

    assigned = client.post(f"{API}{pk}/assign/", {"owner": crew.pm.user.pk}, format="json")
    assert assigned.status_code == 200 and assigned.json()["owner"] == crew.pm.user.pk
    assert assigned.json()["status"] == "assigned"

    working = client.post(f"{API}{pk}/transition/", {"status": "in_progress"}, format="json")
    assert working.status_code == 200 and working.json()["status"] == "in_progress"
    assert working.json()["first_response_at"]

    refused = client.post(f"{API}{pk}/transition/", {"status": "new"}, format="json")
    assert refused.status_code == 400 and refused["Content-Type"].startswith(PROBLEM)
    assert "status" in refused.json()["errors"]
    no_resolution = client.post(f"{API}{pk}/transition/", {"status": "resolved"}, format="json")
    assert no_resolution.status_code == 400 and "resolution" in no_resolution.json()["errors"]
    assert ServiceRequest.objects.get(pk=pk).status == "in_progress"

    resolved = client.post(f"{API}{pk}/transition/", {"status": "resolved", "resolution": "更换读卡器"}, format="json")
    assert resolved.status_code == 200 and resolved.json()["resolved_at"]
    reopened = client.post(f"{API}{pk}/transition/", {"status": "in_progress"}, format="json")
    assert reopened.json()["reopened"] == 1 and reopened.json()["resolved_at"] is None


@pytest.mark.django_db
def test_the_list_filters_like_the_page(crew):
    urgent = request_create(access=crew.access, account=crew.account, subject="漏水", priority="urgent")
    late = request_create(
        access=crew.access, account=crew.account, subject="黑屏", opened_at=timezone.now() - timedelta(days=30)
    )
    other = make_account(crew.tenant, crew.rep.user, name="苏州工业园区管委会")
    elsewhere = request_create(access=crew.access, account=other, subject="咨询", owner=crew.pm.user)
    client = api_client(crew.service)

    def ids(query):
        return {row["id"] for row in client.get(f"{API}?{query}").json()["results"]}

    assert ids("") == {urgent.pk, late.pk, elsewhere.pk}
    assert ids("priority=urgent") == {urgent.pk}
    assert ids("overdue=true") == {late.pk}
    assert ids(f"account={other.pk}") == {elsewhere.pk}
    assert ids(f"owner={crew.pm.user.pk}") == {elsewhere.pk}
    assert ids("status=assigned") == {elsewhere.pk}
    assert client.get(f"{API}?priority=someday").status_code == 400
    export = client.get(f"{API}export/?priority=urgent")
    assert export.status_code == 200 and "漏水" in b"".join(export.streaming_content).decode("utf-8-sig")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"subject": "无客户"},
        {"account": 999999, "subject": "x"},
        {"account": "abc", "subject": "x"},
        {"account": 1, "subject": "x" * 201},
        {"account": 1, "subject": "x", "priority": "someday"},
        {"account": 1, "subject": "x", "owner": 999999},
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_writes_nothing(crew, payload):
    if payload.get("account") == 1:
        payload = {**payload, "account": crew.account.pk}
    response = api_client(crew.service).post(API, payload, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith(PROBLEM) and response.json()["errors"]
    assert not ServiceRequest.objects.exists()


@pytest.mark.django_db
def test_a_contact_of_another_account_is_refused(crew):
    other = make_account(crew.tenant, crew.rep.user, name="苏州工业园区管委会")
    stranger = make_contact(crew.tenant, crew.rep.user, other, name="钱主任")
    client = api_client(crew.service)
    response = client.post(API, {"account": crew.account.pk, "contact": stranger.pk, "subject": "x"}, format="json")
    assert response.status_code == 400 and "contact" in response.json()["errors"]
    pk = client.post(API, {"account": crew.account.pk, "subject": "x"}, format="json").json()["id"]
    patch = client.patch(f"{API}{pk}/", {"contact": stranger.pk}, format="json")
    assert patch.status_code == 400 and ServiceRequest.objects.get(pk=pk).contact_id is None
    bad_owner = client.post(f"{API}{pk}/assign/", {"owner": "nobody"}, format="json")
    assert bad_owner.status_code == 400
    bad_status = client.post(f"{API}{pk}/transition/", {"status": "done"}, format="json")
    assert bad_status.status_code == 400 and ServiceRequest.objects.get(pk=pk).status == "new"


@pytest.mark.django_db
def test_another_tenant_sees_nothing_and_cannot_touch_or_name_our_records(crew, other_tenant):
    mine = request_create(access=crew.access, account=crew.account, subject="我们的工单")
    outsider = make_member(other_tenant, "service")
    client = api_client(outsider)
    assert client.get(API).json()["results"] == []
    assert client.get(f"{API}{mine.pk}/").status_code == 404
    assert client.patch(f"{API}{mine.pk}/", {"subject": "改"}, format="json").status_code == 404
    assert client.post(f"{API}{mine.pk}/transition/", {"status": "closed"}, format="json").status_code == 404
    assert client.post(f"{API}{mine.pk}/assign/", {"owner": outsider.user.pk}, format="json").status_code == 404
    assert client.delete(f"{API}{mine.pk}/").status_code == 404
    named = client.post(API, {"account": crew.account.pk, "subject": "借用客户"}, format="json")
    assert named.status_code == 400 and "account" in named.json()["errors"]
    # Nor can a member of ours hand a request to someone of theirs.
    ours = api_client(crew.service)
    assert ours.post(f"{API}{mine.pk}/assign/", {"owner": outsider.user.pk}, format="json").status_code == 400
    mine.refresh_from_db()
    assert mine.subject == "我们的工单" and mine.status == "new" and mine.deleted_at is None


@pytest.mark.django_db
def test_a_member_without_the_permission_is_refused(crew):
    foreman = make_member(crew.tenant, "foreman")
    assert api_client(foreman).get(API).status_code == 403
    assert api_client(foreman).post(API, {"account": crew.account.pk, "subject": "x"}, format="json").status_code == 403
    assert not ServiceRequest.objects.exists()


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_more_rows(crew):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client(crew.service)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(API).status_code == 200
        return len(captured)

    request_create(access=crew.access, account=crew.account, subject="一", contact=crew.contact, project=crew.project)
    queries()  # caches filled once
    few = queries()
    for n in range(4):
        request_create(access=crew.access, account=crew.account, subject=f"报修 {n}", owner=crew.pm.user)
    assert queries() == few
