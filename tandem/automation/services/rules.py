"""Writing rules: create, edit (a changed definition is a new version), enable, delete, dry run, run by hand,
receive an inbound webhook, and the rules every tenant starts with."""

from __future__ import annotations

import json
import secrets
import uuid

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.automation import actions as registry
from tandem.automation import catalog
from tandem.automation.actions import ActionContext, ActionFailed, RetryLater, WaitUntil
from tandem.automation.engine import runner, triggers
from tandem.automation.models import RECORD_TRIGGERS, Rule, RuleVersion, Run, TriggerType
from tandem.core import conditions
from tandem.core.errors import NON_FIELD, ApplicationError
from tandem.core.services import actor_of, check_tenant, require

DEFINITION = ("trigger_type", "model", "trigger", "conditions", "actions")
META = ("name", "description", "enabled", "max_failures", "owner")
DATE_UNITS = ("minutes", "hours", "days", "working_days")
MAX_DEFINITION_BYTES = 200_000


# --- validation ------------------------------------------------------------------------------------


def _trigger_errors(kind: str, model: str, settings_: dict) -> dict[str, list[str]]:
    record_type = catalog.get(model) if model else None
    field_names = {f["name"]: f for f in catalog.fields(record_type)} if record_type else {}
    errors: dict[str, list[str]] = {}
    if kind in RECORD_TRIGGERS or kind in (TriggerType.DATE_RELATIVE, TriggerType.MANUAL):
        if record_type is None:
            errors["model"] = [_("Choose the record type.")]
            return errors
    elif model and record_type is None:
        errors["model"] = [_("Unknown record type.")]
        return errors
    if not isinstance(settings_, dict):
        return {"trigger": [_("Trigger settings must be an object.")]}
    if kind == TriggerType.RECORD_UPDATED:
        watched = settings_.get("fields", [])
        if not isinstance(watched, list) or any(f not in field_names for f in watched):
            errors["trigger.fields"] = [_("Choose fields of this record type.")]
    elif kind == TriggerType.FIELD_CHANGED:
        if settings_.get("field") not in field_names:
            errors["trigger.field"] = [_("Choose the field that changes.")]
        elif "to" not in settings_ and "from" not in settings_:
            errors["trigger.to"] = [_("Say which value it changes to (or from).")]
    elif kind == TriggerType.EVENT:
        name = settings_.get("event")
        if not isinstance(name, str) or not name or len(name) > 120 or name == triggers.RECORD_EVENT:
            errors["trigger.event"] = [_("Choose the business event.")]
    elif kind == TriggerType.DATE_RELATIVE:
        spec = field_names.get(settings_.get("field"))
        if spec is None or spec["kind"] not in ("date", "datetime"):
            errors["trigger.field"] = [_("Choose a date field.")]
        offset = settings_.get("offset", 0)
        if not isinstance(offset, int) or isinstance(offset, bool) or abs(offset) > 100_000:
            errors["trigger.offset"] = [_("Enter a whole number (negative = before the date).")]
        if settings_.get("unit", "days") not in DATE_UNITS:
            errors["trigger.unit"] = [_("Choose minutes, hours, days or working days.")]
    elif kind == TriggerType.SCHEDULE:
        errors.update(_cron_errors(settings_.get("cron")))
    return errors


def _cron_errors(expression) -> dict[str, list[str]]:
    from huey import crontab

    fields = expression.split() if isinstance(expression, str) else []
    if len(fields) != 5:
        return {"trigger.cron": [_("Enter five cron fields: minute hour day month weekday, e.g. 0 9 * * 1-5.")]}
    try:
        crontab(*fields)
    except Exception as exc:  # huey raises ValueError (and worse) for bad fields  # noqa: BLE001
        return {"trigger.cron": [_("Not a valid schedule: %(e)s") % {"e": exc}]}
    return {}


