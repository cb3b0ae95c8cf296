"""Objects for the generic permission test: each resources URL with parameters, filled with a colleague's record."""

from tandem.testing.permissions import url_objects  # noqa: F401

# Resources, skills and leave.

# Allocations.

# Utilisation and timelines.

# Conflicts.

# Suggestions and staff requests.
__import__("tandem.resources.tests.suggestion_url_objects")  # registers its factories (no import line to sort)

# Leveling and priority.
