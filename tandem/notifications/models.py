"""In-app notifications shown under the bell."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel


class Notification(TenantModel):
    """One message to one user in one tenant; unread until opened or marked read."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    event_id = models.UUIDField(null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "recipient", "read_at"], name="notification_inbox_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "recipient", "event_id"],
                name="notification_once_per_event",
                condition=models.Q(event_id__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title
