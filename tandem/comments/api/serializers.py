"""Comment shapes: what a client sends (text, files) apart from what it gets back."""

from __future__ import annotations

from rest_framework import serializers

from tandem.comments import mentions
from tandem.comments.models import BODY_MAX_LENGTH, Comment
from tandem.comments.services.comments import MAX_ATTACHMENTS


class CommentInput(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX_LENGTH, help_text="The text; `@Name` mentions a member.")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=MAX_ATTACHMENTS, help_text="multipart only"
    )


class CommentEditInput(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX_LENGTH)


class MentionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    username = serializers.CharField()

    def get_name(self, user) -> str:
        return str(user)


class CommentAttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    mime_type = serializers.CharField()


class CommentOutput(serializers.ModelSerializer):
    author_name = serializers.StringRelatedField(source="author")
    mentions = MentionOutput(many=True, read_only=True)
    attachments = CommentAttachmentOutput(many=True, read_only=True)
    html = serializers.SerializerMethodField(help_text="The text escaped, with resolved mentions highlighted.")
    is_deleted = serializers.BooleanField(read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "object_type",
            "object_id",
            "author",
            "author_name",
            "body",
            "html",
            "mentions",
            "attachments",
            "is_deleted",
            "created_at",
            "edited_at",
            "deleted_at",
        ]

    def get_html(self, comment) -> str:
        names = [n for user in comment.mentions.all() for n in (user.display_name, user.username)]
        return str(mentions.render(comment.body, names))
