from rest_framework.routers import SimpleRouter

from tandem.printing.api import views

router = SimpleRouter()
router.register("templates", views.PrintTemplateViewSet, basename="printtemplate")
router.register("history", views.PrintLogViewSet, basename="printlog")

urlpatterns = router.urls
