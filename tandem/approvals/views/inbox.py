"""My approvals (我的审批): to do, done, CC'd to me, submitted by me; deciding in place (HTMX), in bulk, and
opening the record an approval is about."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from tandem.approvals import registry, selectors
from tandem.approvals import services as approval_services
from tandem.approvals.forms import BulkApproveForm, DecisionForm, InboxFilterForm
from tandem.approvals.views.designer import type_choices
from tandem.core.errors import ApplicationError
from tandem.core.views import paginate, record_or_404, safe_next, tenant_view

BOXES = ("todo", "done", "cc", "submitted")
PER_PAGE = 20


def box_labels() -> dict[str, str]:
    return {
        "todo": pgettext("my approvals", "To do"),
        "done": pgettext("my approvals", "Done"),
        "cc": _("CC'd to me"),
        "submitted": _("Submitted by me"),
    }


def _type_labels() -> dict[str, str]:
    return dict(type_choices())


def card_context(request, *, task=None, approval=None, form=None, note: str = "") -> dict:
    """What one card shows: the approval, the member's task on it (if any) and the decision form's errors."""
    approval = approval or task.approval
    return {
        "task": task,
        "approval": approval,
        "type_label": _type_labels().get(approval.object_type, approval.object_type),
        "form": form or DecisionForm(),
        "note": note,
        "box": request.GET.get("box") or request.POST.get("box") or "todo",
    }


@tenant_view("approvals.view_approval")
def inbox(request):
    """The member's approvals in four tabs with counts, filtered and paginated; the to-do tab decides in place."""
    access = request.access
    box = request.GET.get("box", "todo")
    if box not in BOXES:
        box = "todo"
    filter_form = InboxFilterForm(request.GET or None, tenant_id=access.tenant_id, types=type_choices())
    rows = selectors.my_tasks(access=access, box=box, filters=filter_form.filters())
    page = paginate(request, rows, per_page=PER_PAGE)
    cards = [
        card_context(request, approval=row) if box == "submitted" else card_context(request, task=row)
        for row in page.object_list
    ]
    context = {
        "box": box,
        "boxes": [(key, label) for key, label in box_labels().items()],
        "counts": selectors.my_counts(access=access),
        "filter_form": filter_form,
        "page": page,
        "cards": cards,
        "query": request.GET,
    }
    template = "approvals/partials/inbox_rows.html" if request.htmx else "approvals/inbox.html"
    return render(request, template, context)


def todo_task(request, pk: int):
    """A task waiting for the signed-in member (anyone else's, or one already decided, is a 404)."""
    return record_or_404(request, selectors.my_tasks(access=request.access, box="todo", filters={}), pk)


def _decide(request, pk: int, *, reject: bool):
    task = todo_task(request, pk)
    form = DecisionForm(request.POST, reject=reject)
    note = ""
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if reject:
                approval_services.approval_reject(access=request.access, task=task, comment=comment)
            else:
                approval_services.approval_approve(access=request.access, task=task, comment=comment)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            task.refresh_from_db()
            task.approval.refresh_from_db()
            note = _("Rejected.") if reject else _("Approved.")
            if not request.htmx:
                messages.success(request, note)
                return redirect(safe_next(request, reverse("approvals:inbox") + "?box=todo"))
    if not request.htmx:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(safe_next(request, reverse("approvals:inbox") + "?box=todo"))
    context = card_context(request, task=task, form=form if form.errors else None, note=note)
    context["counts"] = selectors.my_counts(access=request.access)
    context["oob"] = not form.errors
    return render(request, "approvals/partials/card.html", context)


@require_POST
@tenant_view("approvals.view_approval")
def task_approve(request, pk: int):
    """Approve one task with an optional comment; the card updates in place."""
    return _decide(request, pk, reject=False)


@require_POST
@tenant_view("approvals.view_approval")
def task_reject(request, pk: int):
    """Reject one task; the comment is required."""
    return _decide(request, pk, reject=True)


@require_POST
@tenant_view("approvals.view_approval")
def bulk_approve(request):
    """Approve every chosen task waiting for the member, with one comment."""
    access = request.access
    waiting = selectors.my_tasks(access=access, box="todo", filters={})
    ids = [int(v) for v in request.POST.getlist("tasks") if v.isdigit()]
    form = BulkApproveForm(request.POST, task_ids=list(waiting.filter(pk__in=ids).values_list("pk", flat=True)))
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(reverse("approvals:inbox") + "?box=todo")
    tasks = list(waiting.filter(pk__in=form.cleaned_data["tasks"]))
    try:
        result = approval_services.approval_bulk_approve(
            access=access, tasks=tasks, comment=form.cleaned_data["comment"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        # Each task is decided on its own: say how many went through and why the others did not.
        messages.success(request, _("%(n)d approved.") % {"n": len(result["approved"])})
        for message in dict.fromkeys(result["failed"].values()):
            messages.error(request, message)
    return redirect(reverse("approvals:inbox") + "?box=todo")


@tenant_view("approvals.view_approval")
def approval_open(request, pk: int):
    """The page of the record an approval is about (that page checks the member may see it)."""
    approval = record_or_404(request, selectors.approvals_visible(request.access), pk)
    approvable = registry.get(approval.object_type)
    obj = approvable.load(request.access.tenant_id, approval.object_id) if approvable else None
    if obj is None:
        raise Http404
    return redirect(approvable.url(obj))
