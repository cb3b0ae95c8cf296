"""The other moves on a task waiting for me: transfer it (转交), send it back to an earlier node (退回), add an
approver before or after me (加签). Each opens its small form inside the card and updates the card in place."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.approvals import selectors
from tandem.approvals import services as approval_services
from tandem.approvals.forms import AddApproverForm, SendBackForm, TransferForm
from tandem.approvals.views.inbox import card_context, todo_task
from tandem.core.errors import ApplicationError
from tandem.core.views import form_errors_from, tenant_view


def earlier_nodes(approval, node_key: str) -> list[tuple[str, str]]:
    """The approve nodes of the approval's branch before `node_key`, as (key, name): where it may be sent back."""
    branches = (approval.flow_version.definition or {}).get("branches") or []
    branch = next((b for b in branches if b.get("key") == approval.branch_key), None)
    out = []
    for node in (branch or {}).get("nodes") or []:
        if node.get("key") == node_key:
            break
        if node.get("kind", "approve") == "approve":
            out.append((node["key"], node.get("name") or node["key"]))
    return out


def _move(request, pk: int, *, form_class, act, message, title):
    task = todo_task(request, pk)
    access = request.access
    kwargs = {"tenant_id": access.tenant_id}
    if form_class is SendBackForm:
        kwargs = {"nodes": earlier_nodes(task.approval, task.node_key)}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            act(access, task, form.cleaned_data)
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            task.refresh_from_db()
            task.approval.refresh_from_db()
            if not request.htmx:
                messages.success(request, message)
                return redirect(reverse("approvals:inbox") + "?box=todo")
            context = card_context(request, task=task, note=message)
            context["counts"] = selectors.my_counts(access=access)
            context["oob"] = True
            response = render(request, "approvals/partials/card.html", context)
            # The form asked to replace itself; done, the whole card is replaced instead.
            response["HX-Retarget"] = f"#task-{task.pk}"
            response["HX-Reswap"] = "outerHTML"
            return response
    template = "approvals/partials/move_form.html" if request.htmx else "approvals/move.html"
    context = {"task": task, "form": form, "title": title, "action": request.path}
    # HTMX swaps only successful answers: a refused move comes back as the form with its errors, in place.
    refused = request.method == "POST" and not request.htmx
    return render(request, template, context, status=400 if refused else 200)


@require_http_methods(["GET", "POST"])
@tenant_view("approvals.view_approval")
def task_transfer(request, pk: int):
    """Hand my task to another member."""
    return _move(
        request,
        pk,
        form_class=TransferForm,
        act=lambda access, task, data: approval_services.approval_transfer(
            access=access, task=task, to_user=data["to_user"], comment=data["comment"]
        ),
        message=_("Transferred."),
        title=_("Transfer"),
    )


@require_http_methods(["GET", "POST"])
@tenant_view("approvals.view_approval")
def task_send_back(request, pk: int):
    """Send the approval back to an earlier node (or to the submitter), saying why."""
    return _move(
        request,
        pk,
        form_class=SendBackForm,
        act=lambda access, task, data: approval_services.approval_send_back(
            access=access, task=task, to_node_key=data["to_node"], comment=data["comment"]
        ),
        message=_("Sent back."),
        title=_("Send back"),
    )


@require_http_methods(["GET", "POST"])
@tenant_view("approvals.view_approval")
def task_add_approver(request, pk: int):
    """Add approvers to my node, before me or after me (加签)."""
    return _move(
        request,
        pk,
        form_class=AddApproverForm,
        act=lambda access, task, data: approval_services.approval_add_approver(
            access=access, task=task, users=list(data["users"]), position=data["position"], comment=data["comment"]
        ),
        message=_("Approver added."),
        title=_("Add approver"),
    )
