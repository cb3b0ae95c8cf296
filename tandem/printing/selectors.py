"""Reads for printing: templates per type, the print history, the records a preview can use."""

from __future__ import annotations

from tandem.core.errors import NotFound
from tandem.printing import registry
from tandem.printing.models import PrintLog, PrintTemplate


def template_list(*, access, object_type: str = ""):
    """The tenant's print templates (of one type when given); empty without the view permission."""
    if not access.has_perm("printing.view_printtemplate"):
        return PrintTemplate.objects.none()
    qs = PrintTemplate.objects.filter(tenant_id=access.tenant_id)
    return qs.filter(object_type=object_type) if object_type else qs


def print_menu(*, access, object_type: str) -> list[dict]:
    """The templates a print button offers for a type (id and name, default first), if the caller may print it.

    Empty when the caller may not print; [{"id": None, …}] when the tenant has no template yet (the print seeds
    the shipped default).
    """
    printable = registry.get(object_type)
    if printable is None or not printable.printable or not access.has_perm(printable.permission_code):
        return []
    rows = PrintTemplate.objects.filter(tenant_id=access.tenant_id, object_type=object_type).order_by(
        "-is_default", "name"
    )
    items = [{"id": t.pk, "name": t.name, "is_default": t.is_default} for t in rows.only("pk", "name", "is_default")]
    return items or [{"id": None, "name": "", "is_default": True}]


def print_log_list(*, access):
    """Who printed what, newest first."""
    if not access.has_perm("printing.view_printlog"):
        return PrintLog.objects.none()
    return PrintLog.objects.filter(tenant_id=access.tenant_id).select_related("printed_by", "template")


def preview_records(*, access, object_type: str, limit: int = 50) -> list[tuple[int, str]]:
    """Recent records of a type the caller may print, for the editor's preview choice."""
    printable = registry.get(object_type)
    if printable is None or not printable.printable or not access.has_perm(printable.permission_code):
        return []
    return [(obj.pk, str(obj)) for obj in printable.model.objects.restrict(access, "print").order_by("-pk")[:limit]]


def template_or_404(*, access, pk) -> PrintTemplate:
    found = template_list(access=access).filter(pk=pk).first()
    if found is None:
        raise NotFound("Not found.", code="not_found")
    return found
