from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.audit.models import AuditEntry
from tandem.automation.tests.channels_support import received_email
from tandem.core.errors import ApplicationError
from tandem.core.models import OutboxEvent as Event
from tandem.feedback import events
from tandem.feedback.choices import SkipReason, SurveyChannel, SurveyStatus
from tandem.feedback.models import Survey, SurveyOptOut, SurveyResponse
from tandem.feedback.services import surveys as service
from tandem.feedback.services.settings import feedback_settings
from tandem.testing.kit import access_for, make_member


def _send(crew, **kw):
    kw.setdefault("project", crew.project)
    return service.survey_send(access=crew.access, account=crew.account, **kw)


def _body(envelope) -> str:
    message = received_email(envelope)
    return message.get_body(("plain",)).get_content()


@pytest.mark.django_db(transaction=True)
def test_a_survey_mails_a_working_link_to_the_primary_contact(crew, smtp_inbox):
    sent = _send(crew)
    assert sent.survey.status == SurveyStatus.SENT and sent.survey.contact == crew.contact
    assert sent.survey.address == "li@pudong.example.com"
    [envelope] = smtp_inbox.envelopes
    assert envelope.rcpt_tos == ["li@pudong.example.com"]
    body = _body(envelope)
    assert sent.link in body and "/unsubscribe/" in body
    assert received_email(envelope)["List-Unsubscribe"]
    assert service.survey_open(token=sent.token) == sent.survey
    # The token is no column of the row: it signs the nonce, and the audit row hides the nonce.
    entry = AuditEntry.objects.get(object_type="feedback.survey", object_id=str(sent.survey.pk))
    assert entry.after["nonce"] == "******" and sent.token not in str(entry.after)


@pytest.mark.django_db
def test_skips_are_kept_with_their_reason(crew):
    crew.contact.email = ""
    crew.contact.save()
    assert _send(crew).survey.skip_reason == SkipReason.NO_ADDRESS
    crew.contact.email = "li@pudong.example.com"
    crew.contact.save()
    SurveyOptOut.objects.create(tenant=crew.tenant, address="li@pudong.example.com")
    skipped = _send(crew)
    assert skipped.token is None and skipped.survey.status == SurveyStatus.SKIPPED
    assert skipped.survey.skip_reason == SkipReason.UNSUBSCRIBED
    SurveyOptOut.objects.all().delete()
    assert _send(crew).survey.status == SurveyStatus.SENT
    assert _send(crew).survey.skip_reason == SkipReason.ALREADY_SENT
    assert _send(crew, project=None).survey.skip_reason == SkipReason.QUIET_PERIOD
    # A link for WeChat goes to a contact without an email address.
    assert _send(crew, contact=crew.other, project=None, channel=SurveyChannel.LINK).survey.status == SurveyStatus.SENT


@pytest.mark.django_db
def test_the_quiet_period_is_the_tenants(crew):
    first = _send(crew)
    Survey.objects.filter(pk=first.survey.pk).update(sent_at=timezone.now() - timedelta(days=40))
    assert _send(crew, project=None).survey.skip_reason == SkipReason.QUIET_PERIOD
    settings = feedback_settings(tenant_id=crew.tenant.pk)
    settings.quiet_days = 30
    settings.save()
    assert _send(crew, project=None).survey.status == SurveyStatus.SENT


@pytest.mark.django_db
def test_sending_refuses_what_is_not_the_accounts(crew, other_tenant):
    from tandem.crm.tests.factories import make_account, make_contact

    stranger = make_contact(crew.tenant, crew.rep.user, make_account(crew.tenant, crew.rep.user))
    with pytest.raises(ApplicationError) as caught:
        _send(crew, contact=stranger)
    assert "contact" in caught.value.errors
    with pytest.raises(ApplicationError):
        _send(crew, channel="fax")
    assert not Survey.objects.exists()


@pytest.mark.django_db
def test_a_member_without_the_permission_cannot_send(crew):
    from tandem.core.errors import PermissionDenied

    finance = access_for(make_member(crew.tenant, "finance"))
    with pytest.raises(PermissionDenied):
        service.survey_send(access=finance, account=crew.account)


