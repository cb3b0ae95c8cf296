"""Objects for the generic permission test: each resources URL with parameters, filled with a colleague's record."""

from tandem.testing.permissions import url_objects  # noqa: F401

# Resources, skills and leave.

# Allocations.

# Utilisation and timelines.

# Conflicts.


@url_objects("resources:conflict_detail", "resources:conflict_dismiss", "api:conflict-detail", "api:conflict-dismiss")
def conflict(tenant):
    from datetime import date

    from tandem.resources.models import Conflict, Resource
    from tandem.testing.permissions import seed_name

    resource = Resource.objects.create(tenant=tenant, name=seed_name(tenant, "conflict resource"))
    return {"pk": Conflict.objects.create(tenant=tenant, resource=resource, start=date.today(), end=date.today()).pk}


# Suggestions and staff requests.

# Leveling and priority.
