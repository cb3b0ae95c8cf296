"""The survey log: every survey written, sent or skipped (with the reason) or failed (with the error).

Links and their tokens are never shown here; the log says who was asked, how, and what came of it.
"""

from __future__ import annotations

from tandem.core.views import rows_page, tenant_view
from tandem.feedback.choices import SkipReason, SurveyChannel, SurveyStatus
from tandem.feedback.filters import SurveyFilter
from tandem.feedback.models import Survey


@tenant_view("feedback.view_survey")
def survey_list(request):
    surveys = (
        Survey.objects.restrict(request.access)
        .select_related("account", "contact", "project", "batch", "template", "response")
        .order_by("-created_at", "-id")
    )
    filterset = SurveyFilter(request.GET, queryset=surveys)
    rows = filterset.qs if filterset.is_valid() else surveys.none()
    return rows_page(
        request,
        rows=rows,
        template="feedback/surveys/list.html",
        partial="feedback/surveys/rows.html",
        context={
            "statuses": SurveyStatus.choices,
            "channels": SurveyChannel.choices,
            "reasons": SkipReason.choices,
            "filter_errors": filterset.errors,
            "can_bulk": request.access.has_perm("feedback.add_survey"),
        },
    )
