"""Leveling pages: choose one project or several, preview the leveled schedule (Gantt before and after, finish
dates, the moved tasks and why), accept or discard; and the project page's panel with the priority, its formula
and the override form, and the 资源平衡 button."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import record_or_404, tenant_view
from tandem.core.views.kit import can, post_action
from tandem.projects.choices import ProjectStatus
from tandem.projects.models import Project
from tandem.resources.choices import ProposalStatus
from tandem.resources.models import LevelingProposal
from tandem.resources.services import leveling as services
from tandem.resources.services import priority as priority_services

BUDGETS = (200, 1000, 3000)
OPEN = (ProjectStatus.PLANNING, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD)


def priority_panel(request, project) -> dict | None:
    """The project's priority, the recommendation's formula with its numbers, and the override form."""
    recommended = priority_services.priority_recommend(project)
    access = request.access
    return {
        "project": project,
        "recommended": recommended,
        "rows": [
            {
                "key": key,
                "label": label,
                "basis": basis,
                "part": recommended.parts[key],
                "weight": recommended.weights[key],
            }
            for key, label, basis in _bases(recommended.inputs, money=access.field_rule(Project.budget_rule) is None)
        ],
        "can_override": access.has_perm("projects.change_project"),
        "can_level": access.has_perm("resources.add_levelingproposal"),
    }


def _bases(inputs, *, money: bool) -> list[tuple[str, str, str]]:
    """Each factor with what it was computed from, in words; the project's revenue and cost only for those who may
    see its budget (`money`)."""
    from tandem.crm.choices import AccountTier

    tier = dict(AccountTier.choices).get(inputs.tier, _("No customer")) if inputs.tier else _("No customer")
    health = "—" if inputs.health is None else str(inputs.health)
    margin = "—"
    if money and inputs.revenue and inputs.cost is not None:
        margin = f"{inputs.revenue:,.0f} − {inputs.cost:,.0f}"
    return [
        ("tier", _("Customer tier"), str(tier)),
        ("value", _("Lifetime value"), f"{inputs.lifetime_value:,.0f}"),
        ("health", _("Customer health"), health),
        ("margin", _("Margin"), margin),
    ]


def _number(value: str | None, default: int) -> int | None:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return None


@tenant_view("projects.change_project")
@require_POST
def priority_override(request, pk):
    project = record_or_404(request, Project, pk, "change")
    back = reverse("projects:detail", args=[project.pk]) + "#priority-panel"
    if request.POST.get("clear"):
        return post_action(
            request,
            act=lambda: priority_services.priority_clear_override(access=request.access, project=project),
            message=_("The recommended priority applies again."),
            success=back,
        )
    priority = _number(request.POST.get("priority"), -1)
    return post_action(
        request,
        act=lambda: priority_services.priority_override(
            access=request.access,
            project=project,
            priority=-1 if priority is None else priority,
            reason=request.POST.get("reason", ""),
        ),
        message=_("Priority set by hand."),
        success=back,
    )


def _open_projects(request):
    return Project.objects.restrict(request.access).filter(status__in=OPEN).order_by("-priority", "name")


def _propose(request, projects: list[Project], budget: int | None):
    try:
        proposal = services.leveling_propose(
            access=request.access, projects=projects, budget=1000 if budget is None else budget
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return None
    return redirect("resources:leveling_detail", proposal.pk)


@tenant_view("resources.add_levelingproposal")
def leveling_home(request):
    """Choose the projects to level together, and the proposals made lately."""
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("projects") if v.isdigit()]
        chosen = list(_open_projects(request).filter(pk__in=ids))
        response = _propose(request, chosen, _number(request.POST.get("budget"), 1000))
        if response is not None:
            return response
    proposals = LevelingProposal.objects.restrict(request.access)[:10]
    names = dict(Project.objects.restrict(request.access).values_list("pk", "name"))
    recent = [{"proposal": p, "projects": [names[i] for i in p.project_ids if i in names]} for p in proposals]
    return render(
        request,
        "resources/leveling/home.html",
        {
            "projects": _open_projects(request),
            "chosen": set(request.POST.getlist("projects")),
            "budgets": BUDGETS,
            "recent": recent,
        },
    )


@tenant_view("resources.add_levelingproposal")
@require_POST
def project_level(request, pk):
    """The project page's 资源平衡 button: level this project alone."""
    project = record_or_404(request, Project, pk)
    response = _propose(request, [project], 1000)
    return response or redirect(reverse("projects:detail", args=[project.pk]))


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _gantt(result: dict) -> dict:
    """Bars as percentages of the span from the first start to the last finish, before and after."""
    moments = [
        _moment(row[key])
        for row in result.get("tasks", [])
        for key in ("before_start", "before_finish", "after_start", "after_finish")
        if row.get(key)
    ]
    if not moments:
        return {"rows": [], "ticks": []}
    first = min(moments).date()
    last = max(moments).date()
    span = max(1, (last - first).days + 1)

    def place(start, finish):
        if start is None or finish is None:
            return None
        left = (start.date() - first).days + (start.hour * 60 + start.minute) / 1440
        right = (finish.date() - first).days + (finish.hour * 60 + finish.minute) / 1440
        return {"left": round(100 * left / span, 3), "width": round(max(0.4, 100 * (right - left) / span), 3)}

    rows = []
    for row in result.get("tasks", []):
        rows.append(
            {
                **row,
                "before": place(_moment(row["before_start"]), _moment(row["before_finish"])),
                "after": place(_moment(row["after_start"]), _moment(row["after_finish"])),
            }
        )
    step = 1 if span <= 14 else 7 if span <= 120 else 30
    ticks = [
        {"left": round(100 * offset / span, 3), "label": date.fromordinal(first.toordinal() + offset).strftime("%m-%d")}
        for offset in range(0, span, step)
    ]
    return {"rows": rows, "ticks": ticks, "first": first, "last": last}


