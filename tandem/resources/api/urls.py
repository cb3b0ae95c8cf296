from django.urls import include, path  # noqa: F401
from rest_framework.routers import SimpleRouter

from tandem.resources.api import utilisation

router = SimpleRouter()
# Resources, skills and leave.
from tandem.resources.api import resources  # noqa: E402

router.register("resources", resources.ResourceViewSet, basename="resource")
router.register("skills", resources.SkillViewSet, basename="skill")
router.register("leaves", resources.LeaveViewSet, basename="leave")

# Allocations.
from tandem.resources.api.allocations import AllocationViewSet  # noqa: E402

router.register("allocations", AllocationViewSet, basename="allocation")

# Conflicts.

# Suggestions and staff requests.
from tandem.resources.api import suggestions as suggestion_api  # noqa: E402

router.register(
    r"conflicts/(?P<conflict_pk>[0-9]+)/suggestions",
    suggestion_api.ConflictSuggestionViewSet,
    basename="conflict-suggestion",
)
router.register(r"staff-requests", suggestion_api.StaffRequestViewSet, basename="staffrequest")

urlpatterns = [
    # Utilisation.
    path("utilisation/", utilisation.UtilisationView.as_view(), name="resourceutilisation"),
    path(
        "utilisation/<int:pk>/<str:week>/",
        utilisation.UtilisationCellView.as_view(),
        name="resourceutilisation_cell",
    ),
    # Leveling.
    path("", include("tandem.resources.api.leveling")),
    *router.urls,
]
