"""Printing from a record page (the PDF download) and the print history."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError, NotFound, PermissionDenied
from tandem.core.views import rows_page, safe_next, tenant_view
from tandem.printing import registry, selectors
from tandem.printing.api.views import pdf_response
from tandem.printing.services import prints as service


@tenant_view()
def record_print(request, object_type: str, pk: int):
    """The record's PDF with `?template=` (or the type's default); the type's print permission is checked by the
    service, and a record out of reach is a 404."""
    try:
        printed = service.record_print(
            access=request.access, object_type=object_type, pk=pk, template_id=request.GET.get("template")
        )
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        reasons = [str(m) for messages_ in (exc.errors or {}).values() for m in messages_] or [exc.message]
        messages.error(request, _("The print failed: %(reasons)s") % {"reasons": "; ".join(reasons)})
        return redirect(safe_next(request, "/"))
    return pdf_response(printed)


@tenant_view("printing.view_printlog")
def history(request):
    """Who printed which record with which template, newest first."""
    labels = {p.object_type: p.label for p in registry.printable_types()}
    return rows_page(
        request,
        rows=selectors.print_log_list(access=request.access),
        template="printing/history.html",
        partial="printing/partials/history_rows.html",
        context={"labels": labels},
    )