def validate_definition(definition: dict) -> dict[str, list[str]]:
    """Every problem of a rule definition, keyed by field path; empty when the rule can be saved."""
    if len(json.dumps(definition, default=str)) > MAX_DEFINITION_BYTES:
        return {NON_FIELD: [_("The rule is too large.")]}
    kind = definition.get("trigger_type")
    if kind not in TriggerType.values:
        return {"trigger_type": [_("Choose a trigger.")]}
    model = definition.get("model") or ""
    errors = _trigger_errors(kind, model, definition.get("trigger") or {})
    condition = definition.get("conditions")
    if condition not in (None, {}):
        problems = conditions.validate(condition)
        record_type = catalog.get(model)
        if not problems and record_type is not None:
            # Record fields come from an allow-list; what the trigger brings (an event's payload, a webhook's
            # body, the moment a time rule fired) is under "trigger." and is whatever the sender sent.
            allowed = set(catalog.condition_fields(record_type))
            unknown = sorted(
                {f for f in _condition_fields(condition) if f not in allowed and not f.startswith("trigger.")}
            )
            problems = [_("Unknown field “%(f)s” for this record type.") % {"f": name} for name in unknown]
        if problems:
            errors["conditions"] = problems
    errors.update(registry.validate_actions(definition.get("actions"), definition=definition))
    return errors


def _condition_fields(node) -> list[str]:
    if isinstance(node, dict):
        if "field" in node:
            return [node["field"]]
        return [name for key in ("all", "any", "not") for name in _condition_fields(node.get(key))]
    if isinstance(node, list):
        return [name for child in node for name in _condition_fields(child)]
    return []


def _definition(fields: dict, rule: Rule | None = None) -> dict:
    current = {name: getattr(rule, name) for name in DEFINITION} if rule else {}
    merged = {**current, **{k: v for k, v in fields.items() if k in DEFINITION}}
    merged["model"] = merged.get("model") or ""
    merged["trigger"] = merged.get("trigger") or {}
    merged["conditions"] = merged.get("conditions") or None
    return merged


def _check(definition: dict) -> None:
    errors = validate_definition(definition)
    if errors:
        raise ApplicationError(_("The rule cannot be saved: %(e)s") % {"e": _first(errors)}, errors=errors)


def _first(errors: dict) -> str:
    key, messages = next(iter(errors.items()))
    return f"{key}: {messages[0]}"


def _owner(access, owner):
    from tandem.core.services import member_users

    if owner is None:
        return None
    return member_users(access.tenant_id, [getattr(owner, "pk", owner)], field="owner")[0]


# --- writing ---------------------------------------------------------------------------------------


