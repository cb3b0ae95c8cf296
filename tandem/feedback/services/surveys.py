"""Sending surveys and taking their answers.

`survey_send` decides whether a contact may be asked (an address, no opt-out, not asked about this project yet,
not within the quiet period) and keeps every skip with its reason; the email is handed to the worker after the
transaction commits (`survey_deliver_task`), which retries a mail server that is down or answers "try later".
The public side (`survey_open`, `response_submit`, `survey_unsubscribe`) has no signed-in member: the signed token
is the only key, and an altered, used or expired token writes nothing.
"""

from __future__ import annotations

import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, require
from tandem.crm.models import Account, AccountContact, Contact, Deal
from tandem.feedback import events, tokens
from tandem.feedback.choices import QuestionKind, SkipReason, SurveyChannel, SurveyStatus
from tandem.feedback.models import Survey, SurveyOptOut, SurveyResponse, SurveyTemplate, category_of
from tandem.feedback.models.surveys import MAX_COMMENT
from tandem.feedback.services.settings import feedback_settings
from tandem.feedback.services.templates import template_default

logger = logging.getLogger(__name__)

ASKED = (SurveyStatus.SENT, SurveyStatus.ANSWERED, SurveyStatus.EXPIRED)
MAX_TEXT_ANSWER = 1000
_SCORE = re.compile(r"^\s*(\d{1,2})\s*$")


@dataclass
class Sent:
    """A survey written by `survey_send`; `token` is None when it was skipped (see `survey.skip_reason`)."""

    survey: Survey
    token: str | None

    @property
    def link(self) -> str:
        return survey_link(self.token) if self.token else ""


def survey_link(token: str) -> str:
    return settings.TANDEM_BASE_URL.rstrip("/") + reverse("survey:answer", args=[token])


def unsubscribe_link(token: str) -> str:
    return settings.TANDEM_BASE_URL.rstrip("/") + reverse("survey:unsubscribe", args=[token])


def primary_contact(account: Account) -> Contact | None:
    link = (
        AccountContact.objects.filter(account=account, contact__deleted_at__isnull=True)
        .select_related("contact")
        .order_by("-is_primary", "id")
        .first()
    )
    return link.contact if link else None


def _address(contact, channel: str) -> str:
    """Where the survey goes: the contact's email, or their WeChat ID for an IM link someone forwards."""
    if contact is None:
        return ""
    if channel == SurveyChannel.EMAIL:
        return contact.email.strip().lower()
    if channel == SurveyChannel.IM:
        return contact.wechat.strip()
    return ""


def _skip_reason(*, tenant_id: int, contact, project, channel: str, now: datetime, quiet: int) -> str:
    if contact is None:
        return SkipReason.NO_CONTACT
    address = contact.email.strip().lower()
    if channel == SurveyChannel.EMAIL and not address:
        return SkipReason.NO_ADDRESS
    if channel == SurveyChannel.IM and not contact.wechat.strip():
        return SkipReason.NO_ADDRESS
    if address and SurveyOptOut.objects.filter(tenant_id=tenant_id, address=address).exists():
        return SkipReason.UNSUBSCRIBED
    asked = Survey.objects.filter(tenant_id=tenant_id, contact=contact, status__in=ASKED)
    if project is not None and asked.filter(project=project).exists():
        return SkipReason.ALREADY_SENT
    if quiet and asked.filter(sent_at__gte=now - timedelta(days=quiet)).exists():
        return SkipReason.QUIET_PERIOD
    return ""


