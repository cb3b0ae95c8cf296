"""Comments on any record (a deal, a project, a contract…), with the members they mention and their files."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel

BODY_MAX_LENGTH = 4000


class Comment(TenantModel):
    """A member's remark on a record, pointed at generically (`crm.deal` + id) the way audit rows are."""

    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CommentMention", related_name="comment_mentions", blank=True
    )
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    # Deleted comments stay as a "comment deleted" row in the timeline; the text is cleared.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attachments = GenericRelation("core.Attachment")

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "object_type", "object_id", "created_at"], name="comment_record_idx"),
        ]

    def __str__(self) -> str:
        return self.body[:60] if not self.deleted_at else str(_("Comment deleted"))

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class CommentMention(TenantModel):
    """A member a comment mentions, resolved when it was written (a name nobody in the tenant has stays text)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mention_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "comment", "user"], name="comment_mention_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.comment_id} @{self.user_id}"
