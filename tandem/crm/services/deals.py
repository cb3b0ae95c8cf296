"""Writing deals (商机): create, update, move between stages, win, lose; stage changes audited and emitted."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_member, check_tenant, ensure_visible, full_clean, require, set_fields
from tandem.crm import events
from tandem.crm.choices import DealStatus
from tandem.crm.models import Deal, DealLine, Pipeline, Stage
from tandem.crm.services.pipelines import pipeline_default
from tandem.records.services.numbering import number_next
from tandem.records.services.recycle_bin import record_soft_delete

DEAL_FIELDS = (
    "name",
    "account",
    "contact",
    "amount",
    "currency",
    "expected_close_date",
    "deal_type",
    "source",
    "description",
)
LINE_FIELDS = ("product", "quantity", "unit", "unit_price")
MAX_AMOUNT = Decimal("1e14")  # DecimalField(max_digits=16, decimal_places=2)


def deal_payload(deal: Deal) -> dict:
    """What automation needs to know about a deal, JSON-safe."""
    return {
        "deal_id": deal.pk,
        "number": deal.number,
        "name": deal.name,
        "account_id": deal.account_id,
        "contact_id": deal.contact_id,
        "owner_id": deal.owner_id,
        "pipeline_id": deal.pipeline_id,
        "stage_id": deal.stage_id,
        "status": deal.status,
        "amount": str(deal.amount),
        "currency": deal.currency,
        "deal_type": deal.deal_type,
        "expected_close_date": deal.expected_close_date.isoformat() if deal.expected_close_date else None,
    }


def _first_open_stage(pipeline: Pipeline) -> Stage:
    stage = pipeline.stages.filter(is_won=False, is_lost=False).order_by("order", "id").first()
    if stage is None:
        raise ApplicationError(_("This pipeline has no open stage."), errors={"pipeline": [_("No open stage.")]})
    return stage


def _save_lines(access, deal: Deal, lines: list[dict]) -> None:
    """Replace the deal's line items; with lines, the deal amount is their total."""
    deal.lines.all().delete()
    total = Decimal("0.00")
    for order, data in enumerate(lines, start=1):
        line = DealLine(tenant_id=access.tenant_id, deal=deal, sort_order=order)
        set_fields(line, data, LINE_FIELDS)
        try:
            full_clean(line, exclude=["deal"])
        except ApplicationError as exc:
            raise ApplicationError(exc.message, errors={f"lines[{order - 1}]": exc.errors}) from exc
        line.save()
        total += line.amount
    if total >= MAX_AMOUNT:
        message = _("The lines add up to more than an amount can hold.")
        raise ApplicationError(message, errors={"lines": [message]})
    if lines:
        deal.amount = total
        deal.save(update_fields=["amount", "updated_at"])


@transaction.atomic
def deal_create(
    *,
    access,
    name: str,
    account,
    pipeline: Pipeline | None = None,
    stage: Stage | None = None,
    owner=None,
    lines: list[dict] | None = None,
    **fields,
) -> Deal:
    """A new deal in an open stage (the pipeline's first unless given), numbered SJ-…."""
    require(access, "crm.add_deal")
    check_tenant(access, account, pipeline, stage)
    owner = owner or actor_of(access)
    check_member(access, owner)
    if stage is not None:
        pipeline = stage.pipeline
    pipeline = pipeline or pipeline_default(tenant=access.membership.tenant)
    stage = stage or _first_open_stage(pipeline)
    if stage.is_won or stage.is_lost:
        raise ApplicationError(
            _("Create deals in an open stage; mark them won or lost afterwards."),
            errors={"stage": [_("Closed stage.")]},
        )
    fields.setdefault("currency", access.membership.tenant.currency)
    deal = Deal(
        tenant_id=access.tenant_id,
        owner=owner,
        pipeline=pipeline,
        stage=stage,
        status=DealStatus.OPEN,
        stage_changed_at=timezone.now(),
    )
    set_fields(deal, {"name": name.strip(), "account": account, **fields}, DEAL_FIELDS)
    full_clean(deal, exclude=["number"])
    deal.number = number_next(tenant_id=access.tenant_id, object_type="crm.deal", default_prefix="SJ")
    deal.save()
    if lines:
        _save_lines(access, deal, lines)
    ensure_visible(access, deal)
    audit_record(
        obj=deal,
        action=AuditAction.CREATE,
        actor=actor_of(access),
        after={**snapshot(deal), "lines": [_line_snapshot(line) for line in deal.lines.all()]},
    )
    emit(events.DEAL_CREATED, tenant=access.membership.tenant, actor=actor_of(access), payload=deal_payload(deal))
    return deal


def _line_snapshot(line: DealLine) -> dict:
    return {"product": line.product, "quantity": str(line.quantity), "unit_price": str(line.unit_price)}


