from django.apps import AppConfig


class TestingConfig(AppConfig):
    """Models and handlers that exist only in the test settings, to exercise the shared mechanisms."""

    name = "tandem.testing"
    label = "testing"

    def ready(self) -> None:
        from tandem.core import permissions
        from tandem.testing import handlers  # noqa: F401

        permissions.register_type("testing", "samplerecord", "Sample record", fields={"phone": "Phone"})
        permissions.register_type("testing", "sampleitem", "Sample item")