@tenant_view("resources.view_levelingproposal")
def leveling_detail(request, pk):
    proposal = record_or_404(request, LevelingProposal, pk)
    result = proposal.result or {}
    projects = {p["id"]: p for p in result.get("projects", [])}
    moved = [row for row in result.get("tasks", []) if row["moved"]]
    for row in moved:
        row["project_name"] = projects.get(row["project_id"], {}).get("name", "")
        row["delay_days"] = round(row["delay_minutes"] / 480, 1)
        row["before_label"] = (row["before_start"] or "—").replace("T", " ")
        row["after_label"] = (row["after_start"] or "—").replace("T", " ")
    is_open = proposal.status == ProposalStatus.PROPOSED
    return render(
        request,
        "resources/leveling/detail.html",
        {
            "proposal": proposal,
            "result": result,
            "projects": result.get("projects", []),
            "moved": moved,
            "gantt": _gantt(result),
            "is_open": is_open,
            "stale": is_open and services.proposal_is_stale(proposal),
            "can": can(request.access, "resources.change_levelingproposal"),
        },
    )


@tenant_view("resources.change_levelingproposal")
@require_POST
def leveling_accept(request, pk):
    proposal = record_or_404(request, LevelingProposal, pk, "change")
    return post_action(
        request,
        act=lambda: services.leveling_accept(access=request.access, proposal=proposal),
        message=_("Leveling accepted: the moved tasks start no earlier than their leveled dates."),
        success=reverse("resources:leveling_detail", args=[proposal.pk]),
    )


@tenant_view("resources.change_levelingproposal")
@require_POST
def leveling_discard(request, pk):
    proposal = record_or_404(request, LevelingProposal, pk, "change")
    return post_action(
        request,
        act=lambda: services.leveling_discard(access=request.access, proposal=proposal),
        message=_("Proposal discarded; nothing changed."),
        success=reverse("resources:leveling_home"),
        failure=reverse("resources:leveling_detail", args=[proposal.pk]),
    )
