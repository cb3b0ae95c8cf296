"""Record numbers (编号) such as HT-20261127-0001, and the per-type rules that shape them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.models import NumberingRule, NumberSequence
from tandem.core.services import actor_of, require


@transaction.atomic
def number_next(*, tenant_id: int, object_type: str, default_prefix: str, on=None) -> str:
    """The next number for a record type, e.g. HT-20261127-0001: gap-free and unique under concurrency."""
    rule = NumberingRule.objects.filter(tenant_id=tenant_id, object_type=object_type).first()
    if rule is None:
        rule = NumberingRule(tenant_id=tenant_id, object_type=object_type, prefix=default_prefix)
    day = timezone.localdate(on) if on is not None else timezone.localdate()
    period = {"daily": "%Y%m%d", "monthly": "%Y%m", "yearly": "%Y", "never": ""}[rule.reset]
    period_key = day.strftime(period) if period else ""
    # Create the row first (a no-op when it exists), then lock it for the increment.
    NumberSequence.objects.get_or_create(tenant_id=tenant_id, object_type=object_type, period=period_key)
    sequence = NumberSequence.objects.select_for_update().get(
        tenant_id=tenant_id, object_type=object_type, period=period_key
    )
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    parts = [rule.prefix] + ([period_key] if period_key else []) + [str(sequence.last_value).zfill(rule.padding)]
    return rule.separator.join(p for p in parts if p)


@transaction.atomic
def numbering_rule_save(*, access, data: dict) -> NumberingRule:
    """Create or change how one object type is numbered; numbers already issued stay as they are."""
    require(access, "core.change_numberingrule")
    rule = NumberingRule.objects.filter(tenant_id=access.tenant_id, object_type=data["object_type"]).first()
    before = snapshot(rule) if rule else None
    if rule is None:
        rule = NumberingRule(tenant_id=access.tenant_id, object_type=data["object_type"])
    for name in ("prefix", "reset", "padding", "separator"):
        if name in data:
            setattr(rule, name, data[name])
    rule.full_clean()
    rule.save()
    audit_record(
        obj=rule,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor_of(access),
        before=before,
        after=snapshot(rule),
    )
    return rule