@transaction.atomic
def survey_send(
    *,
    access,
    account: Account,
    contact: Contact | None = None,
    project=None,
    template: SurveyTemplate | None = None,
    channel: str = SurveyChannel.EMAIL,
    batch=None,
    now: datetime | None = None,
) -> Sent:
    """Ask a contact of the account (its primary contact by default) how likely they are to recommend us.

    `channel` email sends the link by mail; link only returns it for the sender to pass on (WeChat, a text
    message). A contact who may not be asked gets a skipped survey with the reason, and no message.
    """
    require(access, "feedback.add_survey")
    check_tenant(access, account, contact, project, template)
    if channel not in SurveyChannel.values:
        raise ApplicationError(_("Unknown channel."), errors={"channel": [_("Unknown channel.")]})
    if project is not None and project.account_id != account.pk:
        message = _("The project is not this account's.")
        raise ApplicationError(message, errors={"project": [message]})
    if contact is not None and not AccountContact.objects.filter(account=account, contact=contact).exists():
        message = _("The contact is not one of this account's contacts.")
        raise ApplicationError(message, errors={"contact": [message]})
    if template is not None and template.deleted_at is not None:
        raise ApplicationError(_("That template was deleted."), errors={"template": [_("That template was deleted.")]})
    now = now or timezone.now()
    tenant = access.membership.tenant
    contact = contact or primary_contact(account)
    # In the contact's language when it is set, else the organisation's.
    language = (contact.language if contact is not None else "") or tenant.locale
    template = template or template_default(tenant_id=tenant.pk, language=language)
    survey = Survey(
        tenant_id=tenant.pk,
        template=template,
        account=account,
        contact=contact,
        project=project,
        batch=batch,
        sent_by=actor_of(access),
        language=template.language,
        channel=channel,
        address=_address(contact, channel),
    )
    survey.stamp_automation()
    options = feedback_settings(tenant_id=tenant.pk)
    reason = _skip_reason(
        tenant_id=tenant.pk, contact=contact, project=project, channel=channel, now=now, quiet=options.quiet_days
    )
    if reason:
        survey.status = SurveyStatus.SKIPPED
        survey.skip_reason = reason
        survey.save()
        audit_record(obj=survey, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(survey))
        return Sent(survey, None)
    survey.nonce = tokens.nonce_new()
    survey.status = SurveyStatus.SENT
    survey.sent_at = now
    survey.expires_at = now + timedelta(days=options.expiry_days)
    survey.save()
    audit_record(obj=survey, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(survey))
    emit(
        events.SURVEY_SENT,
        tenant=tenant,
        actor=actor_of(access),
        payload={
            "survey_id": survey.pk,
            "account_id": account.pk,
            "project_id": getattr(project, "pk", None),
            "contact_id": getattr(contact, "pk", None),
            "channel": channel,
        },
    )
    token = tokens.token_for(survey.nonce)
    # A batch mails its surveys a chunk at a time over one connection (see `surveys_deliver`).
    if channel == SurveyChannel.EMAIL and batch is None:
        transaction.on_commit(lambda: _deliver_later(survey.pk), robust=True)
    return Sent(survey, token)


def _deliver_later(survey_id: int) -> None:
    from tandem.feedback.tasks import mail_priority, survey_deliver_task

    survey_deliver_task(survey_id, priority=mail_priority())


def _message(survey: Survey, *, reminder: bool, connection=None) -> EmailMultiAlternatives:
    token = tokens.token_for(survey.nonce)
    context = {
        "survey": survey,
        "template": survey.template,
        "company": survey.account.tenant.name,
        "contact": survey.contact,
        "project": survey.project,
        "link": survey_link(token),
        "unsubscribe": unsubscribe_link(token),
        "reminder": reminder,
        "expires_at": survey.expires_at,
    }
    with translation.override(survey.language):
        if survey.project is not None:
            subject = _("%(company)s asks: how did project %(project)s go?") % {
                "company": context["company"],
                "project": survey.project.name,
            }
        else:
            subject = _("%(company)s asks: how are we doing?") % {"company": context["company"]}
        if reminder:
            subject = _("Reminder: %(subject)s") % {"subject": subject}
        text = render_to_string("feedback/email/survey.txt", context)
        html = render_to_string("feedback/email/survey.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200], body=text, to=[survey.address], connection=connection
    )
    message.attach_alternative(html, "text/html")
    message.extra_headers["List-Unsubscribe"] = f"<{context['unsubscribe']}>"
    return message


class DeliveryDeferred(Exception):
    """The mail server is down or answered "try later": the worker tries the same survey again."""


