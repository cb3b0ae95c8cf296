"""Notification channels API: CRUD and a test send. The webhook address and secret are write-only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.automation.models import Channel, ChannelKind
from tandem.automation.services import channels as services
from tandem.core.api.inputs import validated
from tandem.core.api.views import TenantViewSet


class ChannelOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The webhook address, masked: its token is a credential.")
    secret = serializers.SerializerMethodField(help_text='Masked ("******") when a signing secret is set.')
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = [
            "id",
            "kind",
            "name",
            "url",
            "secret",
            "has_secret",
            "recipients",
            "enabled",
            "last_sent_at",
            "last_error",
            "created_at",
            "updated_at",
        ]

    def get_url(self, obj) -> str:
        return services.mask_url(obj.url)

    def get_secret(self, obj) -> str:
        return services.mask_secret(obj.secret)

    def get_has_secret(self, obj) -> bool:
        return bool(obj.secret)


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class RecipientsField(serializers.ListField):
    """A list of addresses; the service validates each one."""

    child = serializers.CharField(max_length=254, allow_blank=True, trim_whitespace=True)


class ChannelInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    name = serializers.CharField(max_length=100)
    url = serializers.CharField(
        max_length=500, required=False, allow_blank=True, write_only=True, help_text="Robot kinds: the webhook address."
    )
    secret = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text='DingTalk/Feishu signing secret; on update, leave out to keep it, send "" to remove it.',
    )
    recipients = RecipientsField(required=False, max_length=100, help_text="Email kind: the addresses.")
    enabled = serializers.BooleanField(required=False)


class ChannelTestOutput(serializers.Serializer):
    ok = serializers.BooleanField()
    error = serializers.CharField(allow_blank=True)
    retryable = serializers.BooleanField(help_text="The failure may pass (rate limit, network); try again later.")


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
        return services.channel_list(access=self.request.access, action=self.restrict_action())

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
