"""The tenant's print settings: the letterhead lines, the logo, the company seal (公章) and a signature image."""

from __future__ import annotations

import base64

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, full_clean, require, set_fields
from tandem.printing.models import PrintSettings

SETTINGS_FIELDS = ("company_name", "address", "phone", "tax_id", "bank_name", "bank_account", "signatory_name")
IMAGE_FIELDS = ("logo", "stamp", "signature")
MAX_IMAGE_BYTES = 1024 * 1024
# Told by the file's first bytes, not its name; SVG is left out (it can carry script and external references).
IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF87a": "gif", b"GIF89a": "gif"}


def image_kind(head: bytes) -> str:
    """png, jpeg, gif or webp from a file's first bytes; "" for anything else."""
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return ""


def clean_image(upload, field: str) -> str:
    """The image type of an upload (PNG, JPEG, GIF or WebP of at most 1 MB, by content), or a field error."""
    message = _("Upload a PNG, JPEG, GIF or WebP image of at most 1 MB.")
    if upload.size > MAX_IMAGE_BYTES:
        raise ApplicationError(message, errors={field: [message]})
    upload.seek(0)
    kind = image_kind(upload.read(16))
    upload.seek(0)
    if not kind:
        raise ApplicationError(message, errors={field: [message]})
    return kind


def print_settings_of(tenant_id: int) -> PrintSettings:
    """The tenant's settings row (unsaved defaults until an admin saves them)."""
    return PrintSettings.objects.filter(tenant_id=tenant_id).first() or PrintSettings(tenant_id=tenant_id)


def image_data_uri(file_field) -> str:
    """A stored image as a data: URI, the only way images reach the PDF renderer (it fetches nothing)."""
    if not file_field:
        return ""
    try:
        with file_field.open("rb") as handle:
            content = handle.read(MAX_IMAGE_BYTES + 1)
    except OSError:
        return ""
    kind = image_kind(content[:16])
    if not kind or len(content) > MAX_IMAGE_BYTES:
        return ""
    return f"data:image/{kind};base64,{base64.b64encode(content).decode('ascii')}"


@transaction.atomic
def print_settings_update(*, access, images: dict | None = None, clear: tuple = (), **fields) -> PrintSettings:
    """Save the letterhead; `images` maps logo/stamp/signature to uploads, `clear` names images to remove."""
    require(access, "printing.change_printsettings")
    settings = PrintSettings.objects.select_for_update().filter(tenant_id=access.tenant_id).first()
    created = settings is None
    settings = settings or PrintSettings(tenant_id=access.tenant_id)
    before = {} if created else snapshot(settings)
    set_fields(settings, fields, SETTINGS_FIELDS)
    for name in clear:
        if name in IMAGE_FIELDS:
            setattr(settings, name, "")
    for name, upload in (images or {}).items():
        if name not in IMAGE_FIELDS or upload is None:
            continue
        kind = clean_image(upload, name)
        upload.name = f"{name}.{'jpg' if kind == 'jpeg' else kind}"
        setattr(settings, name, upload)
    full_clean(settings, exclude=IMAGE_FIELDS)
    settings.save()
    action = AuditAction.CREATE if created else AuditAction.UPDATE
    audit_record(obj=settings, action=action, actor=actor_of(access), before=before or None, after=snapshot(settings))
    return settings
