"""Objects for the generic permission test: each resources URL with parameters, filled with a colleague's record."""

from tandem.testing.permissions import url_objects  # noqa: F401

# Resources, skills and leave.

# Allocations.


# Utilisation and timelines.
@url_objects("resources:timeline")
def _timeline(tenant):
    from tandem.resources.tests.factories import make_resource
    from tandem.testing.permissions import seed_name

    return {"pk": make_resource(tenant, seed_name(tenant, "timeline")).pk}


# Conflicts.

# Suggestions and staff requests.

# Leveling and priority.
