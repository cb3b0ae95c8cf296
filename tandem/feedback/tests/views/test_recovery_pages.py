"""The recovery on the satisfaction panel: its state, the review task, closing it by hand with a reason."""

import pytest

from tandem.crm.models import Account
from tandem.feedback.choices import RecoveryStatus
from tandem.feedback.services.recovery import recovery_open
from tandem.feedback.services.surveys import response_submit, survey_send
from tandem.testing.kit import access_for, make_member, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def recovery(crew):
    sent = survey_send(access=crew.access, account=crew.account, project=crew.project)
    answer = response_submit(token=sent.token, score=3, comment="<script>alert(1)</script>现场脏乱")
    admin = access_for(make_member(crew.tenant, "admin"))
    return recovery_open(access=admin, response=answer)


def test_the_account_page_shows_the_open_recovery_and_its_review_task(crew, recovery):
    page = page_client(crew.service).get(f"/crm/accounts/{crew.account.pk}/").content.decode()
    assert f'data-recovery="{recovery.pk}"' in page
    assert "挽回中" in page and recovery.review_task.name in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;现场脏乱" in page
    assert f"/feedback/recoveries/{recovery.pk}/close/" in page


def test_closing_by_hand_needs_a_reason_and_lifts_the_flag(crew, recovery):
    client = page_client(crew.service)
    url = f"/feedback/recoveries/{recovery.pk}/close/"
    back = f"/crm/accounts/{crew.account.pk}/"
    response = client.post(url, {"reason": " ", "next": back}, follow=True)
    assert "请说明关闭原因" in response.content.decode()
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.OPEN and Account.objects.get(pk=crew.account.pk).risk_flag

    response = client.post(url, {"reason": "总经理已上门致歉，客户认可整改", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.CLOSED and recovery.close_reason == "总经理已上门致歉，客户认可整改"
    assert Account.objects.get(pk=crew.account.pk).risk_flag is False
    page = client.get(back).content.decode()
    assert "已挽回" in page and "总经理已上门致歉" in page


def test_an_outside_next_is_ignored_and_a_member_without_the_permission_is_refused(crew, recovery):
    url = f"/feedback/recoveries/{recovery.pk}/close/"
    response = page_client(crew.service).post(url, {"reason": "已处理", "next": "https://evil.example.com/"})
    assert response["Location"] == f"/crm/accounts/{crew.account.pk}/"
    recovery.refresh_from_db()
    recovery.status = RecoveryStatus.OPEN
    recovery.save(update_fields=["status"])
    finance = make_member(crew.tenant, "finance")
    assert page_client(finance).post(url, {"reason": "x"}).status_code == 403
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.OPEN


def test_the_home_workbench_keeps_open_recoveries_in_sight_until_closed(crew, recovery):
    from tandem.feedback.services.recovery import recovery_close

    client = page_client(crew.service)
    page = client.get("/").content.decode()
    assert 'id="home-recoveries"' in page and crew.account.name in page and recovery.review_task.name in page
    recovery_close(access=access_for(crew.service), recovery=recovery, reason="已回访")
    page = client.get("/").content.decode()
    assert crew.account.name not in page and "没有进行中的挽回" in page
    # Members without access to recoveries see no card.
    assert 'id="home-recoveries"' not in page_client(make_member(crew.tenant, "finance")).get("/").content.decode()
