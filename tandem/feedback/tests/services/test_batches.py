from types import SimpleNamespace

import pytest
from django.utils import timezone

from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.choices import BatchStatus, SkipReason, SurveyStatus
from tandem.feedback.models import Survey, SurveyBatch, SurveyOptOut
from tandem.feedback.services import batches as service
from tandem.feedback.services import surveys as survey_services
from tandem.feedback.services.templates import template_default
from tandem.projects.choices import ProjectStatus
from tandem.projects.tests.factories import make_project
from tandem.testing.kit import access_for, make_member

TAG = "年度回访"


@pytest.fixture
def mix(crew):
    """Five tagged accounts: one fine, one opted out, one asked last week, one without an address, one that breaks."""
    owner = crew.rep.user

    def account(name, email):
        acc = make_account(crew.tenant, owner, name=name, tags=[TAG])
        contact = make_contact(crew.tenant, owner, acc, primary=True, name=f"{name}联系人", email=email)
        return acc, contact

    fine, _ = account("顺利客户", "ok@example.com")
    opted, opted_contact = account("退订客户", "out@example.com")
    SurveyOptOut.objects.create(tenant=crew.tenant, address="out@example.com")
    quiet, quiet_contact = account("刚问过客户", "quiet@example.com")
    Survey.objects.create(
        tenant=crew.tenant,
        template=template_default(tenant_id=crew.tenant.pk, language="zh-hans"),
        account=quiet,
        contact=quiet_contact,
        language="zh-hans",
        address="quiet@example.com",
        status=SurveyStatus.SENT,
        sent_at=timezone.now(),
    )
    silent, _ = account("无邮箱客户", "")
    broken, _ = account("出错客户", "broken@example.com")
    return SimpleNamespace(fine=fine, opted=opted, quiet=quiet, silent=silent, broken=broken)


def _start(crew, **filters):
    template = template_default(tenant_id=crew.tenant.pk, language="zh-hans")
    return service.survey_batch_start(
        access=crew.access, filters=filters or {"tag": TAG}, template=template, channel="email"
    )


@pytest.mark.django_db(transaction=True)
def test_a_batch_counts_sent_skipped_and_failed_and_a_crash_does_not_stop_it(crew, mix, smtp_inbox, monkeypatch):
    real_send = survey_services.survey_send

    def send(**kwargs):
        if kwargs["account"].pk == mix.broken.pk:
            raise RuntimeError("disk on fire")
        return real_send(**kwargs)

    monkeypatch.setattr(service, "survey_send", send)
    batch = _start(crew)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.finished_at is not None
    assert (batch.total, batch.sent, batch.skipped, batch.failed) == (5, 1, 3, 1)
    reasons = dict(
        Survey.objects.filter(batch=batch, status=SurveyStatus.SKIPPED).values_list("account__name", "skip_reason")
    )
    assert reasons == {
        "退订客户": SkipReason.UNSUBSCRIBED,
        "刚问过客户": SkipReason.QUIET_PERIOD,
        "无邮箱客户": SkipReason.NO_ADDRESS,
    }
    failed = Survey.objects.get(batch=batch, status=SurveyStatus.FAILED)
    assert failed.account == mix.broken and "RuntimeError" in failed.error and "disk on fire" not in failed.error
    assert [e.rcpt_tos for e in smtp_inbox.envelopes] == [["ok@example.com"]]


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_twice_asks_nobody_twice_and_says_so(crew, mix, smtp_inbox):
    first = _start(crew)
    second = _start(crew)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.pk != second.pk and first.sent == 2
    assert (second.sent, second.skipped) == (0, 5)
    assert set(Survey.objects.filter(batch=second).values_list("skip_reason", flat=True)) == {
        SkipReason.QUIET_PERIOD,
        SkipReason.UNSUBSCRIBED,
        SkipReason.NO_ADDRESS,
    }
    assert sorted(r for e in smtp_inbox.envelopes for r in e.rcpt_tos) == ["broken@example.com", "ok@example.com"]


