"""Warning of conflicts before they start, and saying when they are over.

A refresh calls `conflicts_warn` with the open conflicts it kept: one starting within the tenant's
`warning_days` working days (on the resource's own calendar) and not yet warned gets `warned_at` and
`resources.conflict.detected`, in the refresh's transaction, so a warning is given once and only for a conflict
that was stored. The event's handler (`on_conflict_detected`, after commit, idempotent per event) tells the PM of
the conflict's project and the tenant's resource managers: an in-app notification and a mail to those with an
address. A warned conflict that is resolved or dismissed emits `resources.conflict.resolved`.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.accounts.models import Tenant
from tandem.core.events import emit
from tandem.crm.models import Account
from tandem.projects.models import Project, Task
from tandem.resources import events
from tandem.resources.models import Conflict, Resource, ResourceSettings
from tandem.resources.selectors.loads import Loads

logger = logging.getLogger(__name__)
_DAY = timedelta(days=1)


def working_days_until(loads: Loads, resource_id: int, today: date, start: date, limit: int) -> int:
    """Working days of the resource's calendar after `today` up to and including `start` (0 when it has begun);
    counting stops past `limit`."""
    capacity = loads.capacity.get(resource_id)
    if capacity is None or start <= today:
        return 0
    count, day = 0, today + _DAY
    while day <= start and count <= limit:
        count += capacity.calendar.is_working_day(day)
        day += _DAY
    return count


def conflicts_warn(
    *, tenant_id: int, conflicts: list[Conflict], loads: Loads, today: date, settings: ResourceSettings, now: datetime
) -> list[Conflict]:
    """Mark and announce the conflicts that come within the warning lead time; the ones warned now."""
    due = [
        c
        for c in conflicts
        if c.warned_at is None
        and c.score is not None
        and working_days_until(loads, c.resource_id, today, c.start, settings.warning_days) <= settings.warning_days
    ]
    if not due:
        return []
    for conflict in due:
        conflict.warned_at = now
    Conflict.objects.bulk_update(due, ["warned_at"])
    tenant = Tenant.objects.get(pk=tenant_id)
    for payload in detected_payloads(tenant_id, due):
        emit(events.CONFLICT_DETECTED, tenant=tenant, payload=payload)
    return due


def conflicts_resolved(*, tenant_id: int, conflicts: list[Conflict]) -> None:
    """`resources.conflict.resolved` for each warned conflict that is over (resolved or dismissed)."""
    warned = [c for c in conflicts if c.warned_at is not None]
    if not warned:
        return
    tenant = Tenant.objects.get(pk=tenant_id)
    for conflict in warned:
        emit(
            events.CONFLICT_RESOLVED,
            tenant=tenant,
            payload={
                "conflict_id": conflict.pk,
                "resource_id": conflict.resource_id,
                "resolution": conflict.resolution,
            },
        )


def detected_payloads(tenant_id: int, conflicts: list[Conflict]) -> list[dict]:
    """The payloads of `resources.conflict.detected` (see `tandem.resources.events`), in a few queries."""
    resources = dict(
        Resource.objects.filter(tenant_id=tenant_id, pk__in={c.resource_id for c in conflicts}).values_list(
            "pk", "name"
        )
    )
    tasks = dict(
        Task.objects.filter(tenant_id=tenant_id, pk__in={c.task_id for c in conflicts if c.task_id}).values_list(
            "pk", "name"
        )
    )
    projects = {
        pk: (name, account_id)
        for pk, name, account_id in Project.all_objects.filter(
            tenant_id=tenant_id, pk__in={c.project_id for c in conflicts if c.project_id}
        ).values_list("pk", "name", "account_id")
    }
    tiers = dict(
        Account.objects.filter(
            tenant_id=tenant_id, pk__in={a for _n, a in projects.values() if a is not None}
        ).values_list("pk", "tier")
    )
    out = []
    for c in conflicts:
        project_name, account_id = projects.get(c.project_id, ("", None))
        out.append(
            {
                "conflict_id": c.pk,
                "resource_id": c.resource_id,
                "resource_name": resources.get(c.resource_id, ""),
                "start": c.start.isoformat(),
                "end": c.end.isoformat(),
                "peak_load": c.peak_load,
                "score": float(c.score),
                "task_id": c.task_id,
                "task_name": tasks.get(c.task_id, ""),
                "project_id": c.project_id,
                "project_name": project_name,
                "account_tier": tiers.get(account_id, ""),
                "url": reverse("resources:conflict_detail", args=[c.pk]),
            }
        )
    return out


def recipients(tenant_id: int, project_id: int | None) -> list[int]:
    """The PM of the project and the tenant's resource managers, active members only, each once."""
    from tandem.core.services import active_members

    wanted: list[int] = []
    if project_id:
        owner = Project.all_objects.filter(tenant_id=tenant_id, pk=project_id).values_list("owner_id", flat=True)
        wanted += [pk for pk in owner if pk]
    found = ResourceSettings.objects.filter(tenant_id=tenant_id).first()
    if found is not None:
        wanted += list(found.managers.order_by("pk").values_list("pk", flat=True))
    active = set(active_members(tenant_id).filter(pk__in=wanted).values_list("pk", flat=True))
    return list(dict.fromkeys(pk for pk in wanted if pk in active))


def on_conflict_detected(event) -> None:
    """Event handler: tell the PM and the resource managers of a warned conflict (once per person and event)."""
    from tandem.accounts.models import User
    from tandem.notifications.models import Notification
    from tandem.notifications.services.notifications import notification_send

    payload = event.payload or {}
    tenant = Tenant.objects.filter(pk=event.tenant_id).first()
    if tenant is None or not Conflict.objects.filter(tenant_id=tenant.pk, pk=payload.get("conflict_id")).exists():
        return
    people = recipients(tenant.pk, payload.get("project_id"))
    told = set(
        Notification.objects.filter(tenant_id=tenant.pk, event_id=event.pk).values_list("recipient_id", flat=True)
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=people)}
    mails = []
    with translation.override(tenant.locale or "zh-hans"):
        title = _("Resource conflict: %(resource)s %(start)s–%(end)s at %(load)s%%") % {
            "resource": payload.get("resource_name", ""),
            "start": payload.get("start", ""),
            "end": payload.get("end", ""),
            "load": payload.get("peak_load", ""),
        }
        body = _("%(task)s (%(project)s) is at risk; priority score %(score)s.") % {
            "task": payload.get("task_name") or "—",
            "project": payload.get("project_name") or "—",
            "score": payload.get("score", ""),
        }
        with transaction.atomic():
            for pk in people:
                if pk in told:
                    continue
                notification_send(
                    tenant_id=tenant.pk,
                    recipient_id=pk,
                    title=title,
                    body=body,
                    url=payload.get("url", ""),
                    event_id=event.pk,
                )
                if users[pk].email:
                    mails.append(users[pk].email)
    for address in mails:
        try:
            EmailMessage(subject=title, body=body, to=[address]).send()
        except OSError as exc:  # the in-app notice is the record; a mail server down does not undo it
            logger.warning("conflict warning mail to %s failed: %s", address, exc)
