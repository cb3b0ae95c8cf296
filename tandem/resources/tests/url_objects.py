"""Objects for the generic permission test: each resources URL with parameters, filled with a colleague's record."""

from tandem.testing.permissions import url_objects  # noqa: F401

# Resources, skills and leave.

# Allocations.

# Utilisation and timelines.

# Conflicts.

# Suggestions and staff requests.

# Leveling and priority.
