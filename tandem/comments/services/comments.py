"""Writing comments: posting one (with its mentions and files), editing it within the window, deleting it."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.comments import events, mentions
from tandem.comments.models import BODY_MAX_LENGTH, Comment, CommentMention
from tandem.comments.registry import commentable, record_for
from tandem.core.errors import ApplicationError, NotFound, PermissionDenied
from tandem.core.events import emit
from tandem.core.services import active_members, actor_of, check_tenant, full_clean
from tandem.records.services.attachments import attachment_add

EDIT_WINDOW = timedelta(minutes=15)
MAX_ATTACHMENTS = 5
EXCERPT_LENGTH = 140


@transaction.atomic
def comment_create(*, access, type_key: str, object_id, body: str, files=()) -> Comment:
    """Post a comment on a record the caller may view; the members it @mentions are told once each."""
    record = record_for(access, type_key, object_id)
    body = _clean_body(body)
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        message = _("Attach at most %(n)d files to one comment.") % {"n": MAX_ATTACHMENTS}
        raise ApplicationError(message, errors={"files": [message]})
    comment = Comment(
        tenant_id=access.tenant_id, object_type=type_key, object_id=str(record.pk), author_id=access.user_id, body=body
    )
    full_clean(comment, exclude=["tenant", "author"])
    comment.save()
    mentioned = _save_mentions(comment)
    for upload in files:
        attachment_add(access=access, obj=comment, upload=upload)
    audit_record(obj=comment, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(comment))
    payload = _payload(comment, record)
    emit(events.COMMENT_CREATED, tenant=access.tenant_id, actor=access.user_id, payload=payload)
    _emit_mentions(access, comment, payload, mentioned)
    return comment


@transaction.atomic
def comment_edit(*, access, comment: Comment, body: str) -> Comment:
    """Change a comment's text: its author only, within 15 minutes of posting; new mentions are told."""
    comment = _locked(access, comment)
    record = record_for(access, comment.object_type, comment.object_id)
    if comment.is_deleted:
        raise ApplicationError(_("This comment was deleted."), errors={"body": [_("Deleted.")]})
    if comment.author_id != access.user_id:
        raise PermissionDenied(_("Only the author can edit a comment."))
    if timezone.now() - comment.created_at > EDIT_WINDOW:
        message = _("A comment can be edited for 15 minutes after it was posted; post a new one instead.")
        raise ApplicationError(message, errors={"body": [message]})
    before = snapshot(comment)
    already = set(comment.mention_rows.values_list("user_id", flat=True))
    comment.body = _clean_body(body)
    comment.edited_at = timezone.now()
    full_clean(comment, exclude=["tenant", "author"])
    comment.save(update_fields=["body", "edited_at", "updated_at"])
    mentioned = _save_mentions(comment)
    audit_record(obj=comment, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(comment))
    _emit_mentions(access, comment, _payload(comment, record), [pk for pk in mentioned if pk not in already])
    return comment


@transaction.atomic
def comment_delete(*, access, comment: Comment) -> Comment:
    """Delete a comment (its author, or whoever may delete any comment): the row stays as "comment deleted"."""
    comment = _locked(access, comment)
    record_for(access, comment.object_type, comment.object_id)
    if comment.is_deleted:
        return comment
    if comment.author_id != access.user_id and not access.has_perm("comments.delete_comment"):
        raise PermissionDenied(_("Only the author or an administrator can delete a comment."))
    before = snapshot(comment)
    comment.body = ""
    comment.deleted_at = timezone.now()
    comment.deleted_by_id = access.user_id
    comment.save(update_fields=["body", "deleted_at", "deleted_by", "updated_at"])
    comment.mention_rows.all().delete()
    attachments = list(comment.attachments.all())
    for attachment in attachments:
        attachment.delete()
    # The files go once the deletion is committed: a rolled-back delete keeps comment and files together.
    transaction.on_commit(lambda: [a.file.delete(save=False) for a in attachments])
    audit_record(obj=comment, action=AuditAction.DELETE, actor=actor_of(access), before=before)
    return comment


def may_edit(access, comment: Comment, now=None) -> bool:
    """Whether the edit button shows: the author, not deleted, within the window."""
    now = now or timezone.now()
    return not comment.is_deleted and comment.author_id == access.user_id and now - comment.created_at <= EDIT_WINDOW


def may_delete(access, comment: Comment) -> bool:
    return not comment.is_deleted and (
        comment.author_id == access.user_id or access.has_perm("comments.delete_comment")
    )


def _locked(access, comment: Comment) -> Comment:
    check_tenant(access, comment)
    locked = Comment.objects.select_for_update().filter(tenant_id=access.tenant_id, pk=comment.pk).first()
    if locked is None:
        raise NotFound(_("Not found."), code="not_found")
    return locked


def _clean_body(body) -> str:
    body = (body or "").strip()
    if not body:
        raise ApplicationError(_("Write something first."), errors={"body": [_("This field is required.")]})
    if len(body) > BODY_MAX_LENGTH:
        message = _("A comment holds at most %(n)d characters.") % {"n": BODY_MAX_LENGTH}
        raise ApplicationError(message, errors={"body": [message]})
    return body


def _save_mentions(comment: Comment) -> list[int]:
    """Resolve the text's @names against the tenant's active members and store them; the ids, in text order."""
    members = active_members(comment.tenant_id).values_list("pk", "display_name", "username")
    ids = mentions.mentioned_ids(comment.body, ((pk, (name, username)) for pk, name, username in members))
    ids = [pk for pk in ids if pk != comment.author_id]
    comment.mention_rows.exclude(user_id__in=ids).delete()
    kept = set(comment.mention_rows.values_list("user_id", flat=True))
    CommentMention.objects.bulk_create(
        [CommentMention(tenant_id=comment.tenant_id, comment=comment, user_id=pk) for pk in ids if pk not in kept]
    )
    return ids


def _payload(comment: Comment, record) -> dict:
    return {
        "comment": comment.pk,
        "object_type": comment.object_type,
        "object_id": comment.object_id,
        "object_repr": str(record)[:200],
        "url": commentable(comment.object_type).url(record),
        "author": comment.author_id,
        "excerpt": comment.body[:EXCERPT_LENGTH],
    }


def _emit_mentions(access, comment: Comment, payload: dict, user_ids) -> None:
    for user_id in user_ids:
        emit(
            events.COMMENT_MENTIONED,
            tenant=access.tenant_id,
            actor=access.user_id,
            payload={**payload, "user": user_id},
        )
