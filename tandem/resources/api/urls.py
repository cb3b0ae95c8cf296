from django.urls import path
from rest_framework.routers import SimpleRouter

from tandem.resources.api.views import allocations, conflicts, leveling, resources, suggestions, utilisation

# Leveling a project is at /api/v1/projects/projects/{id}/level/ (see tandem/urls.py).
router = SimpleRouter()
router.register("resources", resources.ResourceViewSet, basename="resource")
router.register("skills", resources.SkillViewSet, basename="skill")
router.register("leaves", resources.LeaveViewSet, basename="leave")
router.register("allocations", allocations.AllocationViewSet, basename="allocation")
router.register("conflicts", conflicts.ConflictViewSet, basename="conflict")
router.register(
    r"conflicts/(?P<conflict_pk>[0-9]+)/suggestions",
    suggestions.ConflictSuggestionViewSet,
    basename="conflict-suggestion",
)
router.register("staff-requests", suggestions.StaffRequestViewSet, basename="staffrequest")
router.register("leveling-proposals", leveling.ProposalViewSet, basename="resources-levelingproposal")

urlpatterns = [
    path("utilisation/", utilisation.UtilisationView.as_view(), name="resourceutilisation"),
    path(
        "utilisation/<int:pk>/<str:week>/", utilisation.UtilisationCellView.as_view(), name="resourceutilisation_cell"
    ),
    *router.urls,
]
