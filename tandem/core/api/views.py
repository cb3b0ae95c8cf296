"""Base API views: tenant and scope applied once, here, so no view can forget them."""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from tandem.core.api.errors import problem_response
from tandem.core.api.permissions import ActionPermissionMixin
from tandem.core.models import IdempotencyKey

IDEMPOTENCY_HEADER = "HTTP_IDEMPOTENCY_KEY"


class _Replay(Exception):
    def __init__(self, response):
        self.response = response


class IdempotentPostMixin:
    """Honours `Idempotency-Key` on POST: the same key and body replay the first answer, once stored."""

    _idem_key = ""
    _idem_hash = ""
    _idem_replayed = False

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        key = request.META.get(IDEMPOTENCY_HEADER, "").strip()[:200] if request.method == "POST" else ""
        if not key or getattr(request, "tenant", None) is None:
            return
        self._idem_key = key
        body = json.dumps(request.data, sort_keys=True, default=str)
        self._idem_hash = hashlib.sha256(f"{request.method} {request.path} {body}".encode()).hexdigest()
        stored = IdempotencyKey.objects.filter(tenant=request.tenant, user=request.user, key=key).first()
        if stored is None:
            return
        if stored.request_hash != self._idem_hash:
            raise _Replay(
                problem_response(
                    status_code=422,
                    title=_("Idempotency key reused"),
                    code="idempotency_conflict",
                    detail=_("This Idempotency-Key was used with a different request."),
                )
            )
        response = Response(stored.response_body, status=stored.status_code)
        response["Idempotent-Replayed"] = "true"
        raise _Replay(response)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            self._idem_replayed = True
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        if self._idem_key and not self._idem_replayed and response.status_code < 500:
            try:
                with transaction.atomic():
                    IdempotencyKey.objects.create(
                        tenant=request.tenant,
                        user=request.user,
                        key=self._idem_key,
                        method=request.method,
                        path=request.path[:500],
                        request_hash=self._idem_hash,
                        status_code=response.status_code,
                        response_body=json.loads(json.dumps(response.data, default=str)),
                    )
            except IntegrityError:
                pass  # a concurrent request with the same key stored its answer first
        return super().finalize_response(request, response, *args, **kwargs)


class TenantViewSetMixin(ActionPermissionMixin, IdempotentPostMixin):
    """Permission per action, querysets restricted to the caller's tenant, scope and action; outside → 404."""

    def get_queryset(self):
        qs = super().get_queryset()
        access = self.request.access
        action = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "DELETE": "delete"}.get(
            self.request.method, "change"
        )
        if hasattr(qs, "restrict"):
            return qs.restrict(access, action)
        return qs.filter(tenant_id=access.tenant_id)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["access"] = getattr(self.request, "access", None)
        return context


class TenantReadOnlyViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class TenantViewSet(TenantViewSetMixin, viewsets.ModelViewSet):
    """CRUD whose writes go through `perform_*` hooks that each concrete view points at a service."""


class TenantCreateListViewSet(
    TenantViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    pass
