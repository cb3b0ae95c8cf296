"""Leveling API: level a project (with other projects, as a portfolio), accept or discard the proposal, read
proposals. The two project paths live under /api/v1/projects/projects/{id}/ (registered in `tandem/urls.py`, the
projects app knowing nothing of resources); every write goes through `tandem.resources.services.leveling`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from tandem.core.api.inputs import not_found, validated
from tandem.core.api.views import IdempotentPostMixin, TenantReadOnlyViewSet
from tandem.core.errors import ApplicationError, NotFound
from tandem.projects.models import Project
from tandem.resources.models import LevelingProposal
from tandem.resources.services import leveling as services


class ProposalProjectOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    number = serializers.CharField()
    priority = serializers.IntegerField()
    finish_before = serializers.CharField(allow_null=True, help_text="Local date and time, before leveling.")
    finish_after = serializers.CharField(allow_null=True, help_text="Local date and time, after leveling.")


class ProposalTaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    project_id = serializers.IntegerField()
    name = serializers.CharField()
    wbs = serializers.CharField()
    summary = serializers.BooleanField()
    milestone = serializers.BooleanField()
    before_start = serializers.CharField(allow_null=True)
    before_finish = serializers.CharField(allow_null=True)
    after_start = serializers.CharField(allow_null=True)
    after_finish = serializers.CharField(allow_null=True)
    moved = serializers.BooleanField()
    delay_minutes = serializers.IntegerField(help_text="Working minutes later than the resource-free schedule.")
    reason = serializers.ChoiceField(
        choices=["", "resource", "predecessor", "start"],
        help_text="resource: `resource` was over capacity; predecessor: `pushed_by` moved and pushed it.",
    )
    resource = serializers.CharField()
    pushed_by = serializers.CharField()


class ProposalViolationOutput(serializers.Serializer):
    kind = serializers.CharField()
    tasks = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class ProposalOutput(serializers.ModelSerializer):
    projects = ProposalProjectOutput(source="result.projects", many=True)
    tasks = ProposalTaskOutput(source="result.tasks", many=True)
    moved = serializers.IntegerField(source="result.moved", help_text="How many tasks start later.")
    violations = ProposalViolationOutput(
        source="result.violations", many=True, help_text="Latest-date constraints the leveled schedule misses."
    )
    schedules = serializers.IntegerField(source="result.schedules", help_text="Schedules the search generated.")

    class Meta:
        model = LevelingProposal
        fields = [
            "id",
            "status",
            "project_ids",
            "budget",
            "fingerprint",
            "projects",
            "tasks",
            "moved",
            "violations",
            "schedules",
            "created_by",
            "created_at",
            "decided_at",
        ]


class LevelInput(serializers.Serializer):
    budget = serializers.IntegerField(
        required=False, default=1000, min_value=1, max_value=services.MAX_BUDGET, help_text="Schedules to generate."
    )
    projects = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        max_length=services.MAX_PROJECTS,
        help_text="Other projects to level together with this one (a portfolio).",
    )


class AcceptInput(serializers.Serializer):
    proposal = serializers.IntegerField(help_text="The id of the proposal to accept.")


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
