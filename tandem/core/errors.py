"""Application errors raised by services; views and the API turn them into messages."""

from django.utils.translation import gettext_lazy as _

# The key of errors that belong to no one field, in services, pages and the API alike (DRF's own key).
NON_FIELD = "non_field_errors"


class ApplicationError(Exception):
    """A business rule refused the request; the message is shown to the user as is."""

    status = 400
    title = _("The request could not be completed")

    def __init__(self, message, *, errors: dict | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.code = code


class PermissionDenied(ApplicationError):
    status = 403
    title = _("Permission denied")


class NotFound(ApplicationError):
    status = 404
    title = _("Not found")


class Conflict(ApplicationError):
    status = 409
    title = _("Conflict")
