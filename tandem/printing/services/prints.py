"""Printing a record: the template rendered in the sandbox against the record's plain data, to PDF, with the
print written to the history and the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record
from tandem.core.errors import ApplicationError, NotFound
from tandem.core.services import actor_of, require
from tandem.printing import defaults, registry
from tandem.printing.models import PrintLog, PrintTemplate
from tandem.printing.render import PrintError, html_to_pdf, render_html
from tandem.printing.services.settings import image_data_uri, print_settings_of
from tandem.printing.services.templates import check_body, template_for


@dataclass
class Printed:
    pdf: bytes
    filename: str
    log: PrintLog | None = None


def company_data(tenant_id: int, tenant_name: str = "") -> dict:
    """The tenant's letterhead as template data; images as data: URIs."""
    settings = print_settings_of(tenant_id)
    return {
        "name": settings.company_name or tenant_name,
        "address": settings.address,
        "phone": settings.phone,
        "tax_id": settings.tax_id,
        "bank_name": settings.bank_name,
        "bank_account": settings.bank_account,
        "signatory": settings.signatory_name,
        "logo": image_data_uri(settings.logo),
        "stamp": image_data_uri(settings.stamp),
        "signature": image_data_uri(settings.signature),
    }


def printable_or_404(object_type: str):
    printable = registry.get(object_type)
    if printable is None or not printable.printable:
        raise NotFound(_("Not found."), code="not_found")
    return printable


def record_for_print(*, access, printable, pk):
    """The record, if the caller may print it (the print permission's data scope); else a 404."""
    require(access, printable.permission_code)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(_("Not found."), code="not_found") from None
    obj = printable.model.objects.restrict(access, "print").filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Not found."), code="not_found")
    return obj


def print_data(*, access, printable, obj) -> dict:
    """What a template sees: the company, who prints and when, and the record's own plain data."""
    tenant = access.membership.tenant
    actor = actor_of(access)
    return {
        "company": company_data(access.tenant_id, tenant.name),
        "printed_at": timezone.now().isoformat(),
        "printed_by": str(actor) if actor is not None else "",
        **printable.context(obj),
    }


def _pdf(body: str, data: dict, language: str) -> bytes:
    try:
        return html_to_pdf(render_html(body, data, language=language))
    except PrintError as exc:
        raise ApplicationError(_("The template has errors."), errors={"body": exc.reasons}) from None


def _filename(template: PrintTemplate, obj) -> str:
    name = f"{template.name}-{obj}".strip()
    cleaned = "".join("_" if ch in '\\/:*?"<>|\r\n\t' else ch for ch in name)
    return f"{cleaned[:120]}.pdf"


def record_print(*, access, object_type: str, pk, template_id=None) -> Printed:
    """The PDF of one record with the named (or default) template; the print is logged and audited."""
    printable = printable_or_404(object_type)
    obj = record_for_print(access=access, printable=printable, pk=pk)
    template = template_for(access=access, object_type=object_type, template_id=template_id)
    # Rendering takes a while and reads only: the history row is written after it, in a short transaction.
    with translation.override(template.language):
        data = print_data(access=access, printable=printable, obj=obj)
    pdf = _pdf(template.body, data, template.language)
    with transaction.atomic():
        log = PrintLog.objects.create(
            tenant_id=access.tenant_id,
            object_type=object_type,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            template=template,
            template_name=template.name,
            printed_by=actor_of(access),
            size=len(pdf),
        )
        audit_record(
            obj=obj,
            action=AuditAction.EXPORT,
            actor=actor_of(access),
            after={"format": "pdf", "print_template": template.name, "print_template_id": template.pk},
        )
    return Printed(pdf=pdf, filename=_filename(template, obj), log=log)


def template_preview(*, access, object_type: str, body: str, language: str, pk=None) -> Printed:
    """A template's PDF before it is saved: against a record the admin may print, or the sample data."""
    require(access, "printing.change_printtemplate")
    printable = registry.get(object_type)
    if printable is None:
        raise NotFound(_("Not found."), code="not_found")
    check_body(body)
    language = defaults.language_of(language)
    if pk not in (None, "") and printable.printable:
        obj = record_for_print(access=access, printable=printable, pk=pk)
        with translation.override(language):
            data = print_data(access=access, printable=printable, obj=obj)
    elif printable.sample is not None:
        data = {**printable.sample(), "company": company_data(access.tenant_id, access.membership.tenant.name)}
    else:
        message = _("Choose a record to preview with.")
        raise ApplicationError(message, errors={"record": [message]})
    return Printed(pdf=_pdf(body, data, language), filename="preview.pdf")
