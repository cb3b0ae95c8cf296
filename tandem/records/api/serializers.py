"""Serializers of the shared record endpoints: attachments, shares, owner transfer, recycle bin, numbering."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from tandem.core import permissions
from tandem.core.models import Attachment, NumberingRule, RecordShare


class AttachmentOutput(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "mime_type", "sha256", "uploaded_by", "created_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return f"/api/v1/attachments/{obj.pk}/download/"


class TransferInput(serializers.Serializer):
    owner = serializers.IntegerField()
    reason = serializers.CharField(max_length=500)


class ShareOutput(serializers.ModelSerializer):
    class Meta:
        model = RecordShare
        fields = ["id", "user", "level", "expires_at", "granted_by", "created_at"]


class ShareInput(serializers.Serializer):
    user = serializers.IntegerField()
    level = serializers.ChoiceField(choices=RecordShare.Level.choices, default=RecordShare.Level.READ)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class RecycleBinEntry(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    label = serializers.CharField()
    deleted_at = serializers.DateTimeField()
    deleted_by = serializers.IntegerField(allow_null=True)


class NumberingRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = NumberingRule
        fields = ["id", "object_type", "prefix", "reset", "padding", "separator"]

    def validate_object_type(self, value):
        if value not in {t.key for t in permissions.object_types()}:
            raise serializers.ValidationError(_("Unknown object type."))
        return value

    def validate_padding(self, value):
        if not 1 <= value <= 10:
            raise serializers.ValidationError(_("Use 1 to 10 digits."))
        return value

    def validate_prefix(self, value):
        if not value.replace("-", "").replace("_", "").isalnum():
            raise serializers.ValidationError(_("Use letters and digits only."))
        return value
