"""Reads of comments: a record's thread, one comment within reach, the members a comment may mention."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from tandem.comments.models import Comment
from tandem.comments.registry import record_for
from tandem.core.errors import NotFound
from tandem.core.models import Attachment
from tandem.core.services import active_members

MENTION_SUGGESTIONS = 8


def comment_related(qs):
    """Everything a rendered comment shows, in a constant number of queries whatever the thread's length."""
    return qs.select_related("author", "deleted_by").prefetch_related(
        "mentions", Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )


def comment_thread(*, access, type_key: str, object_id):
    """The comments on a record the caller may view, oldest first; another's record is a 404."""
    record = record_for(access, type_key, object_id)
    return comment_related(
        Comment.objects.filter(tenant_id=access.tenant_id, object_type=type_key, object_id=str(record.pk))
    ).order_by("created_at", "pk")


def comments_on(*, tenant_id: int, type_key: str, object_ids):
    """The comments on records an upper app already loaded within the caller's reach (for its timelines)."""
    return Comment.objects.filter(
        tenant_id=tenant_id, object_type=type_key, object_id__in=[str(pk) for pk in object_ids]
    ).order_by()


def comments_by_id(ids) -> dict[int, Comment]:
    """Comments to render, by id (the rows of a timeline page already chose them)."""
    return comment_related(Comment.objects.filter(pk__in=list(ids))).in_bulk() if ids else {}


def comment_get(*, access, pk) -> Comment:
    """One comment, if the caller may view the record it is on; else a 404."""
    comment = Comment.objects.filter(tenant_id=access.tenant_id, pk=pk).first() if str(pk).isdigit() else None
    if comment is None:
        raise NotFound(_("Not found."), code="not_found")
    record_for(access, comment.object_type, comment.object_id)
    return comment_related(Comment.objects.filter(pk=comment.pk)).get()


def comment_attachment(*, access, pk) -> Attachment:
    """A file of a comment the caller may view; else a 404."""
    attachment = Attachment.objects.filter(
        tenant_id=access.tenant_id, pk=pk, content_type=ContentType.objects.get_for_model(Comment)
    ).first()
    if attachment is None:
        raise NotFound(_("Not found."), code="not_found")
    comment_get(access=access, pk=attachment.object_id)
    return attachment


def mention_candidates(*, access, type_key: str, object_id, prefix: str):
    """Active members of the caller's tenant whose display name or username starts with `prefix` (any case)."""
    record_for(access, type_key, object_id)
    prefix = (prefix or "").strip()[:50]
    qs = active_members(access.tenant_id).exclude(pk=access.user_id)
    if prefix:
        qs = qs.filter(Q(display_name__istartswith=prefix) | Q(username__istartswith=prefix))
    return qs.order_by("display_name", "username").distinct()[:MENTION_SUGGESTIONS]