@pytest.mark.django_db
def test_a_double_submit_while_queued_returns_the_same_batch(crew, mix, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = _start(crew)
        again = _start(crew)
    assert first.pk == again.pk and SurveyBatch.objects.count() == 1
    assert first.status == BatchStatus.QUEUED and first.total == 5


@pytest.mark.django_db
def test_filters_choose_the_accounts(crew, mix, django_capture_on_commit_callbacks):
    project = make_project(crew.tenant, member=crew.pm, name="已完工项目")
    project.account_id = mix.fine.pk
    project.status = ProjectStatus.COMPLETED
    project.completed_at = timezone.now()
    project.save()
    with django_capture_on_commit_callbacks(execute=True):
        batch = _start(crew, tag=TAG, completed_since=timezone.localdate().isoformat())
    batch.refresh_from_db()
    assert batch.total == 1 and list(Survey.objects.filter(batch=batch).values_list("account", flat=True)) == [
        mix.fine.pk
    ]


@pytest.mark.django_db
def test_refusals(crew, mix):
    template = template_default(tenant_id=crew.tenant.pk, language="zh-hans")
    with pytest.raises(ApplicationError) as exc:
        service.survey_batch_start(access=crew.access, filters={"tag": "没有这个"}, template=template)
    assert "filters" in exc.value.errors
    with pytest.raises(ApplicationError) as exc:
        service.survey_batch_start(access=crew.access, filters={"tier": "nonsense"}, template=template)
    assert "tier" in exc.value.errors
    with pytest.raises(ApplicationError) as exc:
        service.survey_batch_start(access=crew.access, filters={"tag": TAG}, template=template, channel="link")
    assert "channel" in exc.value.errors
    with pytest.raises(PermissionDenied):
        service.survey_batch_start(
            access=access_for(make_member(crew.tenant, "finance")), filters={"tag": TAG}, template=template
        )
    assert not SurveyBatch.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_mail_is_retried_when_the_server_says_later_and_fails_after_the_last_try(crew, smtp_inbox):
    class Flaky:
        calls = 0

    original = smtp_inbox.handle_RCPT

    async def flaky(server, session, envelope, address, options):
        Flaky.calls += 1
        if Flaky.calls <= 2:
            return "451 Try again later"
        return await original(server, session, envelope, address, options)

    smtp_inbox.handle_RCPT = flaky
    sent = survey_services.survey_send(access=crew.access, account=crew.account)
    sent.survey.refresh_from_db()
    assert sent.survey.status == SurveyStatus.SENT and Flaky.calls == 3 and len(smtp_inbox.envelopes) == 1
    smtp_inbox.handle_RCPT = original
    smtp_inbox.refuse = "451 Still busy"
    again = survey_services.survey_send(access=crew.access, account=crew.account, contact=crew.other, channel="email")
    assert again.survey.skip_reason == SkipReason.NO_ADDRESS
    crew.other.email = "wang@pudong.example.com"
    crew.other.save()
    busy = survey_services.survey_send(access=crew.access, account=crew.account, contact=crew.other)
    busy.survey.refresh_from_db()
    assert busy.survey.status == SurveyStatus.FAILED and "451" in busy.survey.error
    assert len(smtp_inbox.envelopes) == 1


@pytest.mark.django_db(transaction=True)
def test_a_batch_mail_put_off_by_the_server_is_retried_and_a_refused_one_fails(crew, mix, smtp_inbox):
    original = smtp_inbox.handle_RCPT
    seen: list[str] = []

    async def picky(server, session, envelope, address, options):
        seen.append(address)
        if address == "ok@example.com" and seen.count(address) == 1:
            return "451 Greylisted, try again"
        if address == "broken@example.com":
            return "550 No such user"
        return await original(server, session, envelope, address, options)

    smtp_inbox.handle_RCPT = picky
    batch = _start(crew)
    batch.refresh_from_db()
    assert batch.sent == 2  # handed to the mail server's queue; the delivery outcome is on each survey
    assert [e.rcpt_tos for e in smtp_inbox.envelopes] == [["ok@example.com"]] and seen.count("ok@example.com") == 2
    failed = Survey.objects.get(batch=batch, account=mix.broken)
    assert failed.status == SurveyStatus.FAILED and "550" in failed.error
    assert Survey.objects.get(batch=batch, account=mix.fine).status == SurveyStatus.SENT
