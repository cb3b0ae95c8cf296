"""Notification channels API, at /api/v1/automation/channels/."""

from rest_framework.routers import SimpleRouter

from tandem.automation.api.channels import ChannelViewSet

router = SimpleRouter()
router.register("", ChannelViewSet, basename="automation-channel")

urlpatterns = router.urls
