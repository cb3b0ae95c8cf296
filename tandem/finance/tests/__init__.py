from tandem.finance.tests.api import url_objects  # noqa: F401  (registers the API factories)
