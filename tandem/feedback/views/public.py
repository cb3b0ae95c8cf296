"""The customer's side: the survey page a link opens, and unsubscribing. No sign-in; the signed token is the key.

Mobile-first, in the survey's language, plain HTML forms (CSRF-protected) that work without scripts and with a
screen reader; rate-limited per address. A link that was altered, used or has expired gets a friendly page and
writes nothing.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from tandem.core import ratelimit
from tandem.core.context import client_ip
from tandem.core.errors import ApplicationError
from tandem.feedback.services import surveys as service

PER_MINUTE = 30
CLOSED_STATUS = {"invalid": 404, "answered": 410, "expired": 410}


def _limited(request, token: str):
    if ratelimit.allow(f"survey:{client_ip(request)}", limit=PER_MINUTE):
        return None
    return render(request, "feedback/public/closed.html", {"reason": "busy"}, status=429)


def _closed(request, exc: service.SurveyClosed):
    language = exc.survey.language if exc.survey is not None else translation.get_language()
    with translation.override(language):
        context = {"reason": exc.reason, "survey": exc.survey, "template": getattr(exc.survey, "template", None)}
        return render(request, "feedback/public/closed.html", context, status=CLOSED_STATUS[exc.reason])


def _scores():
    return list(range(11))


@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    limited = _limited(request, token)
    if limited:
        return limited
    try:
        survey = service.survey_open(token=token)
    except service.SurveyClosed as exc:
        return _closed(request, exc)
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        answers = {q["key"]: request.POST.get(f"q_{q['key']}", "") for q in survey.template.questions or []}
        values = {"score": request.POST.get("score", ""), "comment": request.POST.get("comment", ""), **answers}
        try:
            service.response_submit(
                token=token, score=request.POST.get("score"), comment=values["comment"], answers=answers
            )
        except service.SurveyClosed as exc:
            return _closed(request, exc)
        except ApplicationError as exc:
            errors, status = exc.errors, 400
        else:
            with translation.override(survey.language):
                return render(request, "feedback/public/thanks.html", {"survey": survey, "template": survey.template})
    with translation.override(survey.language):
        questions = [
            {**q, "value": values.get(q["key"], ""), "errors": errors.get(f"answers.{q['key']}", [])}
            for q in survey.template.questions or []
        ]
        context = {
            "survey": survey,
            "template": survey.template,
            "company": survey.account.tenant.name,
            "scores": _scores(),
            "values": values,
            "errors": errors,
            "questions": questions,
            "token": token,
        }
        return render(request, "feedback/public/answer.html", context, status=status)


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    limited = _limited(request, token)
    if limited:
        return limited
    survey = service.survey_by_token(token)
    if survey is None:
        return _closed(request, service.SurveyClosed("invalid"))
    done = False
    if request.method == "POST":
        service.survey_unsubscribe(token=token)
        done = True
    with translation.override(survey.language):
        context = {"survey": survey, "template": survey.template, "company": survey.account.tenant.name, "done": done}
        return render(request, "feedback/public/unsubscribe.html", context)
