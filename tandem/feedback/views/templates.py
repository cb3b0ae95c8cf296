"""Survey template pages: the list, the editor (texts, up to five extra questions, logo, colour), a preview that
renders the customer's real answer page, making a template the default of its language, and deleting it."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import can, form_errors_from, post_action, record_or_404, rows_page, tenant_view
from tandem.feedback.choices import QuestionKind, SurveyLanguage
from tandem.feedback.forms.surveys import SurveyTemplateForm
from tandem.feedback.models import SurveyTemplate
from tandem.feedback.models.surveys import MAX_QUESTIONS
from tandem.feedback.services import templates as service

PERMS = ("feedback.add_surveytemplate", "feedback.change_surveytemplate", "feedback.delete_surveytemplate")


@tenant_view("feedback.view_surveytemplate")
def template_list(request):
    rows = SurveyTemplate.objects.filter(tenant_id=request.access.tenant_id).order_by("language", "-is_default", "name")
    return rows_page(
        request,
        rows=rows,
        template="feedback/survey_templates/list.html",
        partial="feedback/survey_templates/rows.html",
        context={"can": can(request.access, *PERMS)},
    )


def _question_errors(exc: ApplicationError) -> ApplicationError:
    """Name the question a service error is about ("Question 2: …"), as the editor shows them above the form."""
    errors = {}
    for key, value in (exc.errors or {}).items():
        parts = key.split(".")
        if parts[0] == "questions" and len(parts) > 1 and parts[1].isdigit():
            label = _("Question %(n)s") % {"n": int(parts[1]) + 1}
            errors.setdefault("__all__", []).extend(f"{label}: {message}" for message in value)
        elif key == "questions":  # the editor's hidden field: shown above the form
            errors.setdefault("__all__", []).extend(value)
        else:
            errors[key] = value
    return ApplicationError(exc.message, errors=errors)


def _editor(request, *, template: SurveyTemplate | None):
    form = SurveyTemplateForm(request.POST or None, request.FILES or None, instance=template)
    if template is None and not form.is_bound:
        # A new template starts from the default wording of the tenant's language.
        language = request.access.membership.tenant.locale or SurveyLanguage.ZH_HANS
        texts = service.default_texts(language)
        initial = {**texts, "name": "", "language": language, "colour": "#1f6feb"}
        form = SurveyTemplateForm(initial={**initial, "questions": json.dumps(texts["questions"], ensure_ascii=False)})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            fields = {**form.service_fields(), "logo": form.cleaned_data.get("logo")}
            try:
                if template is None:
                    saved = service.survey_template_create(access=request.access, **fields)
                else:
                    saved = service.survey_template_update(access=request.access, template=template, **fields)
            except ApplicationError as exc:
                form_errors_from(_question_errors(exc), form)
            else:
                messages.success(request, _("Survey template %(name)s saved.") % {"name": saved.name})
                return redirect("feedback:template_list")
    context = {
        "form": form,
        "template": template,
        "questions": form.questions_initial(),
        "editor": {"max": MAX_QUESTIONS, "kinds": [{"value": k.value, "label": str(k.label)} for k in QuestionKind]},
    }
    return render(request, "feedback/survey_templates/form.html", context, status=status)


@tenant_view("feedback.add_surveytemplate")
def template_create(request):
    return _editor(request, template=None)


@tenant_view("feedback.change_surveytemplate")
def template_update(request, pk: int):
    return _editor(request, template=record_or_404(request, SurveyTemplate, pk))


def _preview_questions(raw: str) -> list[dict]:
    """The posted questions as the answer page shows them; what would not be saved is left out, not refused."""
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    shown = []
    for index, item in enumerate(value[:MAX_QUESTIONS] if isinstance(value, list) else []):
        if not isinstance(item, dict) or item.get("kind") not in QuestionKind.values:
            continue
        choices = [str(c)[:100] for c in item.get("choices") or [] if str(c).strip()][:10]
        shown.append(
            {
                "key": f"q{index + 1}",
                "kind": item["kind"],
                "label": str(item.get("label") or "")[:300],
                "choices": choices,
                "required": bool(item.get("required")),
                "value": "",
                "errors": [],
            }
        )
    return shown


@tenant_view("feedback.view_surveytemplate")
@require_POST
@xframe_options_sameorigin
def template_preview(request):
    """The customer's answer page with the editor's texts as they stand (nothing is saved)."""
    post = request.POST
    saved = None
    if post.get("template", "").isdigit():
        saved = SurveyTemplate.objects.filter(tenant_id=request.access.tenant_id, pk=int(post["template"])).first()
    language = post.get("language") if post.get("language") in SurveyLanguage.values else SurveyLanguage.ZH_HANS
    colour = post.get("colour", "")
    preview = SimpleNamespace(
        intro=post.get("intro", "")[:2000],
        nps_question=post.get("nps_question", "")[:300],
        comment_label=post.get("comment_label", "")[:300],
        thank_you=post.get("thank_you", "")[:2000],
        colour=colour if len(colour) == 7 and colour.startswith("#") and colour[1:].isalnum() else "#1f6feb",
        logo=saved.logo if saved is not None else None,
    )
    with translation.override(language):
        survey = SimpleNamespace(
            project=SimpleNamespace(name=_("Sample project")),
            contact=SimpleNamespace(name=_("Sample contact")),
            expires_at=timezone.now() + timedelta(days=30),
            language=language,
        )
        context = {
            "survey": survey,
            "template": preview,
            "company": request.access.membership.tenant.name,
            "scores": list(range(11)),
            "values": {},
            "errors": {},
            "questions": _preview_questions(post.get("questions", "")),
            "token": "preview",
            "preview": True,
        }
        response = render(request, "feedback/public/answer.html", context)
    # The editor shows the page in a frame of its own origin; the rest of the site may not be framed.
    response["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'none'; "
        "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
    )
    return response


@tenant_view("feedback.change_surveytemplate")
@require_POST
def template_make_default(request, pk: int):
    template = record_or_404(request, SurveyTemplate, pk)
    return post_action(
        request,
        act=lambda: service.survey_template_make_default(access=request.access, template=template),
        message=_("%(name)s is now the default survey in its language.") % {"name": template.name},
        success=reverse("feedback:template_list"),
    )


@tenant_view("feedback.delete_surveytemplate")
@require_POST
def template_delete(request, pk: int):
    template = record_or_404(request, SurveyTemplate, pk)
    return post_action(
        request,
        act=lambda: service.survey_template_delete(access=request.access, template=template),
        message=_("Survey template %(name)s moved to the recycle bin.") % {"name": template.name},
        success=reverse("feedback:template_list"),
    )
