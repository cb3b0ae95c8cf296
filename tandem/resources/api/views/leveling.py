"""Leveling API: level a project (with other projects, as a portfolio), accept or discard the proposal, read
proposals. The two project paths live under /api/v1/projects/projects/{id}/ (registered in `tandem/urls.py`, the
projects app knowing nothing of resources); every write goes through `tandem.resources.services.leveling`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from tandem.core.api.inputs import not_found, validated
from tandem.core.api.views import IdempotentPostMixin, TenantReadOnlyViewSet
from tandem.core.errors import ApplicationError, NotFound
from tandem.projects.models import Project
from tandem.resources.api.serializers.leveling import (
    AcceptInput,
    LevelInput,
    ProposalOutput,
)
from tandem.resources.models import LevelingProposal
from tandem.resources.services import leveling as services


def _project(request, pk) -> Project:
    project = Project.objects.restrict(request.access).filter(pk=pk).first()
    if project is None:
        raise NotFound(_("Not found."), code="not_found")
    return project


class ProjectLevelView(IdempotentPostMixin, APIView):
    """Level the project's resources (with the other projects named, as one portfolio): the proposal, to accept or
    discard. Nothing in the projects changes yet."""

    def get_permission_code(self):
        return "resources.add_levelingproposal"

    @extend_schema(request=LevelInput, responses={200: ProposalOutput}, operation_id="projects_projects_level")
    def post(self, request, pk):
        project = _project(request, pk)
        data = validated(LevelInput, request.data)
        others = list(Project.objects.restrict(request.access).filter(pk__in=data["projects"]))
        if len({p.pk for p in others}) != len(set(data["projects"])):
            raise not_found("projects")
        proposal = services.leveling_propose(access=request.access, projects=[project, *others], budget=data["budget"])
        return Response(ProposalOutput(proposal).data)


class ProjectLevelAcceptView(IdempotentPostMixin, APIView):
    """Accept a proposal of this project: its moves become start-no-earlier-than constraints and the projects are
    rescheduled, all or nothing; a proposal whose inputs changed since is refused (400, code `stale`)."""

    def get_permission_code(self):
        return "resources.change_levelingproposal"

    @extend_schema(request=AcceptInput, responses={200: ProposalOutput}, operation_id="projects_projects_level_accept")
    def post(self, request, pk):
        project = _project(request, pk)
        data = validated(AcceptInput, request.data)
        proposal = LevelingProposal.objects.restrict(request.access).filter(pk=data["proposal"]).first()
        if proposal is None or project.pk not in proposal.project_ids:
            raise not_found("proposal")
        if proposal.status != "proposed":
            raise ApplicationError(
                _("This proposal was already %(status)s.") % {"status": proposal.get_status_display()},
                errors={"proposal": [_("Already decided.")]},
                code="decided",
            )
        proposal = services.leveling_accept(access=request.access, proposal=proposal)
        return Response(ProposalOutput(proposal).data)


class ProposalViewSet(TenantReadOnlyViewSet):
    """Leveling proposals you can see, newest first; discarding one."""

    queryset = LevelingProposal.objects.all()
    serializer_class = ProposalOutput
    action_permissions = {"discard": "change"}

    @extend_schema(request=None, responses={200: ProposalOutput})
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        proposal = services.leveling_discard(access=request.access, proposal=self.get_object())
        return Response(ProposalOutput(proposal).data)


# Proposals under /api/v1/resources/ (included by `api/urls.py`; the two project paths are in `tandem/urls.py`).
router = SimpleRouter()


router.register("leveling-proposals", ProposalViewSet, basename="resources-levelingproposal")


urlpatterns = router.urls
