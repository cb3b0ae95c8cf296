"""Notification channels: IM group robots (DingTalk, WeCom, Feishu, Slack) and email lists.

``channel_deliver`` is what the rule engine's "notify" action calls: one message per (channel, key), so a
retried action never posts twice. A failure that may pass (rate limit, vendor busy, network) raises
``ChannelRetry`` with the wait; one only a configuration change fixes raises ``ChannelFailed``.
"""

from __future__ import annotations

import re
import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.automation.channels import robots
from tandem.automation.engine.runner import tenant_language
from tandem.automation.models import Channel, ChannelKind, ChannelMessage
from tandem.core.errors import ApplicationError
from tandem.core.masking import mask
from tandem.core.services import actor_of, check_tenant, require

ROBOT_KINDS = frozenset({ChannelKind.DINGTALK, ChannelKind.WECOM, ChannelKind.FEISHU, ChannelKind.SLACK})
# WeCom and Slack robots have no signature: the URL itself is the credential.
SIGNED_KINDS = frozenset({ChannelKind.DINGTALK, ChannelKind.FEISHU})
MAX_RECIPIENTS = 50
ERROR_MAX_CHARS = 500
# When neither the vendor nor the mail server says how long to wait.
DEFAULT_RETRY_AFTER = timedelta(minutes=1)
# A message left "sending" this long (a worker died mid-send) may be claimed again.
STALE_SENDING = timedelta(minutes=10)
# Lists pasted from a spreadsheet or a Chinese IME come separated by any of these.
_SEPARATORS = re.compile(r"[,;，；、\s]+")


class MessageStatus:
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"
    SKIPPED = "skipped"


class ChannelRetry(Exception):
    """The message did not get through but may later: try again after ``retry_after``."""

    def __init__(self, error: str, *, retry_after: timedelta = DEFAULT_RETRY_AFTER, message: ChannelMessage):
        super().__init__(error)
        self.error = error
        self.retry_after = retry_after
        self.message = message


class ChannelFailed(Exception):
    """The message cannot get through until the channel's configuration is fixed."""

    def __init__(self, error: str, *, message: ChannelMessage):
        super().__init__(error)
        self.error = error
        self.message = message


@dataclass(frozen=True)
class ChannelTestResult:
    """What a test send tells the admin: whether it arrived, and why not."""

    ok: bool
    error: str = ""
    retryable: bool = False


# --- masking -------------------------------------------------------------------------------------


def mask_url(url: str) -> str:
    """A webhook URL's host and last four characters: its token or key is a credential."""
    if not url:
        return ""
    scheme, _sep, rest = url.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0]
    return f"{scheme}://{host}/…{url[-4:]}" if len(url) > len(scheme) + len(host) + 8 else f"{scheme}://{host}/…"


def mask_secret(secret: str) -> str:
    return mask(secret, "secret")


def _audit_state(channel: Channel) -> dict:
    state = snapshot(channel)
    state["url"] = mask_url(channel.url)
    state["secret"] = mask_secret(channel.secret)
    return state


# --- validation ----------------------------------------------------------------------------------


def _clean_recipients(value) -> tuple[list[str], list[str]]:
    """Addresses (stripped, duplicates dropped, order kept) and the reasons any are refused."""
    if isinstance(value, str):
        value = _SEPARATORS.split(value)
    if not isinstance(value, (list, tuple)):
        return [], [_("Give the email addresses as a list.")]
    addresses, problems = [], []
    for item in value:
        address = str(item).strip() if item is not None else ""
        if not address:
            continue
        try:
            if any(ch in address for ch in "\r\n"):
                raise ValidationError("newline")
            validate_email(address)
        except ValidationError:
            problems.append(_("“%(address)s” is not a valid email address.") % {"address": address[:100]})
            continue
        if address.lower() not in {a.lower() for a in addresses}:
            addresses.append(address)
    if not addresses and not problems:
        problems.append(_("Give at least one email address."))
    if len(addresses) > MAX_RECIPIENTS:
        problems.append(_("At most %(count)d email addresses.") % {"count": MAX_RECIPIENTS})
    return addresses, problems


