"""Outbound webhooks: endpoints (with secret rotation), one delivery per event and endpoint, HTTP attempts.

A delivery is created in the transaction that handles the event and sent after it commits. Each attempt
first *claims* the delivery (a conditional update that pushes ``next_attempt_at`` out by a lease), so
the task started on commit and the periodic sweep can never send the same attempt twice; the HTTP call
itself runs outside any transaction. Retries keep the delivery's ``webhook-id`` (receivers dedupe on
it); a replay is a new delivery with a new id.
"""

from __future__ import annotations

import json
import logging
import random
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.automation.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tandem.automation.webhooks import net, retry, signing
from tandem.automation.webhooks.events import TEST_EVENT, is_valid_subscription, subscribes_to
from tandem.core.errors import ApplicationError, NotFound
from tandem.core.services import actor_of, check_tenant, full_clean, require

logger = logging.getLogger(__name__)

# How long a claimed delivery is left alone: longer than one attempt can take, short enough that a
# worker killed mid-attempt delays the message by minutes only.
CLAIM_LEASE = timedelta(minutes=2)
REQUEST_TIMEOUT = 10  # seconds, for the whole exchange
EXCERPT_LENGTH = 1000
ERROR_LENGTH = 500
DUE_BATCH = 100
_rng = random.Random()

ENDPOINT_FIELDS = ("url", "description", "event_types", "enabled")


# --- endpoints ------------------------------------------------------------------------------------


def _audited(endpoint: WebhookEndpoint) -> dict:
    """The endpoint's audit snapshot; the secrets never reach the audit trail."""
    data = snapshot(endpoint)
    for name in ("secret", "previous_secret"):
        if data.get(name):
            data[name] = "whsec_…"
    return data


def _clean_url(url) -> str:
    url = (url or "").strip() if isinstance(url, str) else ""
    message = None
    if not url:
        message = _("Enter the URL that receives the webhooks.")
    else:
        try:
            URLValidator(schemes=["http", "https"])(url)
            net.parse_url(url)
        except ValidationError:
            message = _("Enter a valid http:// or https:// URL.")
        except net.Refused as exc:
            message = _("This URL cannot receive webhooks: %(reason)s.") % {"reason": exc.reason}
    if message:
        raise ApplicationError(message, errors={"url": [message]})
    return url


def _clean_event_types(event_types) -> list[str]:
    if not isinstance(event_types, (list, tuple)) or not event_types:
        message = _("Choose at least one event type.")
        raise ApplicationError(message, errors={"event_types": [message]})
    unknown = [str(t) for t in event_types if not isinstance(t, str) or not is_valid_subscription(t)]
    if unknown:
        message = _("Unknown event types: %(names)s.") % {"names": ", ".join(unknown)}
        raise ApplicationError(message, errors={"event_types": [message]})
    return list(dict.fromkeys(event_types))


@transaction.atomic
def endpoint_create(
    *, access, url: str, event_types: list[str], description: str = "", enabled: bool = True
) -> WebhookEndpoint:
    """Register a receiver URL for some event types; a fresh ``whsec_`` secret is generated."""
    require(access, "automation.add_webhookendpoint")
    endpoint = WebhookEndpoint(
        tenant_id=access.tenant_id,
        url=_clean_url(url),
        event_types=_clean_event_types(event_types),
        description=(description or "").strip(),
        enabled=bool(enabled),
        secret=signing.new_secret(),
        created_by=actor_of(access),
    )
    full_clean(endpoint, exclude=["tenant", "created_by"])
    endpoint.save()
    audit_record(obj=endpoint, action=AuditAction.CREATE, actor=actor_of(access), after=_audited(endpoint))
    return endpoint


@transaction.atomic
def endpoint_update(*, access, endpoint: WebhookEndpoint, **fields) -> WebhookEndpoint:
    """Change an endpoint's URL, description, event types or enabled flag (only the fields given)."""
    require(access, "automation.change_webhookendpoint")
    check_tenant(access, endpoint)
    unknown = set(fields) - set(ENDPOINT_FIELDS)
    if unknown:
        raise ValueError(f"not endpoint fields: {sorted(unknown)}")
    before = _audited(endpoint)
    if "url" in fields:
        endpoint.url = _clean_url(fields["url"])
    if "event_types" in fields:
        endpoint.event_types = _clean_event_types(fields["event_types"])
    if "description" in fields:
        endpoint.description = (fields["description"] or "").strip()
    if "enabled" in fields:
        endpoint.enabled = bool(fields["enabled"])
    full_clean(endpoint, exclude=["tenant", "created_by"])
    endpoint.save()
    audit_record(
        obj=endpoint, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=_audited(endpoint)
    )
    return endpoint


