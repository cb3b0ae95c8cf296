from django.urls import path
from rest_framework.routers import SimpleRouter

from tandem.accounts.api import views

router = SimpleRouter()
router.register("users", views.MemberViewSet, basename="member")
router.register("roles", views.RoleViewSet, basename="role")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("tokens", views.TokenViewSet, basename="token")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("tenant/", views.TenantSettingsView.as_view(), name="tenant-settings"),
    *router.urls,
]
