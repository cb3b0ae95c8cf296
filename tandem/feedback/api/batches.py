"""The bulk-send API: POST starts a batch (account filters, template, channel); GET lists batches with their counts."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from tandem.core.api.inputs import in_tenant, validated
from tandem.core.api.views import TenantViewSetMixin
from tandem.feedback.choices import SurveyChannel
from tandem.feedback.models import SurveyBatch, SurveyTemplate
from tandem.feedback.selectors.batches import FILTER_KEYS
from tandem.feedback.services.batches import survey_batch_start


class SurveyBatchOutput(serializers.ModelSerializer):
    template_name = serializers.CharField(source="template.name", read_only=True)
    filters = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = SurveyBatch
        fields = [
            "id",
            "template",
            "template_name",
            "filters",
            "status",
            "total",
            "sent",
            "skipped",
            "failed",
            "error",
            "created_by",
            "created_at",
            "finished_at",
        ]


class SurveyBatchInput(serializers.Serializer):
    filters = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=200),
        required=False,
        default=dict,
        help_text="The account list's filters: " + ", ".join(FILTER_KEYS) + ".",
    )
    template = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=SurveyChannel.choices, required=False, default=SurveyChannel.EMAIL)

    def validate_filters(self, value):
        unknown = sorted(set(value) - set(FILTER_KEYS))
        if unknown:
            raise serializers.ValidationError(f"Unknown filters: {', '.join(unknown)}.")
        return value


class SurveyBatchViewSet(TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bulk sends: the primary contact of every account matching the filters is asked; the worker counts as it goes
    (sent, skipped with a reason, failed). Starting the same batch again while it runs returns it (200)."""

    permission_object = "feedback.survey"
    queryset = SurveyBatch.objects.select_related("template")
    serializer_class = SurveyBatchOutput
    filterset_fields = ["status", "template"]
    ordering = ["-created_at", "-id"]

    @extend_schema(request=SurveyBatchInput, responses={201: SurveyBatchOutput, 200: SurveyBatchOutput})
    def create(self, request):
        access = request.access
        data = validated(SurveyBatchInput, request.data)
        asked_at = timezone.now()
        batch = survey_batch_start(
            access=access,
            filters=data["filters"],
            template=in_tenant(access, SurveyTemplate, data["template"], "template"),
            channel=data["channel"],
        )
        created = batch.created_at >= asked_at
        return Response(
            SurveyBatchOutput(batch).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
