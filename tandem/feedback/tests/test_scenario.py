"""Seed scenario 2 through the default rules and the automation engine (the worker in-process): a completed
project's customer gets the survey three days later by real SMTP, a 4 flags the account, gives the PM a review
task and tells the PM, the account owner and customer service; a 9 changes nothing; a second completion or a
contact in the quiet period gets no second survey."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.automation.engine import runner
from tandem.automation.models import ActionRun, ActionStatus, Rule, Run, RunStatus
from tandem.automation.services.defaults import DETRACTOR_KEY, PROMOTER_KEY, SURVEY_KEY
from tandem.automation.tests.channels_support import received_email
from tandem.crm.models import Account
from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.choices import SurveyStatus
from tandem.feedback.models import Recovery, Survey
from tandem.feedback.services.surveys import response_submit
from tandem.notifications.models import Notification
from tandem.projects.services.projects import project_complete
from tandem.projects.tests.factories import make_project
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(tenant, smtp_inbox):
    admin = make_member(tenant, "admin", display_name="李敏")
    service = make_member(tenant, "service", display_name="吴静")
    pm = make_member(tenant, "pm", display_name="王工")
    rep = make_member(tenant, "sales", display_name="陈晓")

    def customer(name, contact, email):
        account = make_account(tenant, rep.user, name=name)
        make_contact(tenant, rep.user, account, primary=True, name=contact, email=email)
        project = make_project(tenant, member=pm, name=f"{name}弱电改造")
        project.account_id = account.pk
        project.save(update_fields=["account_id"])
        return account, project

    return {
        "tenant": tenant,
        "admin": admin,
        "service": service,
        "pm": pm,
        "rep": rep,
        "inbox": smtp_inbox,
        "customer": customer,
    }


def _complete_and_wait(company, project, capture) -> Run:
    """Complete the project, then let the rule's three-day wait pass (its due time moved to now)."""
    with capture(execute=True):
        project_complete(access=access_for(company["pm"]), project=project, complete_open_tasks=True)
    run = Run.objects.get(rule__key=SURVEY_KEY, record_id=str(project.pk))
    assert run.status == RunStatus.WAITING
    wait = ActionRun.objects.get(run=run, status=ActionStatus.WAITING)
    assert wait.next_attempt_at - timezone.now() > timedelta(days=2, hours=23)
    ActionRun.objects.filter(pk=wait.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with capture(execute=True):
        assert runner.resume_due() == 1
    run.refresh_from_db()
    return run


def _link(envelope) -> str:
    text = received_email(envelope).get_body(("plain",)).get_content()
    return re.search(r"/s/([^/\s]+)/", text).group(1)


def test_the_default_rules_are_there_and_the_promoter_one_is_off(tenant):
    rules = {r.key: r for r in Rule.objects.filter(tenant=tenant, key__in=[SURVEY_KEY, DETRACTOR_KEY, PROMOTER_KEY])}
    assert set(rules) == {SURVEY_KEY, DETRACTOR_KEY, PROMOTER_KEY}
    assert rules[SURVEY_KEY].enabled and rules[DETRACTOR_KEY].enabled and not rules[PROMOTER_KEY].enabled
    assert rules[DETRACTOR_KEY].conditions == {"all": [{"field": "response.score", "op": "lte", "value": 6}]}


def test_a_detractor_answer_flags_the_account_and_starts_the_review(company, django_capture_on_commit_callbacks):
    account, project = company["customer"]("上海浦东建设有限公司", "李经理", "li@pudong.example.com")
    run = _complete_and_wait(company, project, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.SUCCEEDED, run.error
    [envelope] = company["inbox"].envelopes
    assert envelope.rcpt_tos == ["li@pudong.example.com"]
    survey = Survey.objects.get(project=project)
    assert survey.status == SurveyStatus.SENT and survey.automation_rule_id == run.rule_id

    with django_capture_on_commit_callbacks(execute=True):
        response_submit(token=_link(envelope), score=4, comment="调试拖了两周")

    account.refresh_from_db()
    assert account.risk_flag and "4/10" in account.risk_reason
    recovery = Recovery.objects.get(response__survey=survey)
    task = recovery.review_task
    assert task.kind == "review" and list(task.assignees.values_list("pk", flat=True)) == [company["pm"].user_id]
    told = set(Notification.objects.filter(title__contains="4").values_list("recipient_id", flat=True))
    assert told == {company["pm"].user_id, company["rep"].user_id, company["service"].user_id}
    notice = Notification.objects.filter(recipient_id=company["pm"].user_id, title__contains="4").get()
    assert "上海浦东建设有限公司" in notice.title and "调试拖了两周" in notice.body
    assert task.name in notice.body


def test_a_promoter_answer_changes_nothing(company, django_capture_on_commit_callbacks):
    account, project = company["customer"]("杭州滨江科技有限公司", "周经理", "zhou@binjiang.example.com")
    _complete_and_wait(company, project, django_capture_on_commit_callbacks)
    [envelope] = company["inbox"].envelopes
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(token=_link(envelope), score=9)
    account.refresh_from_db()
    assert not account.risk_flag
    assert not Recovery.objects.exists()
    assert (
        not Run.objects.filter(rule__key__in=[DETRACTOR_KEY, PROMOTER_KEY]).exclude(status=RunStatus.SKIPPED).exists()
    )


def test_a_contact_in_the_quiet_period_is_skipped_with_the_reason(company, django_capture_on_commit_callbacks):
    account, project = company["customer"]("南京江北新区建设集团", "孙主任", "sun@jiangbei.example.com")
    second = make_project(company["tenant"], member=company["pm"], name="江北二期")
    second.account_id = account.pk
    second.save(update_fields=["account_id"])
    _complete_and_wait(company, project, django_capture_on_commit_callbacks)
    run = _complete_and_wait(company, second, django_capture_on_commit_callbacks)
    assert len(company["inbox"].envelopes) == 1
    skipped = Survey.objects.get(project=second)
    assert skipped.status == SurveyStatus.SKIPPED and skipped.skip_reason == "quiet_period"
    assert run.status == RunStatus.SUCCEEDED
    step = ActionRun.objects.get(run=run, action="send_survey")
    assert step.status == ActionStatus.SUCCEEDED and step.result
    assert Account.objects.get(pk=account.pk).risk_flag is False


def test_an_im_survey_hands_the_link_to_the_account_owner(company, django_capture_on_commit_callbacks):
    from tandem.automation.services.rules import rule_update
    from tandem.crm.models import Contact
    from tandem.feedback.services.surveys import survey_open

    rule = Rule.objects.get(tenant=company["tenant"], key=SURVEY_KEY)
    actions = rule.actions
    actions[1]["params"]["channel"] = "im"
    rule_update(access=access_for(company["admin"]), rule=rule, actions=actions)
    account, project = company["customer"]("苏州工业园区管委会", "钱科长", "")
    Contact.objects.filter(accounts=account).update(wechat="qian_kz")
    run = _complete_and_wait(company, project, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert company["inbox"].envelopes == []
    notice = Notification.objects.get(recipient_id=company["rep"].user_id, body__contains="qian_kz")
    token = re.search(r"/s/([^/\s]+)/", notice.body).group(1)
    assert survey_open(token=token).project_id == project.pk

    # A contact without a WeChat ID is skipped with the reason.
    other, other_project = company["customer"]("无锡新吴区建设局", "孔工", "kong@wuxi.example.com")
    _complete_and_wait(company, other_project, django_capture_on_commit_callbacks)
    survey = Survey.objects.get(project=other_project)
    assert survey.status == SurveyStatus.SKIPPED and survey.skip_reason == "no_address"


def test_a_rule_can_open_a_service_request_for_a_detractor(company, django_capture_on_commit_callbacks):
    from tandem.automation.services.rules import rule_update
    from tandem.feedback.models import ServiceRequest

    rule = Rule.objects.get(tenant=company["tenant"], key=DETRACTOR_KEY)
    step = {
        "type": "create_service_request",
        "params": {"assignee": {"strategy": "least_loaded", "role": "service", "fallback": "rule_owner"}},
    }
    rule_update(access=access_for(company["admin"]), rule=rule, actions=[*rule.actions, step])
    account, project = company["customer"]("宁波舟山港集团", "马主管", "ma@nbport.example.com")
    _complete_and_wait(company, project, django_capture_on_commit_callbacks)
    [envelope] = company["inbox"].envelopes
    with django_capture_on_commit_callbacks(execute=True):
        answer = response_submit(token=_link(envelope), score=2, comment="<b>弱电井渗水</b>没人处理")
    request = ServiceRequest.objects.get(survey_response=answer)
    assert request.owner_id == company["service"].user_id and request.account_id == account.pk
    assert request.project_id == project.pk and request.channel == "survey"
    assert request.priority == "high" and request.category == "complaint"
    assert request.description == "<b>弱电井渗水</b>没人处理" and "2/10" in request.subject
    assert request.response_due_at and request.resolve_due_at
    # The rule runs once per answer: dispatching the event again opens no second request.
    from tandem.core.events import dispatch
    from tandem.core.models import OutboxEvent

    event = OutboxEvent.objects.get(name="feedback.response.submitted", payload__response_id=answer.pk)
    OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    dispatch(event.pk)
    assert ServiceRequest.objects.filter(survey_response=answer).count() == 1