def _add_version(rule: Rule, actor) -> RuleVersion:
    number = (rule.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = RuleVersion.objects.create(
        tenant_id=rule.tenant_id,
        rule=rule,
        number=number,
        created_by=actor,
        **{name: getattr(rule, name) for name in DEFINITION},
    )
    rule.version, rule.current_version = number, version
    rule.scanned_until = timezone.now()  # a new version of a time rule fires from now on
    rule.save(update_fields=["version", "current_version", "scanned_until", "updated_at"])
    return version


@transaction.atomic
def rule_create(*, access, name: str, actions: list, trigger_type: str, key: str = "", **fields) -> Rule:
    """A new rule (version 1) after the whole definition validates; nothing is written otherwise."""
    require(access, "automation.add_rule")
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the rule a name."), errors={"name": [_("Required.")]})
    unknown = set(fields) - set(DEFINITION) - set(META)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    definition = _definition({**fields, "trigger_type": trigger_type, "actions": actions})
    _check(definition)
    owner = _owner(access, fields.get("owner")) if "owner" in fields else actor_of(access)
    rule = Rule(
        tenant_id=access.tenant_id,
        name=name[:200],
        description=fields.get("description", ""),
        enabled=fields.get("enabled", True),
        max_failures=fields.get("max_failures", 5),
        owner=owner,
        key=key,
        **definition,
    )
    if trigger_type == TriggerType.WEBHOOK:
        _new_webhook_secret(rule)
    rule.full_clean(exclude=["current_version", "owner"])
    rule.save()
    _add_version(rule, actor_of(access))
    audit_record(obj=rule, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(rule))
    return rule


def _new_webhook_secret(rule: Rule) -> None:
    from tandem.automation.webhooks.signing import new_secret

    rule.webhook_token = secrets.token_urlsafe(24)
    rule.webhook_secret = new_secret()


@transaction.atomic
def rule_update(*, access, rule: Rule, **fields) -> Rule:
    """Change a rule; a changed definition becomes a new version (runs keep the one they used)."""
    require(access, "automation.change_rule")
    check_tenant(access, rule)
    unknown = set(fields) - set(DEFINITION) - set(META)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule)
    definition = _definition(fields, rule)
    changed = any(definition[name] != getattr(rule, name) for name in DEFINITION)
    if changed:
        _check(definition)
        for name, value in definition.items():
            setattr(rule, name, value)
        if rule.trigger_type == TriggerType.WEBHOOK and not rule.webhook_token:
            _new_webhook_secret(rule)
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name:
            raise ApplicationError(_("Give the rule a name."), errors={"name": [_("Required.")]})
        rule.name = name[:200]
    if "description" in fields:
        rule.description = fields["description"] or ""
    if "max_failures" in fields:
        rule.max_failures = fields["max_failures"]
    if "owner" in fields:
        rule.owner = _owner(access, fields["owner"])
    if "enabled" in fields:
        if fields["enabled"] and not rule.enabled:
            rule.consecutive_failures, rule.disabled_reason = 0, ""
            rule.catch_up_pending = True  # what fell due while it was off is caught up on the next scan
        rule.enabled = bool(fields["enabled"])
    rule.full_clean(exclude=["current_version", "owner"])
    rule.save()
    if changed:
        _add_version(rule, actor_of(access))
    audit_record(obj=rule, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(rule))
    return rule


@transaction.atomic
def rule_delete(*, access, rule: Rule) -> None:
    """Move a rule to the recycle bin; its runs stay in the log."""
    from tandem.records.services.recycle_bin import record_soft_delete

    check_tenant(access, rule)
    record_soft_delete(access=access, obj=rule)


@transaction.atomic
def rule_rotate_webhook_secret(*, access, rule: Rule) -> Rule:
    require(access, "automation.change_rule")
    check_tenant(access, rule)
    if rule.trigger_type != TriggerType.WEBHOOK:
        raise ApplicationError(_("Only inbound-webhook rules have a secret."))
    _new_webhook_secret(rule)
    rule.save(update_fields=["webhook_token", "webhook_secret", "updated_at"])
    audit_record(obj=rule, action=AuditAction.UPDATE, actor=actor_of(access), after={"webhook_secret": "rotated"})
    return rule


# --- running by hand, dry runs, inbound webhooks ---------------------------------------------------


def _record(access, record_type, record_id):
    record = catalog.load(record_type, access.tenant_id, record_id) if record_type else None
    if record_type is not None and record is None:
        raise ApplicationError(_("Choose a record of this type."), errors={"record_id": [_("Not found.")]})
    if record is not None:
        model = record_type.model
        visible = model._default_manager.filter(pk=record.pk)
        if hasattr(visible, "restrict") and not visible.restrict(access, "view").exists():
            raise ApplicationError(_("You cannot see this record."), errors={"record_id": [_("Not found.")]})
    return record


@transaction.atomic
def rule_run_manual(*, access, rule: Rule, record_id=None) -> Run:
    """Run a manual-button rule on a record now (its conditions still apply)."""
    check_tenant(access, rule)
    if rule.trigger_type != TriggerType.MANUAL:
        raise ApplicationError(_("Only rules with the manual trigger run from a button."))
    if not rule.enabled:
        raise ApplicationError(_("This rule is disabled."))
    record_type = catalog.get(rule.model)
    record = _record(access, record_type, record_id)
    trigger = triggers.Trigger(
        TriggerType.MANUAL, f"manual:{uuid.uuid4()}", record_type, record, user_id=access.user_id
    )
    return triggers.start_run(rule, trigger)


