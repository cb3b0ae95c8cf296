"""Notification channels API: CRUD and a test send. The webhook address and secret are write-only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.automation.channels import selectors, services
from tandem.automation.channels.api.serializers import ChannelInput, ChannelOutput, ChannelTestOutput
from tandem.automation.models import Channel
from tandem.core.api.inputs import validated
from tandem.core.api.views import TenantViewSet


class ChannelViewSet(TenantViewSet):
    """Where rules send notifications besides the bell: IM group robots and email lists."""

    queryset = Channel.objects.all()
    serializer_class = ChannelOutput
    permission_object = "automation.channel"
    action_permissions = {"send_test": "change"}
    search_fields = ["name"]
    ordering_fields = ["id", "name"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.channel_list(access=self.request.access, action=self.restrict_action())

    @extend_schema(request=ChannelInput, responses={201: ChannelOutput})
    def create(self, request):
        data = validated(ChannelInput, request.data)
        channel = services.channel_create(access=request.access, **data)
        return Response(self.get_serializer(channel).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ChannelInput, responses=ChannelOutput)
    def update(self, request, pk=None, partial=False):
        channel = self.get_object()
        data = validated(ChannelInput, request.data, partial=partial)
        channel = services.channel_update(access=request.access, channel=channel, **data)
        return Response(self.get_serializer(channel).data)

    @extend_schema(request=ChannelInput, responses=ChannelOutput)
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        services.channel_delete(access=request.access, channel=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=ChannelTestOutput)
    @action(detail=True, methods=["post"], url_path="test", url_name="test")
    def send_test(self, request, pk=None):
        """Send a test message now (in the tenant's language) and say whether it arrived."""
        result = services.channel_send_test(access=request.access, channel=self.get_object())
        return Response({"ok": result.ok, "error": result.error, "retryable": result.retryable})
