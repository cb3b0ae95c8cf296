"""Automation API: /api/v1/automation/…"""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tandem.automation.api import views

router = SimpleRouter()
router.register("rules", views.RuleViewSet, basename="automation-rule")
router.register("runs", views.RunViewSet, basename="automation-run")

urlpatterns = [
    path("catalog/", views.CatalogView.as_view(), name="automation-catalog"),
    path("channels/", include("tandem.automation.channels.api.urls")),
    path("webhooks/", include("tandem.automation.webhooks.api.urls")),
    *router.urls,
]
