"""Closing a detractor's recovery by hand, with a reason, from the satisfaction panel."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.views import post_action, record_or_404, tenant_view
from tandem.feedback.models import Recovery
from tandem.feedback.services.recovery import recovery_close


def _back(request, recovery: Recovery) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("crm:account_detail", args=[recovery.account_id])


@tenant_view("feedback.change_recovery")
@require_POST
def close(request, pk: int):
    recovery = record_or_404(request, Recovery, pk, "change")
    reason = request.POST.get("reason", "")
    return post_action(
        request,
        act=lambda: recovery_close(access=request.access, recovery=recovery, reason=reason),
        message=_("Recovery closed; the account's risk flag is lifted unless another recovery is open."),
        success=_back(request, recovery),
    )
