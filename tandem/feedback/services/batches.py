"""Bulk sends (批量发送): a batch asks the primary contact of every account a filter matches.

`survey_batch_start` checks the request, writes the batch (queued) and hands it to the worker after commit;
`survey_batch_run` (the worker) goes through the accounts in chunks, sends each through `survey_send` (so every
skip is kept with its reason and the quiet period protects a contact from a second batch) and counts as it goes.
One account's crash is counted as failed, with a failed survey saying why, and the batch goes on.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, check_tenant, require
from tandem.crm.models import Account
from tandem.feedback.choices import BatchStatus, SurveyChannel, SurveyStatus
from tandem.feedback.models import Survey, SurveyBatch, SurveyTemplate
from tandem.feedback.selectors.batches import account_filterset, batch_filters
from tandem.feedback.services.surveys import primary_contact, survey_send

logger = logging.getLogger(__name__)

CHUNK = 100
# A link-only survey's link is shown once to whoever sends it; nobody would see the links of a batch.
BULK_CHANNELS = (SurveyChannel.EMAIL,)


@transaction.atomic
def survey_batch_start(*, access, filters: dict, template: SurveyTemplate, channel: str = SurveyChannel.EMAIL):
    """Queue a bulk send to the accounts matching `filters` (the account list's filters); returns the batch.

    The same request again while its batch is still queued or running returns that batch rather than a second.
    """
    require(access, "feedback.add_survey")
    check_tenant(access, template)
    if channel not in BULK_CHANNELS:
        message = _("Bulk sends go by email; send a link to one contact from the account page.")
        raise ApplicationError(message, errors={"channel": [message]})
    if template is None or template.deleted_at is not None:
        message = _("Choose a survey template that has not been deleted.")
        raise ApplicationError(message, errors={"template": [message]})
    filters = batch_filters(filters)
    filterset = account_filterset(access=access, filters=filters)
    if not filterset.is_valid():
        errors = {key: [str(e) for e in value] for key, value in filterset.errors.items()}
        raise ApplicationError(_("Check the filters."), errors=errors)
    total = filterset.qs.count()
    if not total:
        message = _("No account matches these filters.")
        raise ApplicationError(message, errors={"filters": [message]})
    running = (
        SurveyBatch.objects.select_for_update()
        .filter(
            tenant_id=access.tenant_id,
            template=template,
            created_by=actor_of(access),
            status__in=(BatchStatus.QUEUED, BatchStatus.RUNNING),
        )
        .order_by("-id")
    )
    for batch in running:
        if batch.filters == filters:
            return batch
    batch = SurveyBatch.objects.create(
        tenant_id=access.tenant_id, created_by=actor_of(access), template=template, filters=filters, total=total
    )
    audit_record(obj=batch, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(batch))
    transaction.on_commit(lambda: _run_later(batch.pk), robust=True)
    return batch


def _run_later(batch_id: int) -> None:
    from tandem.feedback.tasks import survey_batch_run_task

    survey_batch_run_task(batch_id)


def _acting_access(batch: SurveyBatch):
    """The access of the member who started the batch: the batch sends within their permission and data scope."""
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership

    membership = (
        Membership.objects.select_related("tenant", "user")
        .filter(tenant_id=batch.tenant_id, user_id=batch.created_by_id, is_active=True, user__is_active=True)
        .first()
    )
    if membership is None:
        raise ApplicationError(_("The member who started this batch is no longer active."))
    access = MembershipAccess(membership)
    require(access, "feedback.add_survey")
    return access


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, ApplicationError):
        return exc.message
    return _("An unexpected error stopped this survey (%(kind)s); the server log has the details.") % {
        "kind": type(exc).__name__
    }


def _record_failure(batch: SurveyBatch, account: Account, exc: Exception) -> None:
    """Keep a failed survey saying why, so the batch page and the survey log show it; never raises."""
    try:
        contact = primary_contact(account)
        Survey.objects.create(
            tenant_id=batch.tenant_id,
            template=batch.template,
            account=account,
            contact=contact,
            batch=batch,
            sent_by_id=batch.created_by_id,
            language=batch.template.language,
            channel=SurveyChannel.EMAIL,
            address=(contact.email.strip().lower() if contact else ""),
            status=SurveyStatus.FAILED,
            error=_failure_message(exc)[:500],
        )
    except Exception:  # noqa: BLE001 (the count is kept; the row is a courtesy)
        logger.exception("batch %s: could not record the failure for account %s", batch.pk, account.pk)


def _save_counts(batch: SurveyBatch, **fields) -> None:
    for name, value in fields.items():
        setattr(batch, name, value)
    SurveyBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now(), **fields)


def _send_chunk(batch: SurveyBatch, access, chunk: list[int]) -> tuple[int, int, int]:
    """Send to the accounts of one chunk; (sent, skipped, failed). Their emails leave after the commit."""
    sent = skipped = failed = 0
    mailed: list[int] = []
    accounts = Account.objects.in_bulk(chunk)
    for pk in chunk:
        account = accounts.get(pk)
        if account is None:  # deleted since the list was read
            failed += 1
            continue
        try:
            outcome = survey_send(access=access, account=account, template=batch.template, batch=batch)
        except Exception as exc:  # noqa: BLE001 (one account's crash must not stop the batch)
            if not isinstance(exc, ApplicationError):
                logger.exception("batch %s: sending to account %s failed", batch.pk, pk)
            failed += 1
            _record_failure(batch, account, exc)
            continue
        if outcome.token:
            sent += 1
            mailed.append(outcome.survey.pk)
        else:
            skipped += 1
    if mailed:
        transaction.on_commit(lambda: _deliver_later(mailed), robust=True)
    return sent, skipped, failed


def _deliver_later(survey_ids: list[int]) -> None:
    from tandem.feedback.tasks import mail_priority, surveys_deliver_task

    surveys_deliver_task(survey_ids, priority=mail_priority())


def survey_batch_run(*, batch_id: int) -> SurveyBatch | None:
    """The worker's part: send the batch's surveys chunk by chunk, saving the counts after each chunk."""
    with transaction.atomic():
        batch = SurveyBatch.objects.select_for_update().filter(pk=batch_id, status=BatchStatus.QUEUED).first()
        if batch is None:
            return None  # already taken by another worker, or done
        SurveyBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, updated_at=timezone.now())
    batch = SurveyBatch.objects.select_related("template", "tenant").get(pk=batch_id)
    # Failures are written in the tenant's language, as its members read them.
    with translation.override(batch.tenant.locale or "zh-hans"):
        return _run(batch)


def _run(batch: SurveyBatch) -> SurveyBatch:
    sent = skipped = failed = 0
    try:
        access = _acting_access(batch)
        filterset = account_filterset(access=access, filters=batch.filters)
        if not filterset.is_valid():
            raise ApplicationError(_("The batch's filters are no longer valid."))
        ids = list(filterset.qs.values_list("pk", flat=True))
        _save_counts(batch, total=len(ids), status=BatchStatus.RUNNING)
        for start in range(0, len(ids), CHUNK):
            # One transaction a chunk (each send in its own savepoint): a crash undoes that send only, and the
            # chunk's mail goes out together once it is committed.
            with transaction.atomic():
                counts = _send_chunk(batch, access, ids[start : start + CHUNK])
            sent, skipped, failed = sent + counts[0], skipped + counts[1], failed + counts[2]
            _save_counts(batch, sent=sent, skipped=skipped, failed=failed)
    except Exception as exc:  # noqa: BLE001 (the batch says why it stopped instead of staying "sending")
        logger.exception("batch %s stopped", batch.pk)
        _save_counts(
            batch,
            sent=sent,
            skipped=skipped,
            failed=failed,
            status=BatchStatus.FAILED,
            error=_failure_message(exc)[:2000],
            finished_at=timezone.now(),
        )
        return batch
    _save_counts(batch, status=BatchStatus.DONE, finished_at=timezone.now())
    return batch
