"""Time triggers: the date-relative and cron rules whose moment came since the last scan, each fired once.

A scan looks back from now to where the rule's previous scan stopped (at most `TIME_LOOKBACK`); each fire is a run
keyed by its record and moment, so two workers scanning at once still start it once, and a record and moment that
already ran under any version of the rule does not run again.

Catching up: the first scan after a date-relative rule is installed or enabled looks back `CATCH_UP_WINDOW`, so
the leads already waiting and the tasks already late when the rule was switched on are told once too. Catching up
starts the runs whose conditions hold and logs nothing for the others (months of records that no longer qualify
are not the rule's history). The worker scans every minute (`tasks.time_triggers_task`): `outlook` says when it
will next look and what falls due next, for the rule pages.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from tandem.automation import catalog
from tandem.automation.engine.triggers import Trigger, start_run
from tandem.automation.models import Rule, Run, TriggerType

TIME_LOOKBACK = timedelta(days=2)  # after an outage, fire what fell due in the last two days, not older
CATCH_UP_WINDOW = timedelta(days=90)  # what was due before a rule was switched on, up to this old, is caught up
MAX_FIRES_PER_SCAN = 5000
SCAN_EVERY = timedelta(minutes=1)  # the worker's periodic scan
STALE_SCAN = timedelta(minutes=5)  # an enabled rule not scanned this long: the worker is not running


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
    rows = (
        record_type.queryset(rule.tenant_id)
        .filter(**{f"{field}__range": bounds})
        .filter(prefilter(record_type, version.conditions))
        .order_by(field, "pk")
    )
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


# --- narrowing the records a scan reads ---------------------------------------------------------------

_NUMBER_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField)
_ORDERINGS = {"lt": "lt", "lte": "lte", "gt": "gt", "gte": "gte"}


def _leaf_filter(record_type: catalog.RecordType, leaf: dict) -> Q | None:
    """The database filter of one condition leaf on the record's own plain field, when it is exactly as strict."""
    head, _dot, name = str(leaf.get("field", "")).partition(".")
    model = record_type.model
    if head != record_type.name or "." in name or name in getattr(model, "sensitive_fields", {}):
        return None  # related records, extras and masked values are the evaluator's to judge
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - an extra such as owner_name is not a column
        return None
    if field.is_relation or not field.concrete:
        return None
    op, value = leaf.get("op"), leaf.get("value")
    if op == "is_empty" and field.null and isinstance(field, (models.DateField, *_NUMBER_FIELDS)):
        return Q(**{f"{name}__isnull": True})
    if op == "eq" and isinstance(field, models.BooleanField) and isinstance(value, bool):
        return Q(**{name: value})
    is_choice = isinstance(field, models.CharField) and field.choices
    if op == "eq" and is_choice and isinstance(value, str) and not value[:1].isdigit():
        return Q(**{name: value})
    plain_texts = isinstance(value, list) and all(isinstance(v, str) and not v[:1].isdigit() for v in value)
    if op == "in" and is_choice and plain_texts:
        return Q(**{f"{name}__in": value})
    is_number = isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    if op in _ORDERINGS and isinstance(field, _NUMBER_FIELDS) and is_number:
        return Q(**{f"{name}__{_ORDERINGS[op]}": value})
    return None


def prefilter(record_type: catalog.RecordType, condition) -> Q:
    """A database filter that every record the condition can hold for passes; the condition still decides.

    Only the top-level "all" leaves on the record's own columns are translated, and only those whose database
    meaning is the evaluator's (is empty, equals a boolean or a choice, compares a number), so a scan over months
    of leads reads the few still unanswered instead of every lead.
    """
    if not isinstance(condition, dict):
        return Q()
    leaves = condition.get("all") if isinstance(condition.get("all"), list) else [condition]
    narrowed = Q()
    for leaf in leaves:
        if isinstance(leaf, dict) and "field" in leaf:
            narrowed &= _leaf_filter(record_type, leaf) or Q()
    return narrowed


# --- scanning --------------------------------------------------------------------------------------


def _ran_already(rule: Rule, keys: list[str]) -> set[str]:
    """The fire keys that started a run of the rule, under any of its versions."""
    done: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        done.update(Run.objects.filter(rule_id=rule.pk, dedup_key__in=chunk).values_list("dedup_key", flat=True))
    return done


def _scan_date_relative(rule: Rule, since: datetime, now: datetime, *, catching_up: bool) -> int:
    fires = [
        (f"time:{record_type.key}:{record.pk}:{moment.isoformat()}", record_type, record, moment)
        for record_type, record, moment in _date_relative_fires(rule, since, now)
    ]
    done = _ran_already(rule, [key for key, *_rest in fires])
    started = 0
    for key, record_type, record, moment in fires:
        if key in done:
            continue
        trigger = Trigger(TriggerType.DATE_RELATIVE, key, record_type, record, payload={"fire_at": moment.isoformat()})
        # Catching up, a record the conditions exclude is not logged (the list it is put on is dropped).
        run = start_run(rule, trigger, now=now, skipped=[] if catching_up else None)
        started += run is not None and run.pk is not None
    return started


