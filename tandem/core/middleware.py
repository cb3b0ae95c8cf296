"""Request id + client address context, and the Content-Security-Policy header."""

import re
import uuid

from django.conf import settings

from tandem.core import context

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
