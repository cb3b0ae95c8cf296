"""The page a button of an approval card in an IM group opens: the signed link is checked first, then the
signed-in member sees the approval with their waiting task and decides with one tap (the same card as in my
approvals). A tampered or expired link is refused with a clear page and nothing looked up."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.approvals import selectors
from tandem.approvals.links import BadLink, approval_link_read
from tandem.approvals.views.inbox import card_context
from tandem.core.views import record_or_404, tenant_view


@tenant_view("approvals.view_approval")
def im_link(request, token: str):
    """Approve / reject / open from an IM card: the member's waiting task on the approval, ready to decide."""
    try:
        claim = approval_link_read(token)
    except BadLink:
        return render(request, "approvals/quick_refused.html", status=400)
    if claim.tenant_id != request.access.tenant_id:
        return render(request, "approvals/quick_refused.html", {"other_tenant": True}, status=404)
    approval = record_or_404(request, selectors.approvals_visible(request.access), claim.approval_id)
    if claim.decision == "open":
        return redirect("approvals:open", approval.pk)
    task = selectors.open_task_for(approval, request.access.user_id)
    context = card_context(request, task=task, approval=approval)
    context.update(
        {
            "decision": claim.decision,
            "waiting": task is not None,
            "inbox_url": reverse("approvals:inbox") + "?box=todo",
            "counts": selectors.my_counts(access=request.access),
            "note": "" if task else _("Nothing on this approval is waiting for you."),
        }
    )
    return render(request, "approvals/quick.html", context)
