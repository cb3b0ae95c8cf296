"""Pipelines and their stages; every tenant gets a default pipeline the first time it needs one."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.crm.models import CrmSettings, Pipeline, Stage

# Seeded data in the tenant's language (not UI text): (zh-hans, en) name, probability %, stale after days, won, lost.
DEFAULT_PIPELINE_NAME = {"zh-hans": "销售流程", "en": "Sales pipeline"}
DEFAULT_STAGES = [
    ({"zh-hans": "初步接洽", "en": "Initial contact"}, 10, 14, False, False),
    ({"zh-hans": "需求确认", "en": "Needs confirmed"}, 25, 21, False, False),
    ({"zh-hans": "方案报价", "en": "Proposal and quote"}, 50, 21, False, False),
    ({"zh-hans": "商务谈判", "en": "Negotiation"}, 75, 14, False, False),
    ({"zh-hans": "赢单", "en": "Won"}, 100, None, True, False),
    ({"zh-hans": "输单", "en": "Lost"}, 0, None, False, True),
]
STAGE_FIELDS = ("name", "order", "probability", "rotting_days", "is_won", "is_lost")


def pipeline_default(*, tenant) -> Pipeline:
    """The tenant's default pipeline, created with the standard stages (in the tenant's language) if missing."""
    pipeline = Pipeline.objects.filter(tenant_id=tenant.pk, is_default=True).first()
    if pipeline is not None:
        return pipeline
    language = tenant.locale if tenant.locale in DEFAULT_PIPELINE_NAME else "en"
    try:
        with transaction.atomic():
            pipeline = Pipeline.objects.create(
                tenant_id=tenant.pk, name=DEFAULT_PIPELINE_NAME[language], is_default=True
            )
            for order, (names, probability, rotting, won, lost) in enumerate(DEFAULT_STAGES, start=1):
                Stage.objects.create(
                    tenant_id=tenant.pk,
                    pipeline=pipeline,
                    name=names[language],
                    order=order,
                    probability=probability,
                    rotting_days=rotting,
                    is_won=won,
                    is_lost=lost,
                )
    except IntegrityError:
        # Another request created it at the same moment.
        return Pipeline.objects.get(tenant_id=tenant.pk, is_default=True)
    return pipeline


def crm_settings(*, tenant_id: int) -> CrmSettings:
    """The tenant's CRM settings (defaults when never saved)."""
    return CrmSettings.objects.filter(tenant_id=tenant_id).first() or CrmSettings(tenant_id=tenant_id)


@transaction.atomic
def crm_settings_update(*, access, **fields) -> CrmSettings:
    """Change the tenant's CRM settings (an organisation setting)."""
    require(access, "accounts.change_tenant")
    current = CrmSettings.objects.select_for_update().filter(tenant_id=access.tenant_id).first()
    current = current or CrmSettings(tenant_id=access.tenant_id)
    before = snapshot(current) if current.pk else None
    set_fields(
        current,
        fields,
        ("lead_response_hours", "max_owned_accounts", "max_locked_accounts", "forgotten_after_days"),
    )
    full_clean(current, exclude=["tenant"])
    current.save()
    audit_record(
        obj=current,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor_of(access),
        before=before,
        after=snapshot(current),
    )
    return current


def _check_stages(stages: list[dict]) -> None:
    errors = {}
    names = [str(s.get("name", "")).strip() for s in stages]
    if not stages:
        errors["stages"] = [_("A pipeline needs at least one stage.")]
    elif len(set(names)) != len(names) or not all(names):
        errors["stages"] = [_("Each stage needs a name of its own.")]
    elif sum(1 for s in stages if s.get("is_won")) > 1 or sum(1 for s in stages if s.get("is_lost")) > 1:
        errors["stages"] = [_("A pipeline has at most one won stage and one lost stage.")]
    elif any(s.get("is_won") and s.get("is_lost") for s in stages):
        errors["stages"] = [_("A stage cannot be both won and lost.")]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), errors=errors)


