"""Objects for the generic permission test: each resources URL with parameters, filled with a colleague's record."""

from tandem.testing.permissions import url_objects  # noqa: F401

# Resources, skills and leave.

# Allocations.


# Utilisation and timelines.
@url_objects("resources:timeline", "resources:utilisation_cell", "api:resourceutilisation_cell")
def _utilisation(tenant):
    from tandem.resources.tests.factories import make_resource
    from tandem.testing.permissions import seed_name

    return {"pk": make_resource(tenant, seed_name(tenant, "utilisation")).pk, "week": "2026-03-02"}


# Conflicts.

# Suggestions and staff requests.

# Leveling and priority.
