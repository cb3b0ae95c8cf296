"""Objects for the generic permission test: each resources URL with parameters, filled with a colleague's record."""

from tandem.testing.permissions import url_objects  # noqa: F401

# Resources, skills and leave.

# Allocations.

# Utilisation and timelines.

# Conflicts.

# Suggestions and staff requests.


# Leveling and priority.
@url_objects(
    "resources:project_level",
    "resources:priority_override",
    "api:projects-project-level",
    "api:projects-project-level-accept",
)
def _leveling_project(tenant):
    from tandem.projects.tests.url_objects import _project

    project, _member = _project(tenant)
    return {"pk": project.pk}


@url_objects(
    "resources:leveling_detail",
    "resources:leveling_accept",
    "resources:leveling_discard",
    "api:resources-levelingproposal-detail",
    "api:resources-levelingproposal-discard",
)
def _leveling_proposal(tenant):
    from tandem.projects.tests.url_objects import _project
    from tandem.resources.models import LevelingProposal

    project, member = _project(tenant)
    proposal = LevelingProposal.objects.create(
        tenant=tenant,
        project_ids=[project.pk],
        result={"projects": [], "tasks": [], "moved": 0, "violations": [], "schedules": 0},
        created_by=member.user,
    )
    return {"pk": proposal.pk}
