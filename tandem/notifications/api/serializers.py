"""What the notification API answers."""

from rest_framework import serializers

from tandem.notifications.models import Notification


class NotificationOutput(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at"]
