"""The NPS insights page, the feedback settings page and the health panel on the account page."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError
from tandem.core.views import form_page, members, tenant_view
from tandem.feedback.forms.insights import (
    FACTOR_LABELS,
    QUARTERS_SHOWN,
    FeedbackSettingsForm,
    NpsFilterForm,
    recent_quarters,
)
from tandem.feedback.models import HealthScore
from tandem.feedback.selectors.insights import detractor_list, nps_insights
from tandem.feedback.services.settings import feedback_settings, feedback_settings_update

DETRACTORS_SHOWN = 100
# Score bands of the health panel: at or above the first, healthy; at or above the second, watch; else at risk.
HEALTHY_FROM = 70
WATCH_FROM = 40


def _chart(insights) -> dict:
    """The trend chart's data (json_script): quarters, NPS (null without answers) and answers per quarter."""
    return {
        "quarters": [g.key for g in insights.by_quarter],
        "nps": [g.figures.nps for g in insights.by_quarter],
        "responses": [g.figures.responses for g in insights.by_quarter],
        "labels": {"nps": "NPS", "responses": _("Responses")},
    }


@tenant_view("feedback.view_surveyresponse")
def nps_page(request):
    """NPS for a period and filters: the figures, the trend by quarter, the breakdowns and the detractors."""
    access = request.access
    form = NpsFilterForm(request.GET or None, managers=members(request))
    filters = form.filters()
    insights = nps_insights(access=access, filters=filters)
    detractors = detractor_list(access=access, filters=filters)
    return render(
        request,
        "feedback/nps.html",
        {
            "form": form,
            "filters": filters,
            "insights": insights,
            "total": insights.total,
            "chart": _chart(insights),
            "breakdowns": [
                ("by-manager", _("By project manager"), insights.by_manager),
                ("by-type", _("By project type"), insights.by_project_type),
                ("by-tier", _("By customer tier"), insights.by_tier),
            ],
            "detractors": detractors[:DETRACTORS_SHOWN],
            "detractor_count": len(detractors),
            "quarters": recent_quarters(form.today),
            "default_from": recent_quarters(form.today, QUARTERS_SHOWN)[-1],
            "default_to": recent_quarters(form.today, 1)[0],
        },
    )


@tenant_view("feedback.change_feedbacksettings")
def settings_page(request):
    """Survey pacing, service SLA and health weights; saved through the service, all or nothing."""
    access = request.access
    form = FeedbackSettingsForm(request.POST or None, current=feedback_settings(access.tenant_id))

    def save(form):
        try:
            return feedback_settings_update(access=access, **form.service_fields())
        except ApplicationError as exc:
            errors = {}
            for key, messages_ in (exc.errors or {}).items():
                errors.setdefault(form.field_of(key) or "__all__", []).extend(
                    messages_ if isinstance(messages_, list) else [messages_]
                )
            raise ApplicationError(exc.message, errors=errors, code=exc.code) from exc

    return form_page(
        request,
        form=form,
        template="feedback/settings.html",
        save=save,
        message=_("Saved."),
        success="feedback:settings",
    )


def band_of(score: int) -> str:
    """healthy / watch / risk, for the panel's colour."""
    if score >= HEALTHY_FROM:
        return "healthy"
    return "watch" if score >= WATCH_FROM else "risk"


def health_panel(request, account) -> dict | None:
    """The account's last computed health and its factors; this reads, it never recomputes."""
    health = HealthScore.objects.restrict(request.access).filter(account=account).first()
    factors = []
    if health is not None:
        factors = [{**f, "label": FACTOR_LABELS.get(f.get("key"), f.get("key"))} for f in health.factors]
    return {"health": health, "factors": factors, "band": band_of(health.score) if health else None}
