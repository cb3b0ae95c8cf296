"""Reads of the projects app, already scoped to the caller's tenant and data scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum

from tandem.calendars.models import WorkCalendar
from tandem.calendars.workdays import Workdays
from tandem.projects.models import (
    Baseline,
    BaselineTask,
    CalendarFeedKey,
    Dependency,
    Project,
    ProjectStatusUpdate,
    ProjectTemplate,
    Task,
    TemplateLink,
    TemplateTask,
)

User = get_user_model()


def project_list(*, access, filters: dict | None = None, action: str = "view"):
    qs = (
        Project.objects.restrict(access, action)
        .select_related("owner", "calendar")
        .prefetch_related("team")
        .order_by("-id")
    )
    filters = filters or {}
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(number__icontains=q))
    for name in ("status", "health"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if str(filters.get("owner", "")).isdigit():
        qs = qs.filter(owner_id=int(filters["owner"]))
    return qs


def project_get(*, access, pk: int, action: str = "view") -> Project | None:
    return project_list(access=access, action=action).filter(pk=pk).first()


def task_list(*, access, project: Project | None = None, action: str = "view"):
    qs = (
        Task.objects.restrict(access, action)
        .filter(project__deleted_at__isnull=True)
        .select_related("project", "calendar")
        .prefetch_related("assignees")
        .order_by("project_id", "sort_order", "id")
    )
    return qs.filter(project=project) if project is not None else qs


def schedule_tasks(*, access, project: Project) -> list[Task]:
    """One project's tasks in WBS order for charts, boards and sheets of thousands of rows: the project is
    attached rather than joined, and `assignee_label` (names joined) comes from two queries (the links, then
    the few people) instead of a prefetch manager per task, which costs more than the queries at this size."""
    tasks = list(
        task_list(access=access, project=project).select_related(None).select_related("calendar").prefetch_related(None)
    )
    links = list(
        Task.assignees.through.objects.filter(task__project=project)
        .order_by("task_id", "user_id")
        .values_list("task_id", "user_id")
    )
    people = {u.pk: str(u) for u in User.objects.filter(pk__in={user_id for _task, user_id in links})}
    names: dict[int, list[str]] = {}
    for task_id, user_id in links:
        names.setdefault(task_id, []).append(people[user_id])
    for task in tasks:
        task.project = project
        task.assignee_label = "、".join(names.get(task.pk, ()))
    return tasks


def minutes_per_day(*, project: Project, tasks: list[Task]) -> dict[int, int]:
    """Task id → the working minutes of a day on the calendar the task is scheduled on (its own, its assignee's
    resource calendar, the project's): what turns its minutes into the days it spans."""
    from tandem.projects.services.scheduling import task_calendar_ids

    calendar_of = task_calendar_ids(project, tasks)
    known = {project.calendar_id: project.calendar}
    known.update({t.calendar_id: t.calendar for t in tasks if t.calendar_id})
    missing = set(calendar_of.values()) - set(known)
    if missing:
        known.update({c.pk: c for c in WorkCalendar.objects.filter(pk__in=missing)})
    return {pk: known[calendar_id].minutes_per_day for pk, calendar_id in calendar_of.items()}


def open_tasks(*, project: Project):
    """The project's work not finished yet: leaf tasks and milestones below 100 % without an actual finish."""
    return Task.objects.filter(
        project=project, is_summary=False, percent_complete__lt=100, actual_finish__isnull=True
    ).order_by("sort_order", "id")


def task_counts(*, project: Project) -> tuple[int, int]:
    """(open, all) leaf tasks and milestones of the project, in one query."""
    done = Q(percent_complete__gte=100) | Q(actual_finish__isnull=False)
    counts = Task.objects.filter(project=project, is_summary=False).aggregate(
        total=Count("pk"), open=Count("pk", filter=~done)
    )
    return counts["open"], counts["total"]


def dependency_list(*, access, project: Project | None = None, action: str = "view"):
    qs = Dependency.objects.restrict(access, action).filter(project__deleted_at__isnull=True).order_by("id")
    return qs.filter(project=project) if project is not None else qs


def baseline_list(*, access, project: Project | None = None, action: str = "view"):
    qs = (
        Baseline.objects.restrict(access, action)
        .filter(project__deleted_at__isnull=True)
        .select_related("created_by")
        .order_by("project_id", "number")
    )
    return qs.filter(project=project) if project is not None else qs


def template_list(*, access, action: str = "view", current_only: bool = False):
    qs = ProjectTemplate.objects.restrict(access, action).order_by("name", "-version")
    return qs.filter(is_current=True) if current_only else qs


def template_summaries(*, access, q: str = ""):
    """Every template version the caller can see, with its task count and payment total, for the list."""
    qs = (
        template_list(access=access)
        .select_related("created_by", "source_project")
        .annotate(task_count=Count("tasks", distinct=True), payment_total=Sum("tasks__payment_percent"))
    )
    return qs.filter(name__icontains=q) if q else qs


def template_tasks(*, template: ProjectTemplate):
    return TemplateTask.objects.filter(template=template).order_by("sort_order", "id")


def template_links(*, template: ProjectTemplate):
    return TemplateLink.objects.filter(template=template).order_by("id")


def template_roles(*, template: ProjectTemplate | None) -> list[str]:
    """The role placeholders a template's tasks name, sorted."""
    if template is None:
        return []
    rows = TemplateTask.objects.filter(template=template).exclude(role="").values_list("role", flat=True)
    return sorted(set(rows))


def project_assignees(*, project: Project):
    """The people assigned a task of the project."""
    return User.objects.filter(assigned_tasks__project=project).distinct().order_by("display_name", "username")


def has_calendar_feed(*, access, project: Project) -> bool:
    """Whether the caller has made a private calendar link for the project."""
    return CalendarFeedKey.objects.filter(project=project, user_id=access.user_id).exists()


def status_updates(*, project: Project):
    return ProjectStatusUpdate.objects.filter(project=project).select_related("author").order_by("-date", "-id")


@dataclass(frozen=True)
class VarianceRow:
    task: Task
    baseline_start: datetime | None
    baseline_finish: datetime | None
    baseline_duration: int | None
    start_variance_days: int | None  # working days; positive = later than the baseline
    finish_variance_days: int | None
    duration_variance: int | None  # working minutes


def _local_date(value, zone):
    return value.astimezone(zone).date() if value else None


def baseline_variance(*, project: Project, baseline: Baseline) -> list[VarianceRow]:
    """Start, finish and duration variance of every task against one baseline."""
    from tandem.projects.services.scheduling import tenant_zone

    zone = tenant_zone(project.tenant_id)
    days = Workdays(project.calendar)
    rows = {r.task_id: r for r in BaselineTask.objects.filter(baseline=baseline)}
    out = []
    for task in Task.objects.filter(project=project).order_by("sort_order", "id"):
        row = rows.get(task.pk)
        start = task.actual_start or task.early_start
        finish = task.actual_finish or task.early_finish
        if row is None:
            out.append(VarianceRow(task, None, None, None, None, None, None))
            continue
        out.append(
            VarianceRow(
                task,
                row.start,
                row.finish,
                row.duration,
                _days(days, row.start, start, zone),
                _days(days, row.finish, finish, zone),
                task.duration - row.duration,
            )
        )
    return out


def _days(days: Workdays, base, current, zone) -> int | None:
    if base is None or current is None:
        return None
    return days.between(_local_date(base, zone), _local_date(current, zone))


def schedule_rows(*, project: Project):
    return Task.objects.filter(project=project).order_by("sort_order", "id")


def primary_baselines(project_ids) -> dict[int, dict[int, BaselineTask]]:
    """Per project, the rows of its lowest-numbered baseline (the one warnings measure against)."""
    firsts = {}
    for baseline in Baseline.objects.filter(project_id__in=project_ids).order_by("project_id", "number"):
        firsts.setdefault(baseline.project_id, baseline.pk)
    out: dict[int, dict[int, BaselineTask]] = {pid: {} for pid in firsts}
    by_baseline = {bid: pid for pid, bid in firsts.items()}
    for row in BaselineTask.objects.filter(baseline_id__in=by_baseline):
        out[by_baseline[row.baseline_id]][row.task_id] = row
    return out


def project_customer(*, access, project: Project, timeline_size: int = 8) -> dict | None:
    """The customer side of a project for its overview: the account, its contacts (the deal's contact and the
    project's customer contacts first), the deal and its sales owner, the contract with its payment plan and
    what was collected, and the account's recent timeline.

    Whoever may read the project and holds the CRM read permission of a record sees it here, whatever their
    data scope (a PM outside the sales department still needs the customer's context); `links` says which
    records are also in their own scope, so the page links only to pages that will open."""
    from tandem.crm.models import Account, Contact, Contract, Deal
    from tandem.crm.selectors import timelines
    from tandem.crm.selectors.contracts import contract_related

    if not (project.account_id or project.deal_id or project.contract_id):
        return None
    tenant = access.tenant_id
    can_see = {name: access.has_perm(f"crm.view_{name}") for name in ("account", "contact", "deal", "contract")}
    account = Account.all_objects.filter(tenant_id=tenant, pk=project.account_id).first()
    deal = Deal.all_objects.filter(tenant_id=tenant, pk=project.deal_id).select_related("owner", "stage").first()
    contract = None
    if can_see["contract"]:
        contracts = contract_related(Contract.objects.filter(tenant_id=tenant))
        if project.contract_id:
            contract = contracts.filter(pk=project.contract_id).first()
        elif project.deal_id:
            # Not linked yet: the deal's newest contract (a draft until signed links it).
            contract = contracts.filter(deal_id=project.deal_id).exclude(status="terminated").order_by("-id").first()
    contacts = []
    if can_see["contact"] and account is not None:
        wanted = [*([deal.contact_id] if deal and deal.contact_id else []), *project.contact_ids]
        linked = Contact.objects.filter(tenant_id=tenant, account_links__account_id=account.pk)
        primary = set(linked.filter(account_links__is_primary=True).values_list("pk", flat=True))
        rows = {c.pk: c for c in Contact.objects.filter(tenant_id=tenant).filter(Q(pk__in=wanted) | Q(pk__in=linked))}
        order = list(dict.fromkeys([*wanted, *sorted(primary), *sorted(rows)]))
        for pk in order[:12]:
            if pk in rows:
                contact = rows[pk]
                contact.is_primary = pk in primary
                contact.is_deal_contact = bool(deal and deal.contact_id == pk)
                contacts.append(contact)
    timeline = []
    if account is not None and access.has_perm("crm.view_activity"):
        rows = timelines.account_timeline(access=access, account=account, scoped=False)[:timeline_size]
        timeline = timelines.timeline_load(list(rows))
    received = getattr(contract, "received", None)
    links = {
        "account": account is not None and Account.objects.restrict(access).filter(pk=account.pk).exists(),
        "deal": deal is not None and Deal.objects.restrict(access).filter(pk=deal.pk).exists(),
        "contract": contract is not None and Contract.objects.restrict(access).filter(pk=contract.pk).exists(),
    }
    return {
        "account": account if can_see["account"] or account is None else None,
        "account_name": account.name if account else "",
        "deal": deal if can_see["deal"] else None,
        "sales_owner": deal.owner if deal else (account.owner if account else None),
        "contacts": contacts,
        "contract": contract,
        "contract_linked": contract is not None and contract.pk == project.contract_id,
        "received": received,
        "collected_percent": round(received * 100 / contract.amount) if contract and contract.amount else None,
        "milestones": list(contract.milestones.all()) if contract else [],
        "timeline": timeline,
        "links": links,
    }
