"""The caller's own notifications; marking read is the only write."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.notifications import selectors
from tandem.notifications.api.serializers import NotificationOutput
from tandem.notifications.models import Notification
from tandem.notifications.services.notifications import notification_mark_read


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Notification.objects.all()
    serializer_class = NotificationOutput
    ordering_fields = ["created_at", "id"]
    filterset_fields = {"read_at": ["isnull"]}

    def get_permission_code(self):
        return None  # everyone reads their own inbox

    def get_queryset(self):
        return selectors.notification_list(access=self.request.access)

    @extend_schema(request=None, responses=inline_serializer("NotificationRead", {"status": serializers.CharField()}))
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notification_mark_read(access=request.access, ids=[notification.pk])
        return Response({"status": "read"})

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "NotificationsReadAll", {"status": serializers.CharField(), "count": serializers.IntegerField()}
        ),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        count = notification_mark_read(access=request.access)
        return Response({"status": "read", "count": count})
