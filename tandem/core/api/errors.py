"""One error shape for the whole API: RFC 9457 problem details with field errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from tandem.core.errors import NON_FIELD, ApplicationError

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_body(*, status_code: int, title: str, detail: str = "", code: str = "", errors=None) -> dict:
    body = {
        "type": f"urn:tandem:problem:{code or status_code}",
        "title": str(title),
        "status": status_code,
        "detail": str(detail or title),
    }
    if errors:
        # Django's own key for errors of no one field is "__all__"; the API says non_field_errors throughout.
        body["errors"] = {NON_FIELD if key == "__all__" else key: value for key, value in errors.items()}
    return body


def problem_response(*, status_code: int, title: str, detail: str = "", code: str = "", errors=None, headers=None):
    body = problem_body(status_code=status_code, title=title, detail=detail, code=code, errors=errors)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def _flatten(detail):
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(d, (dict, list)) for d in detail):
            return [str(d) for d in detail]
        return [_flatten(d) for d in detail]
    return [str(detail)]


def problem_exception_handler(exc, context):
    response = _problem_for(exc)
    request = context.get("request")
    if response is not None and request is not None:
        # Views that render YAML or HTML (the schema, Swagger UI) still answer errors in problem JSON.
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), PROBLEM_CONTENT_TYPE
    return response


def _problem_for(exc):
    if isinstance(exc, ApplicationError):
        return problem_response(
            status_code=exc.status, title=exc.title, detail=exc.message, code=exc.code, errors=exc.errors or None
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(getattr(exc, "message_dict", None) or exc.messages)
    if not isinstance(exc, exceptions.APIException):
        return None  # a real server error: Django's handler500 answers it
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        errors = _flatten(detail) if isinstance(detail, dict) else {NON_FIELD: _flatten(detail)}
        return problem_response(
            status_code=status.HTTP_400_BAD_REQUEST,
            title=_("Invalid input"),
            detail=_("Some fields are invalid; see errors."),
            code="validation",
            errors=errors,
            headers=headers,
        )
    return problem_response(
        status_code=exc.status_code,
        title=_(str(exc.default_detail)),
        detail=str(exc.detail),
        code=getattr(exc, "default_code", ""),
        headers=headers,
    )
