"""The feedback API: survey templates, surveys (POST sends one), the answers and the detractors' recoveries."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import in_tenant, validated, visible
from tandem.core.api.views import TenantReadOnlyViewSet, TenantViewSet, TenantViewSetMixin
from tandem.crm.models import Account, Contact
from tandem.feedback.api.serializers import (
    RecoveryCloseInput,
    RecoveryOutput,
    SurveyInput,
    SurveyOutput,
    SurveyResponseOutput,
    SurveySentOutput,
    SurveyTemplateInput,
    SurveyTemplateOutput,
)
from tandem.feedback.models import Recovery, Survey, SurveyResponse, SurveyTemplate
from tandem.feedback.services import recovery as recovery_services
from tandem.feedback.services import surveys as survey_services
from tandem.feedback.services import templates as template_services
from tandem.projects.models import Project


class SurveyTemplateViewSet(TenantViewSet):
    """Survey templates (调查模板): the 0–10 question, the comment prompt, up to five extra questions, the thanks."""

    queryset = SurveyTemplate.objects.all()
    serializer_class = SurveyTemplateOutput
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering = ["language", "-is_default", "name"]

    @extend_schema(request=SurveyTemplateInput, responses={201: SurveyTemplateOutput})
    def create(self, request):
        data = validated(SurveyTemplateInput, request.data)
        template = template_services.survey_template_create(access=request.access, **data)
        return Response(SurveyTemplateOutput(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SurveyTemplateInput, responses=SurveyTemplateOutput)
    def partial_update(self, request, pk=None):
        data = validated(SurveyTemplateInput, request.data, partial=True)
        template = template_services.survey_template_update(access=request.access, template=self.get_object(), **data)
        return Response(SurveyTemplateOutput(template).data)

    def destroy(self, request, pk=None):
        template_services.survey_template_delete(access=request.access, template=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class SurveyViewSet(TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Surveys sent (and skipped, with the reason). POST sends one to a contact of an account, about a project."""

    queryset = Survey.objects.select_related("account", "contact", "project", "response")
    serializer_class = SurveyOutput
    filterset_fields = ["status", "account", "project", "contact", "channel"]
    ordering = ["-created_at", "-id"]

    @extend_schema(request=SurveyInput, responses={201: SurveySentOutput})
    def create(self, request):
        access = request.access
        data = validated(SurveyInput, request.data)
        sent = survey_services.survey_send(
            access=access,
            account=visible(access, Account, data["account"], "account"),
            contact=visible(access, Contact, data.get("contact"), "contact"),
            project=visible(access, Project, data.get("project"), "project"),
            template=in_tenant(access, SurveyTemplate, data.get("template"), "template"),
            channel=data["channel"],
        )
        link = sent.link if data["channel"] == "link" else ""
        body = SurveySentOutput(sent.survey, context={"link": link}).data
        return Response(body, status=status.HTTP_201_CREATED)


class SurveyResponseViewSet(TenantReadOnlyViewSet):
    """Customers' answers: the 0–10 score, its NPS group, the comment and the extra answers."""

    queryset = SurveyResponse.objects.select_related("account", "project")
    serializer_class = SurveyResponseOutput
    filterset_fields = ["category", "account", "project", "manager"]
    ordering = ["-submitted_at", "-id"]


class RecoveryViewSet(TenantReadOnlyViewSet):
    """Detractors' recoveries (挽回): the flagged account, the PM's review task, the follow-up, how it closed.
    POST .../close/ closes one by hand with a reason."""

    queryset = Recovery.objects.select_related("response", "account", "review_task")
    serializer_class = RecoveryOutput
    filterset_fields = ["status", "account", "project"]
    ordering = ["-created_at", "-id"]

    @extend_schema(request=RecoveryCloseInput, responses=RecoveryOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        recovery = self.get_object()
        data = validated(RecoveryCloseInput, request.data)
        recovery = recovery_services.recovery_close(access=request.access, recovery=recovery, reason=data["reason"])
        return Response(RecoveryOutput(recovery).data)
