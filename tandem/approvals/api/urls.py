from rest_framework.routers import SimpleRouter

from tandem.approvals.api import views

router = SimpleRouter()
router.register("flows", views.FlowViewSet, basename="approvalflow")
router.register("approvals", views.ApprovalViewSet, basename="approval")
router.register("tasks", views.TaskViewSet, basename="approvaltask")

urlpatterns = [*router.urls]
