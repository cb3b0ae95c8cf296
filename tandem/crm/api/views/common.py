"""What every crm endpoint shares: the viewset base, owner changes only by transfer, list exports."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action

from tandem.audit.models import SecurityEventKind
from tandem.audit.services.audit import security_event
from tandem.core.api.views import TenantViewSet
from tandem.core.errors import ApplicationError
from tandem.core.exports import export_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def refuse_owner_change(data: dict) -> None:
    """Owners change through the audited transfer endpoint, with a reason, not through an edit."""
    if "owner" in data:
        raise ApplicationError(
            _("Change the owner with a transfer (POST /api/v1/records/<type>/<id>/transfer/)."),
            errors={"owner": [_("Use a transfer.")]},
        )


class CrmViewSet(TenantViewSet):
    """A crm endpoint: scoped by the base class, loaded by its selector (`related`)."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def related(self, qs):
        return qs

    def get_queryset(self):
        return self.related(super().get_queryset())


class ExportMixin:
    """`GET …/export/?fmt=csv|xlsx`: the list with the same filters and ordering, as a file."""

    action_permissions = {"export": "export"}
    export_columns = None
    export_basename = ""

    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, enum=["csv", "xlsx"], description="File format (default csv).")],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY},
        filters=True,
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The filtered list as CSV or XLSX; field rules apply, and the export is a security event."""
        rows = self.filter_queryset(self.get_queryset())
        fmt = "xlsx" if request.query_params.get("fmt") == "xlsx" else "csv"
        with transaction.atomic():
            security_event(
                kind=SecurityEventKind.PERSONAL_DATA_EXPORT,
                tenant_id=request.access.tenant_id,
                user=request.user,
                export=self.export_basename,
                format=fmt,
                filters={k: v[:100] for k, v in request.query_params.items() if k != "fmt"},
            )
        columns = self.export_columns(request.access)
        return export_response(rows.iterator(chunk_size=2000), columns, basename=self.export_basename, fmt=fmt)
