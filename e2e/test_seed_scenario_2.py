"""Seed scenario 2 end to end on PostgreSQL with the real worker: a PM completes a project; the default rule's wait
passes; the worker emails the survey (caught by a real SMTP server); the customer follows the link on a phone and
answers 4; the worker flags the account high-risk, gives the PM a review task and tells PM, account owner and
customer service; the PM sees the answer on the project page; the same link is refused; a 9 flags nothing.

The test process enqueues onto a Redis queue of its own and a `tandem run_huey` subprocess consumes it, as in
production: nothing in this process runs a rule. The rule's three-day wait is shortened by moving its due time.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from e2e.conftest import SCREENSHOTS
from tandem.automation.engine import runner
from tandem.automation.models import ActionRun, ActionStatus, Run, RunStatus
from tandem.automation.services.defaults import SURVEY_KEY
from tandem.automation.tests.channels_support import received_email, smtp_inbox  # noqa: F401
from tandem.core.models import OutboxEvent
from tandem.crm.models import Account
from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback import events
from tandem.feedback.models import Recovery, SurveyResponse
from tandem.feedback.services.surveys import survey_send
from tandem.notifications.models import Notification
from tandem.projects.services.projects import project_complete
from tandem.projects.tests.factories import make_project
from tandem.testing import worker
from tandem.testing.kit import PASSWORD, access_for, make_member, make_tenant

PHONE = {"width": 390, "height": 844}
WAIT = 60  # seconds the worker gets for each hop


def _customer(tenant, rep, pm, name, contact, email):
    account = make_account(tenant, rep.user, name=name)
    make_contact(tenant, rep.user, account, primary=True, name=contact, email=email)
    project = make_project(tenant, member=pm, name=f"{name}弱电改造")
    project.account_id = account.pk
    project.save(update_fields=["account_id"])
    return account, project


def _link(inbox, count: int) -> str:
    worker.wait_for(lambda: len(inbox.envelopes) >= count, timeout=WAIT, what=f"email {count}")
    text = received_email(inbox.envelopes[count - 1]).get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/s/[^/\s]+/", text).group(0)


def _answer(context, link: str, score: int, comment: str = "") -> None:
    page = context.new_page()
    page.goto(link)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click(f"label[for=score-{score}]")
    if comment:
        page.fill("#comment", comment)
    page.get_by_role("button", name="提交答复").click()
    page.get_by_role("heading", name="谢谢").wait_for()
    page.close()


def _wait_db(predicate, what: str, log) -> None:
    worker.wait_for(predicate, timeout=WAIT, what=what, log=log)


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_seed_scenario_2_with_the_real_worker(browser, live_server, smtp_inbox, settings, tmp_path):  # noqa: F811
    settings.TANDEM_BASE_URL = live_server.url
    tenant = make_tenant(name="华筑机电工程有限公司")
    make_member(tenant, "admin", display_name="李敏")
    service = make_member(tenant, "service", display_name="吴静")
    pm = make_member(tenant, "pm", display_name="王工", username="wanggong")
    rep = make_member(tenant, "sales", display_name="陈晓")
    account, project = _customer(tenant, rep, pm, "上海浦东建设有限公司", "李经理", "li@pudong.example.com")
    happy, happy_project = _customer(tenant, rep, pm, "杭州滨江科技有限公司", "周经理", "zhou@binjiang.example.com")

    name = worker.queue_name("tandem_scenario2")
    log = tmp_path / "worker.log"
    env = worker.worker_env(
        name,
        TANDEM_BASE_URL=live_server.url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(settings.EMAIL_PORT),
        DEFAULT_FROM_EMAIL="tandem@example.com",
        TANDEM_DATA_DIR=str(tmp_path),
    )
    consumer = None
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        consumer = worker.start_consumer(env, log)
        with worker.enqueue_to(name):
            # 1. The PM completes the project; the worker starts the survey rule, which waits three days.
            project_complete(access=access_for(pm), project=project, complete_open_tasks=True)
            _wait_db(
                lambda: Run.objects.filter(rule__key=SURVEY_KEY, status=RunStatus.WAITING).exists(),
                "the survey rule to wait",
                log,
            )
            wait = ActionRun.objects.get(run__rule__key=SURVEY_KEY, status=ActionStatus.WAITING)
            assert wait.next_attempt_at - timezone.now() > timedelta(days=2, hours=23)
            ActionRun.objects.filter(pk=wait.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
            assert runner.resume_due() == 1

            # 2. The survey email reaches the customer; the link is answered on a phone.
            link = _link(smtp_inbox, 1)
            assert smtp_inbox.envelopes[0].rcpt_tos == ["li@pudong.example.com"]
            assert link.startswith(live_server.url)
            _answer(context, link, 4, "<script>alert(1)</script>调试拖了两周")

            # 3. The worker closes the loop: flag, review task, notices.
            _wait_db(lambda: Recovery.objects.exists(), "the recovery", log)
            account.refresh_from_db()
            assert account.risk_flag and "4/10" in account.risk_reason
            recovery = Recovery.objects.get()
            assert recovery.review_task.kind == "review"
            assert list(recovery.review_task.assignees.values_list("pk", flat=True)) == [pm.user_id]
            _wait_db(lambda: Notification.objects.filter(recipient_id=service.user_id).exists(), "the notices", log)
            told = set(Notification.objects.values_list("recipient_id", flat=True))
            assert {pm.user_id, rep.user_id, service.user_id} <= told

            # 4. The same link again is refused and writes nothing.
            page = context.new_page()
            page.goto(link)
            page.get_by_role("heading", name="您已经答复过了").wait_for()
            assert page.locator("form").count() == 0
            page.close()

            # 5. The PM signs in on the phone: the answer, escaped, on the project page.
            pm_page = context.new_page()
            pm_page.goto(live_server.url + "/accounts/login/")
            pm_page.fill("input[name=username]", "wanggong")
            pm_page.fill("input[name=password]", PASSWORD)
            with pm_page.expect_navigation():
                pm_page.click("#sign-in")
            pm_page.goto(f"{live_server.url}/projects/{project.pk}/")
            pm_page.get_by_text("调试拖了两周").first.wait_for()
            assert pm_page.evaluate("window.__xss === undefined")
            assert pm_page.locator("script", has_text="alert(1)").count() == 0
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            pm_page.screenshot(path=str(SCREENSHOTS / "scenario2-project-390.png"), full_page=True)
            pm_page.close()

            # 6. A promoter's 9 flags nothing.
            survey_send(access=access_for(service), account=happy, project=happy_project)
            _answer(context, _link(smtp_inbox, 2), 9)
            answered = SurveyResponse.objects.get(score=9)
            _wait_db(
                lambda: (
                    not OutboxEvent.objects.filter(
                        name=events.RESPONSE_SUBMITTED, payload__response_id=answered.pk, dispatched_at__isnull=True
                    ).exists()
                ),
                "the promoter's answer to be handled",
                log,
            )
            assert Account.objects.get(pk=happy.pk).risk_flag is False
            assert Recovery.objects.count() == 1
    finally:
        context.close()
        worker.stop(consumer)
        worker.drop_queue(name)
