from django.urls import path  # noqa: F401
from rest_framework.routers import SimpleRouter

router = SimpleRouter()
# Resources, skills and leave.

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
    # Leveling.
    *router.urls,
]
