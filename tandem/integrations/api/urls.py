from rest_framework.routers import SimpleRouter

from tandem.integrations.api.views import ImportJobViewSet

router = SimpleRouter()
router.register("", ImportJobViewSet, basename="importjob")

urlpatterns = router.urls
