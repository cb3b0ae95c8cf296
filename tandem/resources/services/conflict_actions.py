"""What people do with conflicts: dismiss one with a reason, change the tenant's resource settings, refresh now."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, check_tenant, full_clean, member_users, require
from tandem.resources.choices import ConflictStatus
from tandem.resources.models import Conflict, ResourceSettings
from tandem.resources.models.conflicts import DEFAULT_TIER_WEIGHTS, SCORE_FACTORS
from tandem.resources.services import warnings
from tandem.resources.services.conflicts import Refresh, conflicts_refresh

MAX_REASON = 200
SETTINGS_FIELDS = ("warning_days", "horizon_weeks", "tier_weights", "score_weights")


@transaction.atomic
def conflict_dismiss(*, access, conflict: Conflict, reason: str) -> Conflict:
    """Accept an overload as it is (the customer agreed to a later date, overtime is paid …): it is not warned of
    again, and a refresh keeps it dismissed while the overload lasts."""
    require(access, "resources.change_conflict")
    check_tenant(access, conflict)
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != ConflictStatus.OPEN:
        raise ApplicationError(_("Only an open conflict can be dismissed."))
    reason = (reason or "").strip()
    if not reason:
        message = _("Say why the conflict is dismissed.")
        raise ApplicationError(message, errors={"reason": [message]})
    if len(reason) > MAX_REASON:
        message = _("Please keep the reason under %(n)s characters.") % {"n": MAX_REASON}
        raise ApplicationError(message, errors={"reason": [message]})
    before = snapshot(conflict)
    conflict.status, conflict.resolution, conflict.resolved_at = ConflictStatus.DISMISSED, reason, timezone.now()
    conflict.save(update_fields=["status", "resolution", "resolved_at"])
    audit_record(
        obj=conflict, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(conflict)
    )
    warnings.conflicts_resolved(tenant_id=conflict.tenant_id, conflicts=[conflict])
    return conflict


def _weights(value, keys, field: str, label) -> dict:
    if not isinstance(value, dict):
        raise ApplicationError(_("Please correct the weights."), errors={field: [_("Expected a set of weights.")]})
    unknown = set(value) - set(keys)
    if unknown:
        message = _("Unknown keys: %(keys)s") % {"keys": ", ".join(sorted(map(str, unknown)))}
        raise ApplicationError(message, errors={field: [message]})
    out = {}
    for key, raw in value.items():
        try:
            number = int(raw)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= 100:
            message = _("%(label)s: each weight is a whole number from 0 to 100.") % {"label": label}
            raise ApplicationError(message, errors={field: [message]})
        out[key] = number
    return out


@transaction.atomic
def resource_settings_update(*, access, managers=None, **fields) -> ResourceSettings:
    """Change how conflicts are scored and warned of, and who manages resources; the conflicts are rescored."""
    require(access, "resources.change_resourcesettings")
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    current, _created = ResourceSettings.objects.select_for_update().get_or_create(tenant_id=access.tenant_id)
    before = {**snapshot(current), "managers": sorted(current.managers.values_list("pk", flat=True))}
    if "tier_weights" in fields:
        tiers = _weights(fields["tier_weights"], DEFAULT_TIER_WEIGHTS, "tier_weights", _("Customer tier weights"))
        fields["tier_weights"] = {**(current.tier_weights or {}), **tiers}
    if "score_weights" in fields:
        scores = {
            **(current.score_weights or {}),
            **_weights(fields["score_weights"], SCORE_FACTORS, "score_weights", _("Score weights")),
        }
        if not any(scores.get(key) for key in SCORE_FACTORS):
            message = _("At least one factor needs a weight above 0.")
            raise ApplicationError(_("Please correct the score weights."), errors={"score_weights": [message]})
        fields["score_weights"] = scores
    for name, value in fields.items():
        setattr(current, name, value)
    full_clean(current, exclude=["tenant"])
    current.save()
    if managers is not None:
        current.managers.set(member_users(access.tenant_id, [getattr(u, "pk", u) for u in managers], field="managers"))
    after = {**snapshot(current), "managers": sorted(current.managers.values_list("pk", flat=True))}
    audit_record(obj=current, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=after)
    conflicts_refresh(tenant_id=access.tenant_id)  # new weights, lead time or horizon: every conflict again
    return current


def conflicts_refresh_now(*, access) -> Refresh:
    """Refresh every resource of the caller's tenant at once ("refresh now" on the settings page)."""
    require(access, "resources.change_resourcesettings")
    return conflicts_refresh(tenant_id=access.tenant_id)
