"""Bulk sends: choose the accounts with the account list's filters, see how many match, confirm; then the batch
page shows the worker's progress (polled every 2 s while it runs), the counts, the skips and the failures."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError
from tandem.core.views import form_errors_from, members, record_or_404, tenant_view
from tandem.crm.choices import AccountTier, Industry, Region
from tandem.feedback.choices import BatchStatus, SurveyStatus
from tandem.feedback.forms.surveys import BulkSendForm
from tandem.feedback.selectors.batches import account_filterset, batch_filters, batch_list, batch_outcomes
from tandem.feedback.services.batches import survey_batch_start

SAMPLE = 10
RECENT = 10


@tenant_view("feedback.add_survey")
def survey_bulk(request):
    access = request.access
    posted = request.method == "POST"
    filters = batch_filters(request.POST if posted else request.GET)
    form = BulkSendForm(request.POST if posted else None, tenant_id=access.tenant_id)
    filterset = account_filterset(access=access, filters=filters)
    if posted and form.is_valid():
        try:
            batch = survey_batch_start(
                access=access,
                filters=filters,
                template=form.cleaned_data["template"],
                channel=form.cleaned_data["channel"],
            )
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Batch queued: %(n)s accounts.") % {"n": batch.total})
            return redirect("feedback:batch_detail", pk=batch.pk)
    valid = filterset.is_valid()
    matching = filterset.qs if valid else filterset.queryset.none()
    context = {
        "form": form,
        "filters": filters,
        "filter_errors": filterset.errors,
        "count": matching.count(),
        "sample": list(matching.select_related("owner")[:SAMPLE]),
        "tiers": AccountTier.choices,
        "industries": Industry.choices,
        "regions": Region.choices,
        "owners": members(request),
        "batches": list(batch_list(access=access).order_by("-id")[:RECENT]),
    }
    template = "feedback/surveys/bulk_summary.html" if request.htmx else "feedback/surveys/bulk.html"
    return render(request, template, context, status=400 if posted else 200)


@tenant_view("feedback.view_survey")
def batch_detail(request, pk: int):
    batch = record_or_404(request, batch_list(access=request.access), pk)
    done = batch.status in (BatchStatus.DONE, BatchStatus.FAILED)
    processed = batch.sent + batch.skipped + batch.failed
    context = {
        "batch": batch,
        "running": not done,
        "processed": processed,
        "percent": 100 if done else int(processed * 100 / batch.total) if batch.total else 0,
        "skipped": batch_outcomes(access=request.access, batch=batch, status=SurveyStatus.SKIPPED) if done else [],
        "failed": batch_outcomes(access=request.access, batch=batch, status=SurveyStatus.FAILED) if done else [],
    }
    template = "feedback/surveys/batch_progress.html" if request.htmx else "feedback/surveys/batch_detail.html"
    return render(request, template, context)
