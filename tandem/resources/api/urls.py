from django.urls import path  # noqa: F401
from rest_framework.routers import SimpleRouter

from tandem.resources.api import conflicts as conflict_api

router = SimpleRouter()
# Resources, skills and leave.

# Allocations.

# Conflicts.
router.register("conflicts", conflict_api.ConflictViewSet, basename="conflict")

# Suggestions and staff requests.

urlpatterns = [
    # Utilisation.
    # Leveling.
    *router.urls,
]