def scan_time_triggers(*, now: datetime | None = None) -> int:
    """Start the runs of date-relative and scheduled rules that fell due since the last scan (or, catching up, in
    the catch-up window); returns how many runs were written."""
    now = now or timezone.now()
    started = 0
    rules = Rule.objects.filter(
        enabled=True,
        trigger_type__in=[TriggerType.DATE_RELATIVE, TriggerType.SCHEDULE],
        current_version__isnull=False,
    ).select_related("current_version")
    for rule in rules:
        catching_up = rule.trigger_type == TriggerType.DATE_RELATIVE and rule.catch_up_pending
        since = max(rule.scanned_until or rule.current_version.created_at, now - TIME_LOOKBACK)
        if catching_up:
            since = now - CATCH_UP_WINDOW
        if since >= now:
            continue
        with transaction.atomic():
            if rule.trigger_type == TriggerType.DATE_RELATIVE:
                started += _scan_date_relative(rule, since, now, catching_up=catching_up)
                if catching_up:
                    Rule.objects.filter(pk=rule.pk).update(catch_up_pending=False)
            else:
                for moment in _schedule_fires(rule, since, now):
                    trigger = Trigger(
                        TriggerType.SCHEDULE, f"cron:{moment.isoformat()}", payload={"fire_at": moment.isoformat()}
                    )
                    started += start_run(rule, trigger, now=now) is not None
            Rule.objects.filter(pk=rule.pk).exclude(scanned_until__gte=now).update(scanned_until=now)
    return started


# --- what the rule pages say -----------------------------------------------------------------------


def _next_date_relative(rule: Rule, now: datetime) -> tuple[datetime, object] | None:
    """The first record whose moment is still to come, and that moment (its conditions are judged then)."""
    version = rule.current_version
    settings_ = version.trigger or {}
    record_type = catalog.get(version.model)
    field, offset, unit = settings_.get("field"), int(settings_.get("offset", 0)), settings_.get("unit", "days")
    if record_type is None or not field:
        return None
    zone = _zone(rule.tenant_id)
    workdays = None
    if unit == "working_days":
        from tandem.calendars.services.calendars import calendar_default
        from tandem.calendars.workdays import Workdays

        workdays = Workdays(calendar_default(tenant_id=rule.tenant_id))
        low = now - timedelta(days=offset * 2 + 10 if offset >= 0 else 0)
    else:
        low = now - timedelta(**{unit: offset}) - timedelta(days=1)
    bound = low if record_type.model._meta.get_field(field).get_internal_type().startswith("DateTime") else low.date()
    rows = (
        record_type.queryset(rule.tenant_id)
        .filter(**{f"{field}__gt": bound})
        .filter(prefilter(record_type, version.conditions))
        .order_by(field, "pk")
    )
    for record in rows[:50]:
        moment = fire_time(getattr(record, field), offset, unit, zone=zone, workdays=workdays)
        if moment is not None and moment > now:
            return moment, record
    return None


def _already_due(rule: Rule, now: datetime) -> int:
    """How many records catching up will look at: past their moment in the window, not yet run for the rule."""
    keys = [
        f"time:{record_type.key}:{record.pk}:{moment.isoformat()}"
        for record_type, record, moment in _date_relative_fires(rule, now - CATCH_UP_WINDOW, now)
    ]
    return len(keys) - len(_ran_already(rule, keys))


def _next_schedule(rule: Rule, now: datetime) -> datetime | None:
    """The next minute the rule's cron schedule names, within a week (None when it is further off)."""
    upcoming = _schedule_fires(rule, now, now + timedelta(days=7))
    return next(upcoming, None)


def outlook(rule: Rule, *, now: datetime | None = None, upcoming: bool = True) -> dict | None:
    """For a time rule's page: when the worker next looks, whether it looks at all, whether the next look catches up
    on what was already due, and (with `upcoming`) what falls due next. None for rules of other triggers."""
    if rule.trigger_type not in (TriggerType.DATE_RELATIVE, TriggerType.SCHEDULE) or rule.current_version_id is None:
        return None
    now = now or timezone.now()
    info = {
        "enabled": rule.enabled,
        "next_check": None,
        "scanned_until": rule.scanned_until,
        "stale": False,
        "catch_up": False,
        "next_due": None,
        "next_record": None,
        "already_due": 0,
    }
    if not rule.enabled:
        return info
    info["next_check"] = now.replace(second=0, microsecond=0) + SCAN_EVERY
    info["stale"] = rule.scanned_until is None or rule.scanned_until < now - STALE_SCAN
    info["catch_up"] = rule.trigger_type == TriggerType.DATE_RELATIVE and rule.catch_up_pending
    if not upcoming:
        return info
    if rule.trigger_type == TriggerType.DATE_RELATIVE:
        if info["catch_up"]:
            info["already_due"] = _already_due(rule, now)
        nearest = _next_date_relative(rule, now)
        if nearest is not None:
            info["next_due"], info["next_record"] = nearest
    else:
        info["next_due"] = _next_schedule(rule, now)
    return info