def transient_mail_error(exc: OSError) -> bool:
    """A refusal worth trying again: no connection, a dropped one, or a 4xx answer (a 5xx answer is final)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code < 500
    return True


def _mark_failed(survey_id: int, exc: OSError) -> None:
    logger.warning("survey %s: the mail server refused: %s", survey_id, exc)
    Survey.objects.filter(pk=survey_id).update(
        status=SurveyStatus.FAILED, error=str(exc)[:500], updated_at=timezone.now()
    )


def _deliverable():
    return Survey.objects.select_related("template", "account__tenant", "contact", "project").filter(
        status=SurveyStatus.SENT
    )


def surveys_deliver(*, survey_ids: list[int]) -> int:
    """Mail many sent surveys over one connection (a batch's chunk); returns how many the server accepted.

    A survey the server puts off (or every one, when it cannot be reached) goes on to `survey_deliver_task`, which
    retries it on its own; a final refusal marks that survey failed.
    """
    from django.core.mail import get_connection

    surveys = list(_deliverable().filter(pk__in=survey_ids).exclude(address="").order_by("pk"))
    later: list[int] = []
    accepted = 0
    connection = get_connection()
    try:
        connection.open()
    except OSError as exc:
        logger.info("surveys %s…: the mail server is unavailable, trying one by one later: %s", survey_ids[:3], exc)
        later = [survey.pk for survey in surveys]
        surveys = []
    for survey in surveys:
        try:
            _message(survey, reminder=False, connection=connection).send()
        except OSError as exc:
            if not transient_mail_error(exc):
                _mark_failed(survey.pk, exc)
                continue
            later.append(survey.pk)
            connection.close()  # the connection may be gone; the next message opens a new one
            try:
                connection.open()
            except OSError:
                pass
        else:
            accepted += 1
    connection.close()
    for survey_id in later:
        _deliver_later(survey_id)
    return accepted


def survey_deliver(*, survey_id: int, reminder: bool = False, final: bool = True) -> bool:
    """Mail a sent survey's link (or its one reminder); a mail server that refuses marks the survey failed.

    With `final` False a passing failure (see `transient_mail_error`) raises DeliveryDeferred instead, for the
    worker to try again later; the last attempt marks the survey failed with the server's answer.
    """
    survey = _deliverable().filter(pk=survey_id).first()
    if survey is None or not survey.address:
        return False
    try:
        _message(survey, reminder=reminder).send()
    except OSError as exc:
        if not final and transient_mail_error(exc):
            logger.info("survey %s: the mail server is unavailable, trying again later: %s", survey_id, exc)
            raise DeliveryDeferred(str(exc)) from exc
        _mark_failed(survey_id, exc)
        return False
    if reminder:
        Survey.objects.filter(pk=survey_id).update(reminded_at=timezone.now())
    return True


def surveys_remind(*, now: datetime | None = None) -> int:
    """Send the one reminder of every emailed survey still unanswered after the tenant's reminder days."""
    from tandem.feedback.models import FeedbackSettings

    now = now or timezone.now()
    days = dict(FeedbackSettings.objects.values_list("tenant_id", "reminder_days"))
    due = Survey.objects.filter(
        status=SurveyStatus.SENT,
        channel=SurveyChannel.EMAIL,
        reminded_at__isnull=True,
        expires_at__gt=now,
        sent_at__lte=now - timedelta(days=1),
    ).values_list("pk", "tenant_id", "sent_at", "address")
    opted = set(SurveyOptOut.objects.values_list("tenant_id", "address"))
    sent = 0
    for pk, tenant_id, sent_at, address in due.iterator():
        wait = days.get(tenant_id, 3)
        if not wait or sent_at > now - timedelta(days=wait) or (tenant_id, address) in opted:
            continue
        sent += survey_deliver(survey_id=pk, reminder=True)
    return sent


def surveys_expire(*, now: datetime | None = None) -> int:
    """Mark the surveys whose link has run out unanswered as expired."""
    now = now or timezone.now()
    return Survey.objects.filter(status=SurveyStatus.SENT, expires_at__lte=now).update(
        status=SurveyStatus.EXPIRED, updated_at=now
    )


# The public side ------------------------------------------------------------------------------------------------


class SurveyClosed(Exception):
    """The link opens no survey to answer; `reason` is invalid, answered or expired (for the friendly page)."""

    def __init__(self, reason: str, survey: Survey | None = None):
        super().__init__(reason)
        self.reason = reason
        self.survey = survey


def survey_by_token(token: str, *, lock: bool = False) -> Survey | None:
    nonce = tokens.nonce_of(token)
    if not nonce:
        return None
    qs = Survey.objects.select_related("template", "account__tenant", "contact", "project")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.filter(nonce=nonce).first()


def _check_open(survey: Survey | None, now: datetime) -> Survey:
    if survey is None:
        raise SurveyClosed("invalid")
    if survey.status == SurveyStatus.ANSWERED:
        raise SurveyClosed("answered", survey)
    if survey.status != SurveyStatus.SENT or (survey.expires_at and survey.expires_at <= now):
        raise SurveyClosed("expired", survey)
    return survey


def survey_open(*, token: str, now: datetime | None = None) -> Survey:
    """The survey a link opens for answering (its first opening is noted), or SurveyClosed."""
    now = now or timezone.now()
    survey = _check_open(survey_by_token(token), now)
    if survey.opened_at is None:
        Survey.objects.filter(pk=survey.pk, opened_at__isnull=True).update(opened_at=now)
    return survey


def clean_score(value) -> int:
    """A 0–10 integer from a form or JSON value; anything else (7.5, 11, −1, text, nothing) is refused."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        score = value
    else:
        match = _SCORE.match(value) if isinstance(value, str) else None
        score = int(match.group(1)) if match else None
    if score is None or not 0 <= score <= 10:
        message = _("Choose a score from 0 to 10.")
        raise ApplicationError(message, errors={"score": [message]})
    return score


def clean_answers(template: SurveyTemplate, answers) -> dict:
    """The extra answers keyed by question, checked against the template's questions."""
    answers = answers if isinstance(answers, dict) else {}
    cleaned, errors = {}, {}
    for question in template.questions or []:
        key, kind = question["key"], question["kind"]
        value = answers.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if question.get("required"):
                errors[f"answers.{key}"] = [_("Please answer this question.")]
            continue
        if kind == QuestionKind.RATING:
            text = str(value)
            if isinstance(value, bool) or not text.isdigit() or not 1 <= int(text) <= 5:
                errors[f"answers.{key}"] = [_("Choose 1 to 5.")]
                continue
            cleaned[key] = int(text)
        elif kind == QuestionKind.CHOICE:
            if value not in question.get("choices", []):
                errors[f"answers.{key}"] = [_("Choose one of the options.")]
                continue
            cleaned[key] = value
        else:
            if not isinstance(value, str) or len(value) > MAX_TEXT_ANSWER:
                errors[f"answers.{key}"] = [
                    _("Write at most %(n)s characters.") % {"n": MAX_TEXT_ANSWER},
                ]
                continue
            cleaned[key] = value
    if errors:
        raise ApplicationError(_("Please check your answers."), errors=errors)
    return cleaned


def _project_type(project) -> str:
    if project is None or not project.deal_id:
        return ""
    return Deal.all_objects.filter(pk=project.deal_id).values_list("deal_type", flat=True).first() or ""


@transaction.atomic
def response_submit(
    *, token: str, score, comment: str = "", answers=None, now: datetime | None = None
) -> SurveyResponse:
    """The customer's answer through their link: written once; a second answer, an old link or a bad score
    changes nothing."""
    now = now or timezone.now()
    survey = _check_open(survey_by_token(token, lock=True), now)
    with translation.override(survey.language):
        score = clean_score(score)
        comment = comment if isinstance(comment, str) else ""
        comment = comment.replace("\x00", "").strip()
        if len(comment) > MAX_COMMENT:
            message = _("Please keep the comment under %(n)s characters.") % {"n": MAX_COMMENT}
            raise ApplicationError(message, errors={"comment": [message]})
        cleaned = clean_answers(survey.template, answers)
    project = survey.project
    response = SurveyResponse.objects.create(
        tenant_id=survey.tenant_id,
        survey=survey,
        account=survey.account,
        project=project,
        contact=survey.contact,
        manager_id=getattr(project, "owner_id", None),
        score=score,
        category=category_of(score),
        comment=comment,
        answers=cleaned,
        tier=survey.account.tier,
        project_type=_project_type(project),
        language=survey.language,
        submitted_at=now,
    )
    before = snapshot(survey)
    survey.status = SurveyStatus.ANSWERED
    survey.answered_at = now
    survey.save(update_fields=["status", "answered_at", "updated_at"])
    audit_record(obj=survey, action=AuditAction.UPDATE, before=before, after=snapshot(survey))
    audit_record(obj=response, action=AuditAction.CREATE, after=snapshot(response))
    emit(
        events.RESPONSE_SUBMITTED,
        tenant=survey.account.tenant,
        payload={
            "response_id": response.pk,
            "surveyresponse_id": response.pk,
            "survey_id": survey.pk,
            "account_id": survey.account_id,
            "project_id": survey.project_id,
            "contact_id": survey.contact_id,
            "score": score,
            "category": response.category,
        },
    )
    return response


@transaction.atomic
def survey_unsubscribe(*, token: str) -> Survey:
    """Stop surveys to the address a link was sent to (any of its links, answered or not, still works for this)."""
    survey = survey_by_token(token)
    if survey is None:
        raise SurveyClosed("invalid")
    address = survey.address or (survey.contact.email.strip().lower() if survey.contact else "")
    if address:
        optout, created = SurveyOptOut.objects.get_or_create(
            tenant_id=survey.tenant_id,
            address=address,
            defaults={"contact": survey.contact, "source": _("Unsubscribe link")},
        )
        if created:
            audit_record(obj=optout, action=AuditAction.CREATE, after=snapshot(optout))
    return survey
