"""Objects for the generic permission test: each resources URL with parameters, filled with a colleague's record."""

from tandem.testing.permissions import url_objects  # noqa: F401


# Resources, skills and leave.
@url_objects(
    "resources:resource_detail",
    "resources:resource_update",
    "resources:resource_deactivate",
    "resources:leave_create",
    "api:resource-detail",
)
def resource(tenant):
    from tandem.resources.tests.factories import make_resource
    from tandem.testing.permissions import seed_name

    return {"pk": make_resource(tenant, seed_name(tenant, "resource")).pk}


@url_objects("resources:skill_update", "resources:skill_delete", "api:skill-detail")
def skill(tenant):
    from tandem.resources.tests.factories import make_skill
    from tandem.testing.permissions import seed_name

    return {"pk": make_skill(tenant, seed_name(tenant, "skill")).pk}


@url_objects("resources:leave_update", "resources:leave_delete", "api:leave-detail")
def leave(tenant):
    from datetime import date

    from tandem.resources.tests.factories import make_leave, make_resource
    from tandem.testing.permissions import colleague, seed_name

    resource = make_resource(tenant, seed_name(tenant, "on leave"))
    return {"pk": make_leave(resource, colleague(tenant, "pm"), date(2026, 5, 6), date(2026, 5, 8)).pk}


# Allocations.

# Utilisation and timelines.

# Conflicts.

# Suggestions and staff requests.

# Leveling and priority.