def _locked_endpoint(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """The endpoint under a row lock; a 404 when it was deleted meanwhile."""
    locked = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint.pk).first()
    if locked is None:
        raise NotFound(_("This webhook endpoint was deleted."))
    return locked


@transaction.atomic
def endpoint_delete(*, access, endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint with its delivery log.

    The endpoint and its deliveries are locked first: an attempt being recorded meanwhile finishes, and
    then goes with its delivery; one recorded after finds its delivery gone (`_record`).
    """
    require(access, "automation.delete_webhookendpoint")
    check_tenant(access, endpoint)
    endpoint = _locked_endpoint(endpoint)
    list(WebhookDelivery.objects.select_for_update().filter(endpoint=endpoint).values_list("pk", flat=True))
    before = _audited(endpoint)
    audit_record(obj=endpoint, action=AuditAction.DELETE, actor=actor_of(access), before=before)
    endpoint.delete()


@transaction.atomic
def endpoint_rotate_secret(
    *, access, endpoint: WebhookEndpoint, overlap: timedelta = signing.DEFAULT_ROTATION_OVERLAP
) -> WebhookEndpoint:
    """A new secret; the old one keeps signing (next to the new) until ``overlap`` has passed."""
    require(access, "automation.change_webhookendpoint")
    check_tenant(access, endpoint)
    if overlap < timedelta(0) or overlap > timedelta(days=7):
        message = _("The overlap is between 0 and 7 days.")
        raise ApplicationError(message, errors={"overlap": [message]})
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    now = timezone.now()
    new, retiring = signing.rotate(signing.SigningSecret(endpoint.secret), now=now, overlap=overlap)
    endpoint.secret = new.value
    if overlap > timedelta(0):
        endpoint.previous_secret, endpoint.previous_secret_expires_at = retiring.value, retiring.expires_at
    else:
        endpoint.previous_secret, endpoint.previous_secret_expires_at = "", None
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"])
    audit_record(
        obj=endpoint,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before={"secret": "rotated"},
        after={"secret": "whsec_…", "previous_secret_expires_at": retiring.expires_at.isoformat() if overlap else None},
    )
    return endpoint


def signing_secrets(endpoint: WebhookEndpoint) -> list[signing.SigningSecret]:
    """The secrets a message is signed with now: the current one, and the previous one inside its overlap."""
    secrets = [signing.SigningSecret(endpoint.secret)]
    if endpoint.previous_secret and endpoint.previous_secret_expires_at:
        secrets.append(signing.SigningSecret(endpoint.previous_secret, endpoint.previous_secret_expires_at))
    return secrets


# --- deliveries -----------------------------------------------------------------------------------


def enqueue_on_commit(delivery_ids: list[int]) -> None:
    from tandem.automation.webhooks.tasks import deliver_webhook_task

    for delivery_id in delivery_ids:
        transaction.on_commit(lambda pk=delivery_id: deliver_webhook_task(pk), robust=True)


def deliveries_for_event(event) -> list[WebhookDelivery]:
    """One pending delivery per enabled endpoint of the event's tenant subscribed to it (once per event).

    Called by the outbox handler inside its transaction; returns the deliveries still to be sent.
    """
    if event.tenant_id is None or event.name == TEST_EVENT:
        return []
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(tenant_id=event.tenant_id, enabled=True).only("id", "event_types")
        if subscribes_to(e.event_types or [], event.name)
    ]
    if not endpoints:
        return []
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                tenant_id=event.tenant_id,
                endpoint=endpoint,
                event_id=event.id,
                event_name=event.name,
                message_id=signing.new_message_id(),
                payload=event.payload,
                created_at=event.created_at,
                next_attempt_at=timezone.now(),
            )
            for endpoint in endpoints
        ],
        ignore_conflicts=True,  # a repeated dispatch finds the rows of the first one
    )
    return list(
        WebhookDelivery.objects.filter(
            event_id=event.id,
            replay_of__isnull=True,
            endpoint__in=endpoints,
            status=DeliveryStatus.PENDING,
            attempts=0,
        ).order_by("id")
    )


def _manual_delivery(*, endpoint: WebhookEndpoint, **fields) -> WebhookDelivery:
    endpoint = _locked_endpoint(endpoint)  # not deleted under the new delivery
    delivery = WebhookDelivery.objects.create(
        tenant_id=endpoint.tenant_id,
        endpoint=endpoint,
        message_id=signing.new_message_id(),
        next_attempt_at=timezone.now(),
        **fields,
    )
    enqueue_on_commit([delivery.pk])
    return delivery


@transaction.atomic
def delivery_replay(*, access, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery's event again now, as a new delivery with a new ``webhook-id``."""
    require(access, "automation.change_webhookendpoint")
    check_tenant(access, delivery)
    original = delivery.replay_of or delivery
    return _manual_delivery(
        endpoint=delivery.endpoint,
        event_id=original.event_id,
        event_name=original.event_name,
        payload=original.payload,
        replay_of=original,
    )


@transaction.atomic
def endpoint_send_test(*, access, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a ``webhook.test`` event to the endpoint now, enabled or not, whatever it subscribes to."""
    require(access, "automation.change_webhookendpoint")
    check_tenant(access, endpoint)
    return _manual_delivery(
        endpoint=endpoint,
        event_id=uuid.uuid4(),
        event_name=TEST_EVENT,
        payload={"message": "This is a test event from Tandem.", "endpoint_id": endpoint.pk},
    )


def message_body(delivery: WebhookDelivery) -> bytes:
    """The JSON body: ``{"type", "timestamp", "data", "id"}``; a replay carries the original time."""
    occurred_at = delivery.replay_of.created_at if delivery.replay_of_id else delivery.created_at
    body = {
        "type": delivery.event_name,
        "timestamp": occurred_at.isoformat(),
        "data": delivery.payload,
        "id": str(delivery.event_id) if delivery.event_id else delivery.message_id,
    }
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def delivery_claim(delivery_id: int, *, now: datetime | None = None) -> bool:
    """Take a due delivery for one attempt; False if it is not due or another worker took it first."""
    now = now or timezone.now()
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery_id,
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING),
            next_attempt_at__lte=now,
        ).update(next_attempt_at=now + CLAIM_LEASE)
    )


def delivery_send(delivery_id: int) -> WebhookDelivery | None:
    """Claim the delivery and make one attempt; None when it was not due or already taken."""
    if not delivery_claim(delivery_id):
        return None
    return delivery_attempt(delivery_id)


def _is_automatic(delivery: WebhookDelivery) -> bool:
    return delivery.replay_of_id is None and delivery.event_name != TEST_EVENT


def delivery_attempt(delivery_id: int) -> WebhookDelivery | None:
    """One HTTP attempt of a delivery (the caller has claimed it): log it, then succeed, retry later or fail."""
    delivery = WebhookDelivery.objects.select_related("endpoint", "replay_of").filter(pk=delivery_id).first()
    if delivery is None:  # its endpoint was deleted meanwhile
        return None
    endpoint = delivery.endpoint
    number = delivery.attempts + 1
    response: net.Response | None = None
    outcome: net.Response | BaseException
    started = timezone.now()
    if not endpoint.enabled and _is_automatic(delivery):
        outcome = net.Refused("the endpoint is disabled")
    else:
        body = message_body(delivery)
        headers = {
            "Content-Type": "application/json",
            **signing.webhook_headers(signing_secrets(endpoint), delivery.message_id, body, now=started),
        }
        try:
            outcome = response = net.post(
                endpoint.url,
                body,
                headers,
                timeout=REQUEST_TIMEOUT,
                allow_private=settings.TANDEM_WEBHOOK_ALLOW_PRIVATE,
            )
        except net.DeliveryError as exc:
            outcome = exc
        except Exception as exc:  # a bug must end in the delivery log, not loop through the retries
            logger.exception("webhook delivery %s failed unexpectedly", delivery_id)
            outcome = exc
    finished = timezone.now()
    return _record(delivery, number, outcome, response, started=started, finished=finished)


def _error_text(outcome) -> str:
    if isinstance(outcome, net.Response):
        return outcome.failure or ""
    if isinstance(outcome, net.DeliveryError):
        return outcome.reason
    return f"internal error: {type(outcome).__name__}"


@transaction.atomic
def _record(delivery, number, outcome, response, *, started: datetime, finished: datetime) -> WebhookDelivery:
    if not WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk).exists():
        return delivery  # deleted with its endpoint while the request was out
    WebhookAttempt.objects.create(
        tenant_id=delivery.tenant_id,
        delivery=delivery,
        number=number,
        status_code=response.status if response is not None else None,
        response_excerpt=response.body[:EXCERPT_LENGTH].decode("utf-8", "replace")[:EXCERPT_LENGTH] if response else "",
        error=_error_text(outcome)[:ERROR_LENGTH],
        duration_ms=round(response.elapsed * 1000) if response else int((finished - started).total_seconds() * 1000),
        created_at=started,
    )
    delivery.attempts = number
    if response is not None and response.ok:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, None
    elif retry.is_retryable(outcome):
        wait = retry.retry_after(response, finished) if response is not None else None
        later = retry.next_attempt(number, finished, _rng, retry_after=wait)
        if later is None:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.RETRYING, later
    else:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    delivery.save(update_fields=["attempts", "status", "next_attempt_at", "updated_at"])
    return delivery


def deliveries_due(*, now: datetime | None = None, limit: int = DUE_BATCH) -> list[int]:
    """Ids of deliveries whose next attempt is due, oldest first."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING), next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