@transaction.atomic
def deal_update(*, access, deal: Deal, lines: list[dict] | None = None, **fields) -> Deal:
    """Change a deal's details and, when `lines` is given, its line items; stages change through a move."""
    require(access, "crm.change_deal")
    check_tenant(access, deal, fields.get("account"), fields.get("contact"))
    before = {**snapshot(deal), "lines": [_line_snapshot(line) for line in deal.lines.all()]}
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    set_fields(deal, fields, DEAL_FIELDS)
    full_clean(deal)
    deal.save()
    if lines is not None:
        _save_lines(access, deal, lines)
    after = {**snapshot(deal), "lines": [_line_snapshot(line) for line in deal.lines.all()]}
    audit_record(obj=deal, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=after)
    return deal


def _locked(deal: Deal) -> Deal:
    """The deal re-read under a row lock, so two concurrent wins see each other.

    The lock is taken on the deal alone, then the deal is read with its stage: on PostgreSQL a locking
    join re-checks a row changed meanwhile against the stage it saw before, and would lose a deal whose
    stage the other transaction just changed.
    """
    Deal.objects.select_for_update().filter(pk=deal.pk).values_list("pk").get()
    return Deal.objects.select_related("stage", "pipeline").get(pk=deal.pk)


def _move(access, deal: Deal, stage: Stage, reason: str = "") -> Deal:
    """Put a locked deal into a stage; the stage decides whether the deal is open, won or lost."""
    if stage.pk == deal.stage_id:
        return deal
    now = timezone.now()
    before = snapshot(deal)
    from_stage = deal.stage
    deal.stage, deal.pipeline, deal.stage_changed_at = stage, stage.pipeline, now
    deal.status = stage.status
    deal.won_at = now if stage.is_won else None
    deal.lost_at = now if stage.is_lost else None
    deal.close_reason = reason.strip()[:300] if (stage.is_won or stage.is_lost) else ""
    deal.save()
    audit_record(
        obj=deal,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before={**before, "stage_name": from_stage.name},
        after={**snapshot(deal), "stage_name": stage.name},
    )
    payload = {
        **deal_payload(deal),
        "from_stage_id": from_stage.pk,
        "from_stage": from_stage.name,
        "to_stage_id": stage.pk,
        "to_stage": stage.name,
    }
    tenant, actor = access.membership.tenant, actor_of(access)
    emit(events.DEAL_STAGE_CHANGED, tenant=tenant, actor=actor, payload=payload)
    if stage.is_won:
        emit(events.DEAL_WON, tenant=tenant, actor=actor, payload={**deal_payload(deal), "won_at": now.isoformat()})
    elif stage.is_lost:
        emit(events.DEAL_LOST, tenant=tenant, actor=actor, payload={**deal_payload(deal), "reason": deal.close_reason})
    return deal


@transaction.atomic
def deal_move_stage(*, access, deal: Deal, stage: Stage, reason: str = "") -> Deal:
    """Move a deal to another stage (kanban drag); into the won or lost stage it wins or loses the deal."""
    require(access, "crm.change_deal")
    check_tenant(access, deal, stage)
    deal = _locked(deal)
    if stage.is_lost and not reason.strip() and deal.stage_id != stage.pk:
        raise ApplicationError(_("Say why the deal was lost."), errors={"reason": [_("Required.")]})
    if stage.is_won and deal.status == DealStatus.WON:
        return deal  # already won: winning again changes nothing
    return _move(access, deal, stage, reason)


def _closing_stage(deal: Deal, *, won: bool) -> Stage:
    stage = deal.pipeline.stages.filter(**({"is_won": True} if won else {"is_lost": True})).first()
    if stage is None:
        message = _("This pipeline has no won stage.") if won else _("This pipeline has no lost stage.")
        raise ApplicationError(message, errors={"stage": [message]})
    return stage


@transaction.atomic
def deal_mark_won(*, access, deal: Deal, reason: str = "") -> Deal:
    """Win a deal: crm.deal.won is emitted once; winning a won deal returns it unchanged, with no new event."""
    require(access, "crm.change_deal")
    check_tenant(access, deal)
    deal = _locked(deal)
    if deal.status == DealStatus.WON:
        return deal
    return _move(access, deal, _closing_stage(deal, won=True), reason)


@transaction.atomic
def deal_mark_lost(*, access, deal: Deal, reason: str) -> Deal:
    """Lose a deal with a reason; losing a lost deal changes nothing."""
    require(access, "crm.change_deal")
    check_tenant(access, deal)
    if not (reason or "").strip():
        raise ApplicationError(_("Say why the deal was lost."), errors={"reason": [_("Required.")]})
    deal = _locked(deal)
    if deal.status == DealStatus.LOST:
        return deal
    return _move(access, deal, _closing_stage(deal, won=False), reason)


@transaction.atomic
def deal_delete(*, access, deal: Deal) -> None:
    """Move a deal to the recycle bin."""
    check_tenant(access, deal)
    record_soft_delete(access=access, obj=deal)
