from django.urls import path  # noqa: F401
from rest_framework.routers import SimpleRouter

from tandem.resources.api import utilisation

router = SimpleRouter()
# Resources, skills and leave.

# Allocations.

# Conflicts.

# Suggestions and staff requests.

urlpatterns = [
    # Utilisation.
    path("utilisation/", utilisation.UtilisationView.as_view(), name="resourceutilisation"),
    path(
        "utilisation/<int:pk>/<str:week>/",
        utilisation.UtilisationCellView.as_view(),
        name="resourceutilisation_cell",
    ),
    # Leveling.
    *router.urls,
]
