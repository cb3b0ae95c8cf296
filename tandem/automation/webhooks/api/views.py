"""Outbound webhooks API: endpoints (the secret is shown on create and on rotation only), their delivery log
with every attempt, replay, a test event, and the event types one can subscribe to."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.automation.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tandem.automation.webhooks import selectors, services
from tandem.automation.webhooks.api.serializers import (
    DeliveryOutput,
    EndpointInput,
    EndpointOutput,
    EndpointWithSecretOutput,
    EventTypeOutput,
    RotateInput,
)
from tandem.automation.webhooks.events import KNOWN_EVENT_TYPES, wildcard_choices
from tandem.core.api.inputs import validated
from tandem.core.api.views import TenantReadOnlyViewSet, TenantViewSet
from tandem.core.errors import ApplicationError

PERMISSION_OBJECT = "automation.webhookendpoint"


class WebhookEndpointViewSet(TenantViewSet):
    """Where the tenant's events are POSTed, signed per Standard Webhooks (webhook-id, -timestamp, -signature)."""

    queryset = WebhookEndpoint.objects.all()
    serializer_class = EndpointOutput
    permission_object = PERMISSION_OBJECT
    action_permissions = {"rotate_secret": "change", "send_test": "change", "deliveries": "view"}
    lookup_value_regex = r"\d+"
    search_fields = ["url", "description"]
    ordering_fields = ["id", "url", "created_at"]
    ordering = ["id"]

    def get_queryset(self):
        return selectors.endpoint_list(access=self.request.access, action=self.restrict_action())

    @extend_schema(request=EndpointInput, responses={201: EndpointWithSecretOutput})
    def create(self, request):
        data = validated(EndpointInput, request.data)
        endpoint = services.endpoint_create(access=request.access, **data)
        return Response(EndpointWithSecretOutput(endpoint).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndpointInput, responses=EndpointOutput)
    def update(self, request, pk=None, partial=False):
        endpoint = self.get_object()
        data = validated(EndpointInput, request.data, partial=partial)
        if partial:
            data = {k: v for k, v in data.items() if k in request.data}
        endpoint = services.endpoint_update(access=request.access, endpoint=endpoint, **data)
        return Response(EndpointOutput(endpoint).data)

    @extend_schema(request=EndpointInput, responses=EndpointOutput)
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        services.endpoint_delete(access=request.access, endpoint=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=RotateInput, responses=EndpointWithSecretOutput)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new secret (returned once); the old one keeps signing next to it for `overlap_hours`."""
        endpoint = self.get_object()
        data = validated(RotateInput, request.data)
        endpoint = services.endpoint_rotate_secret(
            access=request.access, endpoint=endpoint, overlap=timedelta(hours=data["overlap_hours"])
        )
        return Response(EndpointWithSecretOutput(endpoint).data)

    @extend_schema(request=None, responses={201: DeliveryOutput})
    @action(detail=True, methods=["post"], url_path="test")
    def send_test(self, request, pk=None):
        """Send a `webhook.test` event now (also to a disabled endpoint); the answer is in the delivery log."""
        delivery = services.endpoint_send_test(access=request.access, endpoint=self.get_object())
        return Response(DeliveryOutput(delivery).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="automation_webhooks_endpoint_deliveries",
        parameters=[OpenApiParameter("status", str, enum=DeliveryStatus.values, required=False)],
        responses=DeliveryOutput(many=True),
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The endpoint's delivery log, newest first, each delivery with its attempts."""
        endpoint = self.get_object()
        rows = filter_status(selectors.delivery_list(access=request.access, endpoint=endpoint), request)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DeliveryOutput(page, many=True).data)


def filter_status(rows, request):
    value = request.query_params.get("status", "")
    if not value:
        return rows
    if value not in DeliveryStatus.values:
        message = _("Choose one of: %(values)s.") % {"values": ", ".join(DeliveryStatus.values)}
        raise ApplicationError(message, errors={"status": [message]})
    return rows.filter(status=value)


class WebhookDeliveryViewSet(TenantReadOnlyViewSet):
    """Deliveries of every endpoint you can see, with their attempts; replay sends one again as a new message."""

    queryset = WebhookDelivery.objects.all()
    serializer_class = DeliveryOutput
    permission_object = PERMISSION_OBJECT
    action_permissions = {"replay": "change"}
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    def get_queryset(self):
        rows = selectors.delivery_list(access=self.request.access, action=self.restrict_action())
        if self.action == "list":
            endpoint = self.request.query_params.get("endpoint", "")
            if endpoint:
                if not endpoint.isdigit():
                    message = _("Give an endpoint id.")
                    raise ApplicationError(message, errors={"endpoint": [message]})
                rows = rows.filter(endpoint_id=int(endpoint))
            rows = filter_status(rows, self.request)
        return rows

    @extend_schema(
        parameters=[
            OpenApiParameter("endpoint", int, required=False),
            OpenApiParameter("status", str, enum=DeliveryStatus.values, required=False),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={201: DeliveryOutput})
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        """Send this delivery's event again now: a new delivery (new webhook-id) pointing at the original."""
        delivery = services.delivery_replay(access=request.access, delivery=self.get_object())
        return Response(DeliveryOutput(delivery).data, status=status.HTTP_201_CREATED)


class WebhookEventTypesView(APIView):
    """The event types an endpoint can subscribe to, and the wildcards."""

    def get_permission_code(self):
        return f"automation.view_{PERMISSION_OBJECT.split('.')[1]}"

    @extend_schema(responses=EventTypeOutput(many=True))
    def get(self, request):
        rows = [{"name": n, "label": str(label), "wildcard": True} for n, label in wildcard_choices()]
        rows += [{"name": n, "label": str(label), "wildcard": False} for n, label in KNOWN_EVENT_TYPES]
        return Response(EventTypeOutput(rows, many=True).data)
