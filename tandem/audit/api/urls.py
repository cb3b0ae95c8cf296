from rest_framework.routers import SimpleRouter

from tandem.audit.api import views

router = SimpleRouter()
router.register("entries", views.AuditEntryViewSet, basename="auditentry")
router.register("security-events", views.SecurityEventViewSet, basename="securityevent")
urlpatterns = router.urls
