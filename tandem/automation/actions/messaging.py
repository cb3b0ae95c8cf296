"""Actions that tell people and systems: notify (bell, email, IM robots, email lists) and send a webhook."""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.automation.actions import ActionContext, ActionFailed, ActionType, Outcome, Param, RetryLater, register
from tandem.automation.messages import MessageTemplateError, render_message

NOTICE_NAMESPACE = uuid.UUID("5f0c8f3e-9a57-4a53-bb5e-2f7f64a1c0d2")
RECIPIENTS = (
    ("owner", gettext_lazy("The record's owner")),
    ("owner_manager", gettext_lazy("The owner's manager")),
    ("assignees", gettext_lazy("The task's assignees")),
    ("project_manager", gettext_lazy("The project manager")),
    ("project_team", gettext_lazy("The project team")),
)


def _project_row(ctx: ActionContext) -> dict:
    return ctx.data.get("project") or {}


def recipients(ctx: ActionContext, wanted: list[str]) -> list[int]:
    """User ids, in a stable order, for recipient names like "owner", "role:pm" or "user:12"."""
    from tandem.accounts.models import Membership
    from tandem.projects.models import Project

    record_name = ctx.record_type.name if ctx.record_type else None
    record = ctx.data.get(record_name, {}) if record_name else {}
    ids: list[int] = []
    for item in wanted:
        if item == "owner" and record.get("owner_id"):
            ids.append(record["owner_id"])
        elif item == "owner_manager" and record.get("owner_id"):
            manager = (
                Membership.objects.filter(tenant_id=ctx.tenant_id, user_id=record["owner_id"])
                .values_list("manager_id", flat=True)
                .first()
            )
            if manager:
                ids.append(manager)
        elif item == "assignees":
            ids += (ctx.data.get("task") or {}).get("assignee_ids") or []
        elif item == "project_manager" and _project_row(ctx).get("owner_id"):
            ids.append(_project_row(ctx)["owner_id"])
        elif item == "project_team" and _project_row(ctx).get("id"):
            project = Project.objects.filter(tenant_id=ctx.tenant_id, pk=_project_row(ctx)["id"]).first()
            if project is not None:
                ids += [project.owner_id, *project.team.values_list("pk", flat=True)]
        elif item.startswith("role:"):
            ids += list(
                Membership.objects.filter(tenant_id=ctx.tenant_id, is_active=True, roles__key=item[5:])
                .order_by("user_id")
                .values_list("user_id", flat=True)
            )
        elif item.startswith("user:") and item[5:].isdigit():
            ids.append(int(item[5:]))
    active = set(
        Membership.objects.filter(
            tenant_id=ctx.tenant_id, user_id__in=ids, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    return [uid for uid in dict.fromkeys(ids) if uid in active]


def _render(text: str, data: dict, language: str) -> str:
    try:
        return render_message(text, data, language=language)
    except MessageTemplateError as exc:
        raise ActionFailed(_("The message could not be written: %(e)s") % {"e": exc}) from exc


def _linked(ctx: ActionContext) -> list[tuple[str, dict]]:
    """The records a notice can link, most specific first: the project, the task, the triggering record."""
    names = ["project", "task", ctx.record_type.name if ctx.record_type else ""]
    rows = [(name, ctx.data.get(name) or {}) for name in dict.fromkeys(names) if name]
    return [(name, row) for name, row in rows if row.get("url")]


def _link(ctx: ActionContext) -> str:
    """The address a group channel's message links: the most specific record."""
    linked = _linked(ctx)
    return linked[0][1]["url"] if linked else ""


def _link_for(ctx: ActionContext, user_id: int) -> str:
    """The most specific record this recipient may open (a salesperson told of a project they cannot see gets the
    deal), so the bell never leads to a refusal."""
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership
    from tandem.automation.catalog import RECORD_TYPES

    membership = Membership.objects.filter(tenant_id=ctx.tenant_id, user_id=user_id, is_active=True).first()
    if membership is None:
        return ""
    access = MembershipAccess(membership)
    by_name = {record_type.name: record_type for record_type in RECORD_TYPES.values()}
    for name, row in _linked(ctx):
        record_type = by_name.get(name)
        if record_type is None or row.get("id") is None:
            continue
        model = record_type.model
        # As the record's page decides: the permission to view that kind of record, then the record in reach.
        if not access.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        if model._default_manager.restrict(access, "view").filter(pk=row["id"]).exists():
            return row["url"]
    return ""


def notify(ctx: ActionContext, params: dict) -> Outcome:
    from tandem.accounts.models import User
    from tandem.notifications.services.notifications import notification_send

    user_ids = recipients(ctx, params.get("recipients") or [])
    channels = params.get("channels") or ["in_app"]
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    url = _link(ctx)
    base = settings.TANDEM_BASE_URL.rstrip("/")
    sent: list[str] = []
    for uid in user_ids:
        data = {**ctx.data, "recipient": {"name": str(users[uid]), "id": uid}}
        title = " ".join(_render(params["subject"], data, ctx.language).split())[:200]
        body = _render(params.get("body") or "", data, ctx.language)
        if ctx.dry_run:
            sent.append(str(users[uid]))
            continue
        if "in_app" in channels:
            notification_send(
                tenant_id=ctx.tenant_id,
                recipient_id=uid,
                title=title,
                body=body,
                url=_link_for(ctx, uid).removeprefix(base),
                event_id=uuid.uuid5(NOTICE_NAMESPACE, f"{ctx.tenant_id}:{ctx.key}:{uid}"),
            )
        if "email" in channels and users[uid].email:
            _email(users[uid].email, title, body)
        sent.append(str(users[uid]))
    robots = [c for c in channels if isinstance(c, str) and c.startswith("channel:")]
    group = {**ctx.data, "recipient": {"name": ""}}
    delivered = []
    for item in robots:
        delivered.append(_to_channel(ctx, int(item.split(":", 1)[1]), params, group, url))
    if not sent and not delivered:
        return Outcome(_("Nobody to notify."))
    people = "、".join(sent) or "—"
    groups = "、".join(delivered)
    if ctx.dry_run:
        summary = _("Would notify: %(people)s") % {"people": people}
    else:
        summary = _("Notified: %(people)s") % {"people": people}
    if groups:
        summary += _("; groups: %(groups)s") % {"groups": groups}
    return Outcome(summary)


def _email(address: str, subject: str, body: str) -> None:
    from django.core.mail import EmailMessage

    try:
        EmailMessage(subject=subject, body=body, to=[address]).send()
    except OSError as exc:
        raise RetryLater(_("The mail server did not answer: %(e)s") % {"e": exc}) from exc


def _to_channel(ctx: ActionContext, channel_id: int, params: dict, data: dict, url: str) -> str:
    from tandem.automation.models import Channel

    channel = Channel.objects.filter(tenant_id=ctx.tenant_id, pk=channel_id).first()
    if channel is None:
        raise ActionFailed(_("The notification channel no longer exists."))
    if not channel.enabled:
        return _("%(c)s (disabled, skipped)") % {"c": channel.name}
    title = " ".join(_render(params["subject"], data, ctx.language).split())[:200]
    body = _render(params.get("body") or "", data, ctx.language)
    if ctx.dry_run:
        return channel.name
    from tandem.automation.channels import services as channel_services

    try:
        channel_services.channel_deliver(
            channel=channel, key=ctx.key, title=title, body=body, url=url, language=ctx.language
        )
    except channel_services.ChannelRetry as exc:
        raise RetryLater(str(exc), getattr(exc, "retry_after", None)) from exc
    except channel_services.ChannelFailed as exc:
        raise ActionFailed(str(exc)) from exc
    return channel.name


def _validate_notify(params: dict, definition: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    wanted = params.get("recipients", [])
    known = {key for key, _label in RECIPIENTS}
    if not isinstance(wanted, list) or not all(
        isinstance(w, str) and (w in known or w.startswith("role:") or (w.startswith("user:") and w[5:].isdigit()))
        for w in wanted
    ):
        errors["recipients"] = [_("Unknown recipient.")]
    channels = params.get("channels", ["in_app"])
    if not isinstance(channels, list) or not all(
        isinstance(c, str) and (c in ("in_app", "email") or (c.startswith("channel:") and c[8:].isdigit()))
        for c in channels
    ):
        errors["channels"] = [_("Unknown channel.")]
    if not wanted and not [c for c in channels if isinstance(c, str) and c.startswith("channel:")]:
        errors["recipients"] = [_("Choose who is told, or a group channel.")]
    return errors


def send_webhook(ctx: ActionContext, params: dict) -> Outcome:
    from django.utils import timezone

    from tandem.automation.webhooks import net, signing
    from tandem.automation.webhooks.retry import is_retryable, retry_after

    message_id = "msg_" + uuid.uuid5(NOTICE_NAMESPACE, f"{ctx.tenant_id}:{ctx.key}").hex
    body = json.dumps(
        {
            "type": "automation.rule.webhook",
            "rule": {"id": ctx.rule.pk, "name": ctx.rule.name},
            "data": {k: v for k, v in ctx.data.items() if k != "recipient"},
        },
        ensure_ascii=False,
        default=str,
    ).encode()
    if ctx.dry_run:
        return Outcome(_("Would post %(n)s bytes to %(url)s.") % {"n": len(body), "url": params["url"]})
    headers = {"Content-Type": "application/json"}
    if params.get("secret"):
        headers.update(signing.webhook_headers([params["secret"]], message_id, body, now=timezone.now()))
    try:
        response = net.post(
            params["url"], body, headers, timeout=10, allow_private=settings.TANDEM_WEBHOOK_ALLOW_PRIVATE
        )
    except net.Refused as exc:
        raise ActionFailed(str(exc)) from exc
    except net.DeliveryError as exc:
        if is_retryable(exc):
            raise RetryLater(str(exc)) from exc
        raise ActionFailed(str(exc)) from exc
    if 200 <= response.status < 300:
        return Outcome(_("Posted to %(url)s: HTTP %(s)s.") % {"url": params["url"], "s": response.status})
    message = _("%(url)s answered HTTP %(s)s.") % {"url": params["url"], "s": response.status}
    if is_retryable(response):
        raise RetryLater(message, retry_after(response, timezone.now()))
    raise ActionFailed(message)


def _validate_webhook(params: dict, definition: dict) -> dict[str, list[str]]:
    from tandem.automation.webhooks import net

    errors: dict[str, list[str]] = {}
    try:
        net.parse_url(params.get("url") or "")
    except (net.Refused, ValueError) as exc:
        errors["url"] = [str(exc) or _("Enter an http or https address.")]
    secret = params.get("secret")
    if secret:
        from tandem.automation.webhooks import signing

        try:
            signing.secret_key(secret)
        except ValueError:
            errors["secret"] = [_("Use a whsec_… secret.")]
    return errors


register(
    ActionType(
        "notify",
        gettext_lazy("Notify"),
        notify,
        params=(
            Param("recipients", gettext_lazy("Notify whom"), "recipients", choices=RECIPIENTS),
            Param("channels", gettext_lazy("How"), "channels", default=["in_app"]),
            Param("subject", gettext_lazy("Title"), "template", required=True),
            Param("body", gettext_lazy("Message"), "template"),
        ),
        validate=_validate_notify,
        help=gettext_lazy("Texts may use {{ deal.name }}, {{ project.number }}, {{ recipient.name }}…"),
    )
)
register(
    ActionType(
        "send_webhook",
        gettext_lazy("Send a webhook"),
        send_webhook,
        params=(
            Param("url", gettext_lazy("URL"), "text", required=True),
            Param("secret", gettext_lazy("Signing secret (whsec_…)"), "text"),
        ),
        validate=_validate_webhook,
        help=gettext_lazy("Posts the record's JSON, signed per Standard Webhooks when a secret is given."),
    )
)
