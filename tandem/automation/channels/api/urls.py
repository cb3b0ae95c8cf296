"""Notification channels API, at /api/v1/automation/channels/."""

from rest_framework.routers import SimpleRouter

from tandem.automation.channels.api.views import ChannelViewSet

router = SimpleRouter()
router.register("", ChannelViewSet, basename="automation-channel")

urlpatterns = router.urls
