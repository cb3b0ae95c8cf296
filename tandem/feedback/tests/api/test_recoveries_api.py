"""/api/v1/feedback/recoveries/: the detractors' recoveries, and closing one by hand with a reason."""

import pytest

from tandem.feedback.services.recovery import recovery_open
from tandem.feedback.services.surveys import response_submit, survey_send
from tandem.testing.kit import access_for, api_client, make_member

pytestmark = pytest.mark.django_db
API = "/api/v1/feedback/recoveries/"


@pytest.fixture
def recovery(crew):
    sent = survey_send(access=crew.access, account=crew.account, project=crew.project)
    answer = response_submit(token=sent.token, score=2, comment="工期延误")
    return recovery_open(access=access_for(make_member(crew.tenant, "admin")), response=answer)


def test_list_and_detail_show_the_state_and_the_review(crew, recovery):
    client = api_client(crew.service)
    body = client.get(API, {"status": "open"}).json()
    [row] = body["results"]
    assert row["id"] == recovery.pk and row["score"] == 2 and row["comment"] == "工期延误"
    assert row["review_task"] == recovery.review_task_id and row["review_done"] is False
    assert client.get(API, {"status": "closed"}).json()["results"] == []


def test_close_with_a_reason_and_bad_input_changes_nothing(crew, recovery, other_tenant):
    client = api_client(crew.service)
    for payload in ({}, {"reason": ""}, {"reason": "x" * 301}):
        response = client.post(f"{API}{recovery.pk}/close/", payload, format="json")
        assert response.status_code == 400, payload
    recovery.refresh_from_db()
    assert recovery.status == "open"
    response = client.post(f"{API}{recovery.pk}/close/", {"reason": "客户已满意"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert client.post(f"{API}{recovery.pk}/close/", {"reason": "again"}, format="json").status_code == 400
    outsider = make_member(other_tenant, "admin")
    assert api_client(outsider).get(f"{API}{recovery.pk}/").status_code == 404
