"""Time triggers: the date-relative and cron rules whose moment came since the last scan, each fired once.

A scan looks back from now to where the rule's previous scan stopped (at most `TIME_LOOKBACK`); each fire is a run
keyed by its record and moment, so two workers scanning at once still start it once.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tandem.automation import catalog
from tandem.automation.engine.triggers import Trigger, start_run
from tandem.automation.models import Rule, TriggerType

TIME_LOOKBACK = timedelta(days=2)  # after an outage, fire what fell due in the last two days, not older
MAX_FIRES_PER_SCAN = 5000


def _zone(tenant_id: int) -> ZoneInfo:
    from tandem.projects.services.scheduling import tenant_zone

    return tenant_zone(tenant_id)


def fire_time(value, offset: int, unit: str, *, zone: ZoneInfo, workdays=None) -> datetime | None:
    """When a date-relative trigger fires for a field value: a date counts from 09:00 local time."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(9, 0), tzinfo=zone)
    if unit == "working_days":
        local = value.astimezone(zone)
        day = workdays.add(local.date(), offset) if workdays is not None else local.date() + timedelta(days=offset)
        return datetime.combine(day, local.timetz())
    return value + timedelta(**{unit: offset})


def _date_relative_fires(rule: Rule, since: datetime, now: datetime):
    version = rule.current_version
    settings_ = version.trigger or {}
    record_type = catalog.get(version.model)
    field, offset, unit = settings_.get("field"), int(settings_.get("offset", 0)), settings_.get("unit", "days")
    if record_type is None or not field:
        return
    zone = _zone(rule.tenant_id)
    workdays = None
    if unit == "working_days":
        from tandem.calendars.services.calendars import calendar_default
        from tandem.calendars.workdays import Workdays

        workdays = Workdays(calendar_default(tenant_id=rule.tenant_id))
    span = timedelta(**{("days" if unit == "working_days" else unit): abs(offset)})
    slack = timedelta(days=abs(offset) * 2 + 10) if unit == "working_days" else timedelta(days=1)
    low = since - span - slack if offset >= 0 else since + span - slack
    high = now + span + slack if offset < 0 else now - span + slack
    model_field = record_type.model._meta.get_field(field)
    bounds = (low, high)
    if not model_field.get_internal_type().startswith("DateTime"):
        bounds = (low.astimezone(zone).date(), high.astimezone(zone).date())
    rows = record_type.queryset(rule.tenant_id).filter(**{f"{field}__range": bounds}).order_by("pk")
    for record in rows[:MAX_FIRES_PER_SCAN]:
        moment = fire_time(getattr(record, field), offset, unit, zone=zone, workdays=workdays)
        if moment is not None and since < moment <= now:
            yield record_type, record, moment


def _schedule_fires(rule: Rule, since: datetime, now: datetime):
    from huey import crontab

    settings_ = rule.current_version.trigger or {}
    fields = (settings_.get("cron") or "").split()
    if len(fields) != 5:
        return
    test = crontab(*fields)
    zone = _zone(rule.tenant_id)
    minute = since.astimezone(zone).replace(second=0, microsecond=0) + timedelta(minutes=1)
    end = now.astimezone(zone)
    while minute <= end:
        if test(minute.replace(tzinfo=None)):
            yield minute
        minute += timedelta(minutes=1)


def scan_time_triggers(*, now: datetime | None = None) -> int:
    """Start the runs of date-relative and scheduled rules that fell due since the last scan."""
    now = now or timezone.now()
    started = 0
    rules = Rule.objects.filter(
        enabled=True,
        trigger_type__in=[TriggerType.DATE_RELATIVE, TriggerType.SCHEDULE],
        current_version__isnull=False,
    ).select_related("current_version")
    for rule in rules:
        since = max(rule.scanned_until or rule.current_version.created_at, now - TIME_LOOKBACK)
        if since >= now:
            continue
        with transaction.atomic():
            if rule.trigger_type == TriggerType.DATE_RELATIVE:
                for record_type, record, moment in _date_relative_fires(rule, since, now):
                    key = f"time:{record_type.key}:{record.pk}:{moment.isoformat()}"
                    trigger = Trigger(
                        TriggerType.DATE_RELATIVE, key, record_type, record, payload={"fire_at": moment.isoformat()}
                    )
                    started += start_run(rule, trigger, now=now) is not None
            else:
                for moment in _schedule_fires(rule, since, now):
                    trigger = Trigger(
                        TriggerType.SCHEDULE, f"cron:{moment.isoformat()}", payload={"fire_at": moment.isoformat()}
                    )
                    started += start_run(rule, trigger, now=now) is not None
            Rule.objects.filter(pk=rule.pk).exclude(scanned_until__gte=now).update(scanned_until=now)
    return started
