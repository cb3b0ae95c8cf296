"""Files attached to a record: size, type and content checked, stored with their SHA-256, audited."""

from __future__ import annotations

import hashlib
import mimetypes

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.models import Attachment
from tandem.core.services import actor_of, check_tenant, require

ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
    "text/csv",
    "application/zip",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-project",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/xml",
    "text/xml",
    "image/vnd.dwg",
    "application/acad",
}


@transaction.atomic
def attachment_add(*, access, obj, upload) -> Attachment:
    """Attach an uploaded file to a record after checking its size and type."""
    require(access, "core.add_attachment")
    check_tenant(access, obj)
    if upload.size > settings.TANDEM_ATTACHMENT_MAX_BYTES:
        raise ApplicationError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.TANDEM_ATTACHMENT_MAX_BYTES // 1024 // 1024},
            errors={"file": [_("Too large.")]},
        )
    if upload.size == 0:
        raise ApplicationError(_("The file is empty."), errors={"file": [_("Empty.")]})
    guessed = mimetypes.guess_type(upload.name)[0] or "application/octet-stream"
    if guessed not in ALLOWED_ATTACHMENT_TYPES:
        raise ApplicationError(
            _("This type of file cannot be attached."),
            errors={"file": [_("Files of type %(type)s are not accepted.") % {"type": guessed}]},
        )
    head = upload.read(8)
    upload.seek(0)
    if not _content_matches(guessed, head):
        raise ApplicationError(
            _("The file's content does not match its name."),
            errors={"file": [_("The content is not a %(type)s file.") % {"type": guessed}]},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    attachment = Attachment(
        tenant_id=access.tenant_id,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        name=upload.name[:255],
        size=upload.size,
        mime_type=guessed,
        sha256=digest.hexdigest(),
        uploaded_by_id=access.user_id,
    )
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.save()
        audit_record(obj=attachment, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(attachment))
    except Exception:
        attachment.file.delete(save=False)  # no row points at it
        raise
    return attachment


# Leading bytes of the types whose content can be told apart; executables are refused whatever the name.
_SIGNATURES = {
    "application/pdf": (b"%PDF",),
    "image/png": (b"\x89PNG",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/zip": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (b"PK\x03\x04",),
}
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!")


def _content_matches(mime_type: str, head: bytes) -> bool:
    if head.startswith(_EXECUTABLE):
        return False
    signatures = _SIGNATURES.get(mime_type)
    return signatures is None or head.startswith(signatures)