@pytest.mark.django_db
def test_an_answer_is_written_once_and_announced(crew):
    sent = _send(crew)
    response = service.response_submit(
        token=sent.token, score="4", comment="  工期拖了两周  ", answers={"quality": "2"}
    )
    assert response.score == 4 and response.category == "detractor" and response.comment == "工期拖了两周"
    assert response.answers == {"quality": 2}
    assert response.manager == crew.project.owner and response.tier == "vip"
    sent.survey.refresh_from_db()
    assert sent.survey.status == SurveyStatus.ANSWERED
    event = Event.objects.get(name=events.RESPONSE_SUBMITTED)
    assert event.payload["surveyresponse_id"] == response.pk and event.payload["score"] == 4
    with pytest.raises(service.SurveyClosed) as caught:
        service.response_submit(token=sent.token, score=9)
    assert caught.value.reason == "answered"
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("score", [11, -1, "7.5", "", None, "seven", True, "1e1", " 10 x"])
def test_a_bad_score_is_refused_and_writes_nothing(crew, score):
    sent = _send(crew)
    with pytest.raises(ApplicationError) as caught:
        service.response_submit(token=sent.token, score=score)
    assert "score" in caught.value.errors
    assert not SurveyResponse.objects.exists()
    assert Survey.objects.get().status == SurveyStatus.SENT


@pytest.mark.django_db
def test_a_huge_comment_or_a_bad_extra_answer_writes_nothing(crew):
    sent = _send(crew)
    with pytest.raises(ApplicationError) as caught:
        service.response_submit(token=sent.token, score=8, comment="长" * 1_000_000)
    assert "comment" in caught.value.errors
    with pytest.raises(ApplicationError) as caught:
        service.response_submit(token=sent.token, score=8, answers={"quality": "6"})
    assert "answers.quality" in caught.value.errors
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_tampered_and_expired_links_open_nothing(crew):
    sent = _send(crew)
    for token in (sent.token[:-2] + "xx", sent.survey.nonce, "", "a.b"):
        with pytest.raises(service.SurveyClosed) as caught:
            service.response_submit(token=token, score=9)
        assert caught.value.reason == "invalid"
    Survey.objects.filter(pk=sent.survey.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(service.SurveyClosed) as caught:
        service.response_submit(token=sent.token, score=9)
    assert caught.value.reason == "expired"
    assert service.surveys_expire() == 1
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_one_reminder_with_the_same_link_and_none_after_unsubscribing(crew, smtp_inbox):
    sent = _send(crew)
    Survey.objects.filter(pk=sent.survey.pk).update(sent_at=timezone.now() - timedelta(days=4))
    assert service.surveys_remind() == 1
    assert service.surveys_remind() == 0
    assert len(smtp_inbox.envelopes) == 2 and sent.link in _body(smtp_inbox.envelopes[1])
    second = _send(crew, contact=crew.other, project=None, channel=SurveyChannel.LINK)
    assert second.survey.status == SurveyStatus.SENT
    service.survey_unsubscribe(token=sent.token)
    assert SurveyOptOut.objects.filter(address="li@pudong.example.com").exists()
    Survey.objects.filter(pk=sent.survey.pk).update(status=SurveyStatus.EXPIRED)
    assert _send(crew, project=None).survey.skip_reason == SkipReason.UNSUBSCRIBED


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_refuses_marks_the_survey_failed(crew, smtp_inbox):
    smtp_inbox.refuse = "550 No such user"
    sent = _send(crew)
    sent.survey.refresh_from_db()
    assert sent.survey.status == SurveyStatus.FAILED and "550" in sent.survey.error


@pytest.mark.django_db(transaction=True)
def test_a_contact_with_a_language_is_asked_in_it(crew, smtp_inbox):
    from tandem.crm.models import Contact

    Contact.objects.filter(pk=crew.contact.pk).update(language="en")
    sent = _send(crew)
    assert sent.survey.language == "en" and sent.survey.template.language == "en"
    assert "How likely are you to recommend us" in _body(smtp_inbox.envelopes[0])
    # The other contact has none: the organisation's language (简体中文 here).
    other = service.survey_send(access=crew.access, account=crew.account, contact=crew.other, channel="link")
    assert other.survey.language == "zh-hans"
