"""Print template and print history shapes; inputs apart from outputs."""

from __future__ import annotations

from rest_framework import serializers

from tandem.printing.models import PrintLog, PrintTemplate
from tandem.printing.render import MAX_TEMPLATE_CHARS


class PrintTemplateOutput(serializers.ModelSerializer):
    class Meta:
        model = PrintTemplate
        fields = ["id", "object_type", "name", "language", "body", "is_default", "shipped_key", "updated_at"]


class PrintTemplateInput(serializers.Serializer):
    object_type = serializers.CharField(max_length=60, help_text="A printable type, e.g. crm.contract.")
    name = serializers.CharField(max_length=100)
    language = serializers.CharField(max_length=10, default="zh-hans", help_text="zh-hans (any zh-*) or en.")
    body = serializers.CharField(max_length=MAX_TEMPLATE_CHARS, trim_whitespace=False)


class PrintTemplateUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    language = serializers.CharField(max_length=10, required=False, help_text="zh-hans (any zh-*) or en.")
    body = serializers.CharField(max_length=MAX_TEMPLATE_CHARS, trim_whitespace=False, required=False)


class PreviewInput(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_TEMPLATE_CHARS, trim_whitespace=False)
    record = serializers.IntegerField(required=False, allow_null=True, help_text="The record to preview with.")


class PrintLogOutput(serializers.ModelSerializer):
    printed_by = serializers.StringRelatedField()

    class Meta:
        model = PrintLog
        fields = [
            "id",
            "object_type",
            "object_id",
            "object_repr",
            "template",
            "template_name",
            "printed_by",
            "printed_at",
            "size",
        ]
