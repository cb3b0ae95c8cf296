"""Input and output serializers of the imports API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.integrations.choices import ImportObjectType, RowDecision
from tandem.integrations.imports.importers import importer_for
from tandem.integrations.models import ImportJob, ImportRow
from tandem.integrations.services.jobs import encoding_label
from tandem.integrations.services.progress import job_progress


class ImportFieldOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()


class ProgressOutput(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField(allow_null=True)
    percent = serializers.IntegerField()


class ErrorSummaryOutput(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    message = serializers.CharField()
    count = serializers.IntegerField()


class ImportJobOutput(serializers.ModelSerializer):
    fields_available = serializers.SerializerMethodField(help_text="The fields columns can be mapped to.")
    mapping = serializers.DictField(
        child=serializers.CharField(), help_text="Column index (as text, 0 = first column) → field key."
    )
    headers = serializers.ListField(child=serializers.CharField(allow_blank=True))
    sample = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_blank=True)))
    errors = ErrorSummaryOutput(many=True, help_text="The most frequent errors, with how many rows have each.")
    encoding_label = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    error_report_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "object_type",
            "status",
            "file_name",
            "file_size",
            "file_format",
            "encoding",
            "encoding_label",
            "headers",
            "sample",
            "mapping",
            "fields_available",
            "default_decision",
            "skip_invalid",
            "total_rows",
            "valid_rows",
            "invalid_rows",
            "matched_rows",
            "created_count",
            "updated_count",
            "skipped_count",
            "errors",
            "error_message",
            "progress",
            "error_report_url",
            "created_at",
            "validated_at",
            "started_at",
            "finished_at",
        ]

    @extend_schema_field(ImportFieldOutput(many=True))
    def get_fields_available(self, job) -> list[dict]:
        return [
            {"key": f.key, "label": str(f.label), "required": f.required}
            for f in importer_for(job.object_type).field_list()
        ]

    def get_encoding_label(self, job) -> str:
        return encoding_label(job.encoding)

    @extend_schema_field(ProgressOutput)
    def get_progress(self, job) -> dict:
        return job_progress(job)

    def get_error_report_url(self, job) -> str:
        return f"/api/v1/imports/{job.pk}/error-report/"


class ImportRowOutput(serializers.ModelSerializer):
    values = serializers.ListField(child=serializers.CharField(allow_blank=True), help_text="The file's cells.")
    errors = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        help_text="[field key, message] pairs.",
    )
    allowed_decisions = serializers.ListField(child=serializers.ChoiceField(choices=RowDecision.choices))

    class Meta:
        model = ImportRow
        fields = [
            "number",
            "status",
            "values",
            "errors",
            "match_id",
            "match_label",
            "match_reason",
            "match_score",
            "match_exact",
            "can_update",
            "decision",
            "allowed_decisions",
        ]


class ImportCreateInput(serializers.Serializer):
    object_type = serializers.ChoiceField(choices=ImportObjectType.choices)
    file = serializers.FileField(help_text="CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX.")


class MappingInput(serializers.Serializer):
    mapping = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=50),
        help_text='Column index → field key, e.g. {"0": "name", "1": "credit_code"}; "" leaves a column out.',
    )


class DecisionsInput(serializers.Serializer):
    default_decision = serializers.ChoiceField(choices=RowDecision.choices, required=False)
    skip_invalid = serializers.BooleanField(required=False)
    rows = serializers.DictField(
        child=serializers.ChoiceField(choices=[("", "default"), *RowDecision.choices]),
        required=False,
        help_text='Row number → decision, e.g. {"12": "update"}; "" falls back to the default.',
    )

    def validate_rows(self, value):
        if any(not str(key).isdigit() or int(key) > 10**9 for key in value):
            raise serializers.ValidationError("Row numbers are positive integers.")
        if len(value) > 5000:
            raise serializers.ValidationError("At most 5000 rows at a time.")
        return {int(key): decision for key, decision in value.items()}


class CommitInput(serializers.Serializer):
    skip_invalid = serializers.BooleanField(required=False, help_text="Import the other rows when some have errors.")
