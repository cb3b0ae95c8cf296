"""A tenant's feedback settings (one row per tenant, created with the defaults the first time it is read)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, full_clean, require, set_fields
from tandem.feedback.choices import RequestPriority
from tandem.feedback.models import FeedbackSettings
from tandem.feedback.models.settings import HEALTH_FACTORS

SETTINGS_FIELDS = ("quiet_days", "expiry_days", "reminder_days", "sla", "health_weights")


def feedback_settings(tenant_id: int) -> FeedbackSettings:
    """The tenant's feedback settings, created with the defaults when never saved."""
    current, _created = FeedbackSettings.objects.get_or_create(tenant_id=tenant_id)
    return current


def _clean_sla(sla) -> dict:
    """{priority: [response_hours, resolve_hours]} for every priority; response within resolution, both > 0."""
    if not isinstance(sla, dict):
        raise ApplicationError(_("Please correct the SLA."), errors={"sla": [_("Give hours for each priority.")]})
    cleaned, errors = {}, {}
    unknown = sorted(str(key) for key in sla if key not in RequestPriority.values)
    if unknown:
        errors["sla"] = [_("Unknown priorities: %(keys)s.") % {"keys": ", ".join(unknown)}]
    for priority in RequestPriority.values:
        pair = sla.get(priority)
        try:
            response, resolve = (float(value) for value in pair)
        except (TypeError, ValueError):
            errors[f"sla.{priority}"] = [_("Give the response and resolution hours.")]
            continue
        if not (0 < response <= resolve <= 2000):
            errors[f"sla.{priority}"] = [_("Hours must be above 0, the response no later than the resolution.")]
            continue
        cleaned[priority] = [response, resolve]
    if errors:
        raise ApplicationError(_("Please correct the SLA."), errors=errors)
    return cleaned


def _clean_weights(weights) -> dict:
    """{factor: whole number 0–100} for the known factors only (a missing one keeps its weight); not all zero."""
    if not isinstance(weights, dict):
        raise ApplicationError(
            _("Please correct the health weights."), errors={"health_weights": [_("Give a weight for each factor.")]}
        )
    errors = {}
    unknown = sorted(str(key) for key in weights if key not in HEALTH_FACTORS)
    if unknown:
        errors["health_weights"] = [_("Unknown factors: %(keys)s.") % {"keys": ", ".join(unknown)}]
    cleaned = {}
    for key in HEALTH_FACTORS:
        if key not in weights:
            continue
        value = weights[key]
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            errors[f"health_weights.{key}"] = [_("A weight is a whole number from 0 to 100.")]
            continue
        cleaned[key] = value
    if errors:
        raise ApplicationError(_("Please correct the health weights."), errors=errors)
    return cleaned


@transaction.atomic
def feedback_settings_update(*, access, **fields) -> FeedbackSettings:
    """Change the tenant's feedback settings (an organisation setting), audited."""
    require(access, "feedback.change_feedbacksettings")
    feedback_settings(access.tenant_id)
    current = FeedbackSettings.objects.select_for_update().get(tenant_id=access.tenant_id)
    before = snapshot(current)
    if "sla" in fields:
        fields["sla"] = _clean_sla(fields["sla"])
    if "health_weights" in fields:
        weights = {**(current.health_weights or {}), **_clean_weights(fields["health_weights"])}
        if not any(weights.get(key) for key in HEALTH_FACTORS):
            raise ApplicationError(
                _("Please correct the health weights."),
                errors={"health_weights": [_("At least one factor needs a weight above 0.")]},
            )
        fields["health_weights"] = {key: weights[key] for key in HEALTH_FACTORS if key in weights}
    reweighted = "health_weights" in fields and fields["health_weights"] != current.health_weights
    set_fields(current, fields, SETTINGS_FIELDS)
    full_clean(current, exclude=["tenant"])
    current.save()
    if reweighted:
        from tandem.feedback.tasks import health_recompute_tenant_task

        tenant_id = access.tenant_id
        transaction.on_commit(lambda: health_recompute_tenant_task(tenant_id), robust=True)
    audit_record(obj=current, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(current))
    return current
