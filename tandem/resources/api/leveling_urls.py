"""Leveling proposals under /api/v1/resources/ (the project paths are in `tandem/urls.py`)."""

from rest_framework.routers import SimpleRouter

from tandem.resources.api.leveling import ProposalViewSet

router = SimpleRouter()
router.register("leveling-proposals", ProposalViewSet, basename="resources-levelingproposal")

urlpatterns = router.urls