class _Rollback(Exception):
    pass


def rule_dry_run(*, access, definition: dict, record_id=None, rule: Rule | None = None) -> dict:
    """What the rule would do for a record: the condition tree with each node's result, and each action run
    in a transaction that is rolled back (messages and webhooks are only described). Writes nothing."""
    require(access, "automation.view_rule")
    errors = validate_definition(definition)
    if errors:
        raise ApplicationError(_("The rule is not valid: %(e)s") % {"e": _first(errors)}, errors=errors)
    record_type = catalog.get(definition.get("model") or "")
    record = _record(access, record_type, record_id)
    now = timezone.now()
    data = catalog.record_data(record_type, record) if record is not None else {}
    condition = definition.get("conditions")
    trace = conditions.explain(condition, data, now=now) if condition else {"result": True, "errors": [], "tree": None}
    report = {"conditions": trace, "record": data.get(record_type.name) if record_type else None, "steps": []}
    if not trace["result"]:
        return report
    probe = Rule(
        pk=rule.pk if rule else 0,
        tenant_id=access.tenant_id,
        name=rule.name if rule else "dry run",
        owner_id=rule.owner_id if rule else access.user_id,
    )
    language = runner.tenant_language(access.tenant_id)
    ctx = ActionContext(
        access.tenant_id, access, probe, None, 0, record_type, record, data, now, language, dry_run=True
    )
    try:
        with transaction.atomic(), translation.override(language):
            for index, step in enumerate(definition["actions"]):
                ctx.index = index
                action = registry.get(step["type"])
                entry = {"index": index, "type": step["type"], "label": str(action.label)}
                try:
                    with transaction.atomic():
                        outcome = action.run(ctx, step.get("params") or {})
                    ctx.data.update(outcome.data)
                    entry.update(status="ok", summary=outcome.summary, stop=outcome.stop)
                except WaitUntil as wait:
                    entry.update(status="ok", summary=wait.summary)
                except (ActionFailed, RetryLater, ApplicationError) as exc:
                    entry.update(status="error", summary=runner.describe_error(exc))
                except Exception as exc:  # noqa: BLE001 - a dry run reports, it does not crash
                    entry.update(status="error", summary=str(exc))
                report["steps"].append(entry)
                if entry.get("stop") or (entry["status"] == "error" and not step.get("continue_on_failure")):
                    break
            raise _Rollback
    except _Rollback:
        pass
    return report


@transaction.atomic
def rule_webhook_receive(*, token: str, body: bytes, headers) -> Run | None:
    """Start the inbound-webhook rule behind `token` if the Standard Webhooks signature verifies.

    Raises PermissionDenied for an unknown token or a bad signature, ApplicationError for a body that is not
    a JSON object. The sender's `webhook-id` makes a re-sent message start no second run.
    """
    from django.core.exceptions import PermissionDenied

    from tandem.automation.webhooks.signing import VerificationError, verify

    rule = Rule.objects.filter(webhook_token=token, trigger_type=TriggerType.WEBHOOK).first() if token else None
    if rule is None or not rule.enabled:
        raise PermissionDenied("unknown hook")
    try:
        verify(rule.webhook_secret, body, headers, now=timezone.now())
    except VerificationError as exc:
        raise PermissionDenied(str(exc)) from exc
    try:
        payload = json.loads(body or b"null")
    except ValueError as exc:
        raise ApplicationError(_("The body must be JSON.")) from exc
    if not isinstance(payload, dict):
        raise ApplicationError(_("The body must be a JSON object."))
    record_type = catalog.get(rule.model)
    record = None
    if record_type is not None and payload.get("record_id") is not None:
        record = catalog.load(record_type, rule.tenant_id, payload["record_id"])
    message_id = headers.get("webhook-id", "")
    trigger = triggers.Trigger(TriggerType.WEBHOOK, f"webhook:{message_id}", record_type, record, payload=payload)
    return triggers.start_run(rule, trigger)
