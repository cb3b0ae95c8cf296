# The API's factories for the generic permission test live beside the API tests; the test discovers only
# `tests.url_objects` (the pages'), so importing the package registers these too.
from tandem.approvals.tests.api import url_objects  # noqa: F401
