"""Request id + client address context, the Content-Security-Policy header, service errors as 404/403 pages,
API writes in one transaction."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import Resolver404, resolve

from tandem.core import context
from tandem.core.errors import NotFound, PermissionDenied

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        request.htmx = request.headers.get("HX-Request") == "true"
        token = context.activate(
            context.RequestContext(
                request_id=request_id,
                ip=context.client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = request_id
        return response


class NulQueryGuardMiddleware:
    """A NUL character in an API query string is refused with a 400 naming the parameter.

    No value of ours contains one, and PostgreSQL cannot take one in a text parameter: without this guard
    any filter, search or ordering given `%00` would reach the database and fail there. Only the API is
    strict; pages ignore odd filters, each page cleaning its own (e.g. the delay warnings page).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and "%00" in request.META.get("QUERY_STRING", ""):
            names = [key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in v for v in values)]
            if names:
                return self._refuse(request, names)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, names: list[str]):
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        from tandem.core.api.errors import PROBLEM_CONTENT_TYPE, problem_body

        message = _("Null characters are not allowed.")
        body = problem_body(
            status_code=400,
            title=_("Invalid input"),
            detail=message,
            code="validation",
            errors={name.replace("\x00", "") or "query": [message] for name in names},
        )
        return JsonResponse(
            body, status=400, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
        )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Swagger UI and the Django admin bring their own inline bootstraps; they are served
        # to signed-in users only, so they get the policy without the script restriction.
        if not request.path.startswith(("/api/v1/docs", "/admin/")):
            response.setdefault("Content-Security-Policy", settings.CSP_POLICY)
        return response


class ApplicationErrorMiddleware:
    """Pages answer a service's NotFound as a 404 and its PermissionDenied as a 403, like the API does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(exception.message) from exception
        return None


class AtomicApiWritesMiddleware:
    """Each API write (POST, PUT, PATCH, DELETE) is one transaction that a server error rolls back.

    Services commit their own work in `@transaction.atomic`; without this, a view that fails after its
    service returned (e.g. while building the answer) would answer 500 with the write already committed.
    Reads stay outside any transaction, and so do pages. A view may opt out with `atomic_writes = False`
    (e.g. one that waits on the network and must not hold the database's write lock meanwhile).
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE_METHODS or not self._is_api_view(request):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)  # an exception in the view arrives here as a 500 answer
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response

    @staticmethod
    def _is_api_view(request) -> bool:
        from rest_framework.views import APIView

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        view_class = getattr(match.func, "cls", None)
        return (
            isinstance(view_class, type)
            and issubclass(view_class, APIView)
            and getattr(view_class, "atomic_writes", True)
        )
