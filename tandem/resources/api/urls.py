from django.urls import include, path  # noqa: F401
from rest_framework.routers import SimpleRouter

router = SimpleRouter()
# Resources, skills and leave.

# Allocations.

# Conflicts.

# Suggestions and staff requests.

urlpatterns = [
    # Utilisation.
    path("utilisation/", include("tandem.resources.api.utilisation_urls")),
    # Leveling.
    *router.urls,
]
