"""Sending a survey by hand from an account or a project page, and the satisfaction panels on those pages."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import record_or_404, tenant_view
from tandem.crm.models import Account, Contact
from tandem.feedback.choices import SurveyChannel
from tandem.feedback.selectors.surveys import survey_contacts, surveys_of
from tandem.feedback.services.surveys import survey_send as send
from tandem.projects.models import Project


def _pk(value):
    return int(value) if isinstance(value, str) and value.isdigit() else None


@tenant_view("feedback.add_survey")
@require_POST
def survey_send(request):
    account = record_or_404(request, Account, _pk(request.POST.get("account")))
    project_pk = _pk(request.POST.get("project"))
    project = record_or_404(request, Project, project_pk) if project_pk else None
    contact_pk = _pk(request.POST.get("contact"))
    contact = record_or_404(request, Contact, contact_pk) if contact_pk else None
    back = (
        reverse("projects:detail", args=[project.pk]) if project else reverse("crm:account_detail", args=[account.pk])
    )
    channel = request.POST.get("channel") or SurveyChannel.EMAIL
    try:
        sent = send(access=request.access, account=account, contact=contact, project=project, channel=channel)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    survey = sent.survey
    if sent.token is None:
        messages.warning(request, _("Not sent: %(reason)s.") % {"reason": survey.get_skip_reason_display()})
    elif channel == SurveyChannel.LINK:
        messages.success(
            request,
            _("Survey link for %(name)s (works once): %(link)s") % {"name": survey.contact.name, "link": sent.link},
        )
    else:
        messages.success(request, _("Survey sent to %(name)s.") % {"name": survey.contact.name})
    return redirect(back)


def account_panel(request, account) -> dict | None:
    access = request.access
    return {
        "surveys": surveys_of(access=access, account=account),
        "account": account,
        "project": None,
        "contacts": survey_contacts(account=account),
        "can_send": access.has_perm("feedback.add_survey"),
        "can_close": access.has_perm("feedback.change_recovery"),
    }


def project_panel(request, project) -> dict | None:
    if not project.account_id:
        return None
    access = request.access
    account = Account.objects.filter(tenant_id=access.tenant_id, pk=project.account_id).first()
    if account is None:
        return None
    return {
        "surveys": surveys_of(access=access, project=project, scoped=False),
        "account": account,
        "project": project,
        "contacts": survey_contacts(account=account),
        "can_send": access.has_perm("feedback.add_survey"),
        "can_close": access.has_perm("feedback.change_recovery"),
    }


def home_recoveries(request, _obj) -> dict | None:
    from tandem.feedback.selectors.recoveries import open_recoveries

    rows, total = open_recoveries(access=request.access)
    return {"recoveries": rows, "total": total}
