"""Baselines: save the current schedule (up to ten per project), delete one."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.events import emit
from tandem.core.services import actor_of, check_tenant, full_clean, require
from tandem.projects import events
from tandem.projects.models import MAX_BASELINES, Baseline, BaselineTask, Project, Task


@transaction.atomic
def baseline_save(*, access, project: Project, name: str = "", number: int | None = None) -> Baseline:
    """Save the project's current dates as baseline `number` (the next free one by default; at most 10).

    Saving over an existing number replaces that baseline, as Microsoft Project does.
    """
    require(access, "projects.add_baseline")
    check_tenant(access, project)
    Project.objects.select_for_update().filter(pk=project.pk).first()  # one baseline number at a time
    taken = set(Baseline.objects.filter(project=project).values_list("number", flat=True))
    if number is None:
        free = [n for n in range(1, MAX_BASELINES + 1) if n not in taken]
        if not free:
            message = _("A project keeps at most %(max)d baselines; delete one or save over it.") % {
                "max": MAX_BASELINES
            }
            raise ApplicationError(message, errors={"number": [message]}, code="baseline_limit")
        number = free[0]
    elif not 1 <= number <= MAX_BASELINES:
        message = _("Baselines are numbered 1 to %(max)d.") % {"max": MAX_BASELINES}
        raise ApplicationError(message, errors={"number": [message]})
    baseline = Baseline.objects.filter(project=project, number=number).first()
    before = snapshot(baseline) if baseline else None
    if baseline is None:
        baseline = Baseline(tenant_id=project.tenant_id, project=project, number=number)
    baseline.name = (name or "").strip() or _("Baseline %(n)d") % {"n": number}
    baseline.taken_at = timezone.now()
    baseline.created_by = actor_of(access)
    full_clean(baseline)
    baseline.save()
    BaselineTask.objects.filter(baseline=baseline).delete()
    rows = [
        BaselineTask(
            tenant_id=project.tenant_id,
            baseline=baseline,
            task_id=task.pk,
            start=task.actual_start or task.early_start,
            finish=task.actual_finish or task.early_finish,
            duration=task.duration,
        )
        for task in Task.objects.filter(project=project).only(
            "pk", "actual_start", "early_start", "actual_finish", "early_finish", "duration"
        )
    ]
    BaselineTask.objects.bulk_create(rows, batch_size=500)
    audit_record(
        obj=baseline,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor_of(access),
        before=before,
        after={**snapshot(baseline), "tasks": len(rows)},
    )
    emit(
        events.BASELINE_SAVED,
        tenant=access.membership.tenant,
        payload={"project_id": project.pk, "baseline_id": baseline.pk, "number": baseline.number},
        actor=actor_of(access),
    )
    return baseline


@transaction.atomic
def baseline_delete(*, access, baseline: Baseline) -> None:
    """Delete a baseline; its number becomes free again."""
    require(access, "projects.delete_baseline")
    check_tenant(access, baseline)
    audit_record(obj=baseline, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(baseline))
    baseline.delete()