def _save_stages(access, pipeline: Pipeline, stages: list[dict]) -> None:
    """Replace a pipeline's stages: those with an id are updated, new ones created, missing ones removed."""
    _check_stages(stages)
    existing = {s.pk: s for s in pipeline.stages.all()}
    keep = {s["id"] for s in stages if s.get("id")}
    unknown = keep - set(existing)
    if unknown:
        raise ApplicationError(
            _("Unknown stage."), errors={"stages": [_("Unknown stage id %(id)s.") % {"id": min(unknown)}]}
        )
    removed = [s for pk, s in existing.items() if pk not in keep]
    in_use = [s.name for s in removed if s.deals(manager="all_objects").exists()] if removed else []
    if in_use:
        raise ApplicationError(
            _("Move the deals out of these stages first: %(names)s.") % {"names": ", ".join(in_use)},
            errors={"stages": [_("Stage in use.")]},
        )
    for stage in removed:
        stage.delete()
    # Names must stay unique while stages are renamed and reordered: park the kept ones first.
    for stage in existing.values():
        if stage.pk in keep:
            Stage.objects.filter(pk=stage.pk).update(name=f"__{stage.pk}")
    for order, data in enumerate(stages, start=1):
        stage = existing.get(data.get("id")) or Stage(tenant_id=access.tenant_id, pipeline=pipeline)
        values = {k: v for k, v in data.items() if k in STAGE_FIELDS}
        values["name"] = str(values["name"]).strip()
        values.setdefault("order", order)
        set_fields(stage, values, STAGE_FIELDS)
        full_clean(stage)
        stage.save()


@transaction.atomic
def pipeline_create(*, access, name: str, stages: list[dict], is_default: bool = False) -> Pipeline:
    """A new pipeline with its stages, in order."""
    require(access, "crm.add_pipeline")
    if is_default:
        Pipeline.objects.filter(tenant_id=access.tenant_id, is_default=True).update(is_default=False)
    pipeline = Pipeline(tenant_id=access.tenant_id, name=name.strip(), is_default=is_default)
    full_clean(pipeline)
    pipeline.save()
    _save_stages(access, pipeline, stages)
    audit_record(
        obj=pipeline,
        action=AuditAction.CREATE,
        actor=actor_of(access),
        after={**snapshot(pipeline), "stages": [s["name"] for s in stages]},
    )
    return pipeline


@transaction.atomic
def pipeline_update(*, access, pipeline: Pipeline, stages: list[dict] | None = None, **fields) -> Pipeline:
    """Rename a pipeline, make it the default, or change its stages."""
    require(access, "crm.change_pipeline")
    check_tenant(access, pipeline)
    before = {**snapshot(pipeline), "stages": list(pipeline.stages.values_list("name", flat=True))}
    if fields.get("is_default") is False and pipeline.is_default:
        raise ApplicationError(
            _("Make another pipeline the default instead."), errors={"is_default": [_("One pipeline is the default.")]}
        )
    if fields.get("is_default") and not pipeline.is_default:
        Pipeline.objects.filter(tenant_id=access.tenant_id, is_default=True).update(is_default=False)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    set_fields(pipeline, fields, ("name", "is_default", "sort_order"))
    full_clean(pipeline)
    pipeline.save()
    if stages is not None:
        _save_stages(access, pipeline, stages)
    after = {**snapshot(pipeline), "stages": list(pipeline.stages.values_list("name", flat=True))}
    audit_record(obj=pipeline, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=after)
    return pipeline


@transaction.atomic
def pipeline_delete(*, access, pipeline: Pipeline) -> None:
    """Delete a pipeline that no deal uses and that is not the default."""
    require(access, "crm.delete_pipeline")
    check_tenant(access, pipeline)
    if pipeline.is_default:
        raise ApplicationError(_("The default pipeline cannot be deleted."))
    if pipeline.deals(manager="all_objects").exists():
        raise ApplicationError(_("Deals use this pipeline; move them first."))
    audit_record(obj=pipeline, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(pipeline))
    pipeline.delete()