def _validated(*, tenant_id: int, pk: int | None, kind: str, name: str, url: str, secret: str, recipients) -> dict:
    """The channel's fields, cleaned for its kind; every problem at once as field errors, nothing written."""
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    if kind not in ChannelKind.values:
        errors["kind"] = [_("Choose a channel kind.")]
    if not name:
        errors["name"] = [_("Give the channel a name.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    elif Channel.objects.filter(tenant_id=tenant_id, name=name).exclude(pk=pk).exists():
        errors["name"] = [_("Another channel already has this name.")]
    url, secret = (url or "").strip(), (secret or "").strip()
    cleaned_recipients: list[str] = []
    if kind in ROBOT_KINDS:
        if not url:
            errors["url"] = [_("Paste the robot's webhook address.")]
        elif len(url) > 500:
            errors["url"] = [_("At most 500 characters.")]
        else:
            try:
                robots.check_webhook_url(
                    robots.Platform(kind), url, allow_any_host=settings.TANDEM_ROBOT_ALLOW_ANY_HOST
                )
            except robots.RobotConfigError as error:
                errors["url"] = [_("This is not a valid webhook address: %(reason)s") % {"reason": error}]
        if secret and kind not in SIGNED_KINDS:
            errors["secret"] = [_("This kind of robot has no signing secret; its webhook address is the credential.")]
        elif kind == ChannelKind.DINGTALK and secret and not secret.startswith("SEC"):
            errors["secret"] = [_("A DingTalk signing secret starts with “SEC”.")]
        elif len(secret) > 200:
            errors["secret"] = [_("At most 200 characters.")]
    elif kind == ChannelKind.EMAIL:
        url, secret = "", ""
        cleaned_recipients, problems = _clean_recipients(recipients if recipients is not None else [])
        if problems:
            errors["recipients"] = problems
    if errors:
        raise ApplicationError(_("Please correct the errors below."), errors=errors)
    return {"kind": kind, "name": name, "url": url, "secret": secret, "recipients": cleaned_recipients}


def _save(channel: Channel) -> None:
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError:
        # Two admins naming a channel the same at the same moment: the constraint decides.
        message = _("Another channel already has this name.")
        raise ApplicationError(message, errors={"name": [message]}) from None


# --- writes --------------------------------------------------------------------------------------


@transaction.atomic
def channel_create(
    *,
    access,
    kind: str,
    name: str,
    url: str = "",
    secret: str = "",
    recipients: list[str] | str | None = None,
    enabled: bool = True,
    approval_cards: bool = False,
) -> Channel:
    """A new channel, checked for its kind (robot address and secret, or email addresses)."""
    require(access, "automation.add_channel")
    fields = _validated(
        tenant_id=access.tenant_id, pk=None, kind=kind, name=name, url=url, secret=secret, recipients=recipients
    )
    channel = Channel(tenant_id=access.tenant_id, enabled=enabled, approval_cards=approval_cards, **fields)
    _save(channel)
    audit_record(obj=channel, action=AuditAction.CREATE, actor=actor_of(access), after=_audit_state(channel))
    return channel


@transaction.atomic
def channel_update(
    *,
    access,
    channel: Channel,
    kind: str | None = None,
    name: str | None = None,
    url: str | None = None,
    secret: str | None = None,
    recipients: list[str] | str | None = None,
    enabled: bool | None = None,
    approval_cards: bool | None = None,
) -> Channel:
    """Change a channel; ``None`` keeps a field. The secret and address are write-only, so ``None`` keeps them.

    A secret kept from before is dropped when the kind no longer signs; ``""`` removes it.
    """
    require(access, "automation.change_channel")
    check_tenant(access, channel)
    before = _audit_state(channel)
    kind = channel.kind if kind is None else kind
    if secret is None:
        secret = channel.secret if kind in SIGNED_KINDS else ""
    fields = _validated(
        tenant_id=channel.tenant_id,
        pk=channel.pk,
        kind=kind,
        name=channel.name if name is None else name,
        url=channel.url if url is None else url,
        secret=secret,
        recipients=channel.recipients if recipients is None else recipients,
    )
    for field, value in fields.items():
        setattr(channel, field, value)
    if enabled is not None:
        channel.enabled = enabled
    if approval_cards is not None:
        channel.approval_cards = approval_cards
    _save(channel)
    audit_record(
        obj=channel, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=_audit_state(channel)
    )
    return channel


@transaction.atomic
def channel_delete(*, access, channel: Channel) -> None:
    """Delete a channel and its message log."""
    require(access, "automation.delete_channel")
    check_tenant(access, channel)
    before = _audit_state(channel)
    audit_record(obj=channel, action=AuditAction.DELETE, actor=actor_of(access), before=before)
    channel.delete()


# --- delivery ------------------------------------------------------------------------------------


def channel_deliver(
    *,
    channel: Channel,
    key: str,
    title: str,
    body: str,
    url: str = "",
    language: str,
    buttons: tuple[robots.RobotButton, ...] = (),
    fields: tuple[tuple[str, str], ...] = (),
) -> ChannelMessage:
    """Send one already rendered message to the channel, once per ``key``; with ``buttons``, as a card.

    Returns the message (status "sent", or "skipped" for a disabled channel); raises ``ChannelRetry`` when it
    may get through later and ``ChannelFailed`` when it cannot. A key already sent sends nothing more.
    """
    message = _message_for(channel, key, title)
    if message.status == MessageStatus.SENT:
        return message
    if not channel.enabled:
        ChannelMessage.objects.filter(pk=message.pk).exclude(status=MessageStatus.SENT).update(
            status=MessageStatus.SKIPPED, error=_("The channel is disabled.")[:ERROR_MAX_CHARS]
        )
        message.refresh_from_db()
        return message
    card = Card(buttons, fields)
    return _send(channel, message, title=title, body=body, url=url, language=language, card=card)


def channel_send_test(*, access, channel: Channel) -> ChannelTestResult:
    """Send "Tandem test message" in the tenant's language, even to a disabled channel, and say how it went."""
    require(access, "automation.change_channel")
    check_tenant(access, channel)
    language = tenant_language(channel.tenant_id)
    with translation.override(language):
        title = _("Tandem test message")
        body = _("If you can read this, the notification channel “%(name)s” works.") % {"name": channel.name}
    message = _message_for(channel, f"test:{uuid.uuid4().hex}", title)
    try:
        _send(channel, message, title=title, body=body, url="", language=language)
    except ChannelRetry as retry:
        return ChannelTestResult(ok=False, error=retry.error, retryable=True)
    except ChannelFailed as failure:
        return ChannelTestResult(ok=False, error=failure.error)
    return ChannelTestResult(ok=True)


def _message_for(channel: Channel, key: str, title: str) -> ChannelMessage:
    try:
        with transaction.atomic():
            message, _created = ChannelMessage.objects.get_or_create(
                channel=channel, key=key[:200], defaults={"tenant_id": channel.tenant_id, "title": title[:200]}
            )
    except IntegrityError:
        # A concurrent call created it between our read and insert.
        message = ChannelMessage.objects.get(channel=channel, key=key[:200])
    return message


def _claim(message: ChannelMessage) -> bool:
    """Mark the message as being sent, unless it was sent or another worker is sending it right now."""
    now = timezone.now()
    claimable = ~Q(status__in=[MessageStatus.SENT, MessageStatus.SENDING]) | Q(
        status=MessageStatus.SENDING, updated_at__lt=now - STALE_SENDING
    )
    claimed = ChannelMessage.objects.filter(claimable, pk=message.pk).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    message.refresh_from_db()
    return bool(claimed)


@dataclass(frozen=True)
class Card:
    """A message's buttons and (label, value) fields; an email shows them as lines."""

    buttons: tuple[robots.RobotButton, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()


def _send(
    channel: Channel, message: ChannelMessage, *, title: str, body: str, url: str, language: str, card: Card = Card()
):
    if not _claim(message):
        if message.status == MessageStatus.SENT:
            return message
        raise ChannelRetry(_("The message is being sent by another worker."), message=message)
    if channel.kind == ChannelKind.EMAIL:
        ok, retryable, error, wait = _send_email(channel, title=title, body=body, url=url, language=language, card=card)
    else:
        ok, retryable, error, wait = _send_robot(channel, title=title, body=body, url=url, language=language, card=card)
    now = timezone.now()
    error = error[:ERROR_MAX_CHARS]
    if ok:
        status = MessageStatus.SENT
        channel_fields = {"last_sent_at": now, "last_error": ""}
    else:
        status = MessageStatus.RETRYING if retryable else MessageStatus.FAILED
        channel_fields = {"last_error": error}
    ChannelMessage.objects.filter(pk=message.pk).update(
        status=status, error=error, sent_at=now if ok else None, updated_at=now
    )
    # A plain update: an admin editing the channel meanwhile keeps their changes.
    Channel.objects.filter(pk=channel.pk).update(**channel_fields)
    for field, value in channel_fields.items():
        setattr(channel, field, value)
    message.refresh_from_db()
    if ok:
        return message
    if retryable:
        raise ChannelRetry(error, retry_after=wait or DEFAULT_RETRY_AFTER, message=message)
    raise ChannelFailed(error, message=message)


def _send_robot(channel: Channel, *, title: str, body: str, url: str, language: str, card: Card):
    with translation.override(language):
        link_text = _("Open in Tandem") if url else ""
    result = robots.send(
        channel.kind,
        channel.url,
        robots.RobotMessage(
            title=title, text=body, url=url, link_text=link_text, buttons=card.buttons, fields=card.fields
        ),
        secret=channel.secret or None,
        now=timezone.now(),
        allow_private=settings.TANDEM_WEBHOOK_ALLOW_PRIVATE,
        allow_any_host=settings.TANDEM_ROBOT_ALLOW_ANY_HOST,
    )
    return result.ok, result.retryable, result.error, result.retry_after


def _send_email(channel: Channel, *, title: str, body: str, url: str, language: str, card: Card):
    subject = " ".join(title.split())[:200]
    text = "\n".join([body.rstrip(), *(f"{name}: {value}" for name, value in card.fields)]).strip()
    if card.buttons:
        text += "\n\n" + "\n".join(f"{button.label}: {button.url}" for button in card.buttons)
    if url:
        with translation.override(language):
            text = f"{body.rstrip()}\n\n{_('Open in Tandem')}: {url}"
    email = EmailMessage(subject=subject, body=text, to=list(channel.recipients))
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _reply in error.recipients.values()]
        retryable = all(400 <= code < 500 for code in codes)
        return False, retryable, f"the mail server refused the recipients: {error.recipients}", None
    except smtplib.SMTPResponseException as error:
        detail = (
            error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        )
        return False, 400 <= error.smtp_code < 500, f"mail server answered {error.smtp_code}: {detail}", None
    except (smtplib.SMTPException, OSError) as error:
        return False, True, f"mail server unreachable: {error.__class__.__name__}: {error}", None
    return True, False, "", None
