"""Print template CRUD, previews, the print history, and the print action upper apps add to their viewsets."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from tandem.core.api.inputs import validated
from tandem.core.api.views import TenantReadOnlyViewSet, TenantViewSet
from tandem.printing.api.serializers import (
    PreviewInput,
    PrintLogOutput,
    PrintTemplateInput,
    PrintTemplateOutput,
    PrintTemplateUpdateInput,
)
from tandem.printing.models import PrintLog, PrintTemplate
from tandem.printing.services import prints as print_services
from tandem.printing.services import templates as template_services


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; errors still go out as problem JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/problem+json"
        return json.dumps(data, default=str).encode()


def pdf_response(printed, *, inline: bool = False) -> HttpResponse:
    """The PDF with its name in Content-Disposition (RFC 6266 / 5987: an ASCII fallback and the UTF-8 name)."""
    response = HttpResponse(printed.pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, printed.filename)
    response["Cache-Control"] = "no-store"
    return response


TEMPLATE_PARAMETER = OpenApiParameter(
    "template", OpenApiTypes.INT, description="A print template id; the type's default when left out."
)


class PrintMixin:
    """Adds `GET <record>/print/?template=<id>` to a record viewset: the PDF, needing the type's print permission.

    The viewset names its printable type in `print_type` (e.g. "crm.contract") and maps `"print": "print"` in
    its `action_permissions`.
    """

    print_type = ""

    @extend_schema(parameters=[TEMPLATE_PARAMETER], responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="print", renderer_classes=[JSONRenderer, PdfRenderer])
    def print(self, request, pk=None):
        """The record printed to PDF with a print template (the type's default unless `template` names one)."""
        printed = print_services.record_print(
            access=request.access, object_type=self.print_type, pk=pk, template_id=request.query_params.get("template")
        )
        return pdf_response(printed)


class PrintTemplateViewSet(TenantViewSet):
    """Print templates (打印模板): sandboxed HTML per printable type; one default per type."""

    queryset = PrintTemplate.objects.all()
    serializer_class = PrintTemplateOutput
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering = ["object_type", "-is_default", "name"]
    filterset_fields = ["object_type"]
    action_permissions = {"make_default": "change", "reset": "change", "preview": "change"}

    def list(self, request, *args, **kwargs):
        template_services.templates_seed(
            tenant_id=request.access.tenant_id, language=request.access.membership.tenant.locale
        )
        return super().list(request, *args, **kwargs)

    @extend_schema(request=PrintTemplateInput, responses={201: PrintTemplateOutput})
    def create(self, request):
        data = validated(PrintTemplateInput, request.data)
        template = template_services.template_create(access=request.access, **data)
        return Response(PrintTemplateOutput(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PrintTemplateUpdateInput, responses=PrintTemplateOutput)
    def partial_update(self, request, pk=None):
        template = self.get_object()
        data = validated(PrintTemplateUpdateInput, request.data, partial=True)
        template = template_services.template_update(access=request.access, template=template, **data)
        return Response(PrintTemplateOutput(template).data)

    def destroy(self, request, pk=None):
        template_services.template_delete(access=request.access, template=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=PrintTemplateOutput)
    @action(detail=True, methods=["post"], url_path="make-default")
    def make_default(self, request, pk=None):
        """Make this the template prints of its type use when none is named."""
        template = template_services.template_make_default(access=request.access, template=self.get_object())
        return Response(PrintTemplateOutput(template).data)

    @extend_schema(request=None, responses=PrintTemplateOutput)
    @action(detail=True, methods=["post"])
    def reset(self, request, pk=None):
        """Put back the shipped text of the default this template started from."""
        template = template_services.template_reset(access=request.access, template=self.get_object())
        return Response(PrintTemplateOutput(template).data)

    @extend_schema(request=PreviewInput, responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer, PdfRenderer])
    def preview(self, request, pk=None):
        """A PDF of the given body (unsaved) against a record, in this template's type and language."""
        template = self.get_object()
        data = validated(PreviewInput, request.data)
        printed = print_services.template_preview(
            access=request.access,
            object_type=template.object_type,
            body=data["body"],
            language=template.language,
            pk=data.get("record"),
        )
        return pdf_response(printed, inline=True)


class PrintLogViewSet(TenantReadOnlyViewSet):
    """The print history: who printed which record with which template, and when."""

    queryset = PrintLog.objects.select_related("printed_by")
    serializer_class = PrintLogOutput
    ordering = ["-printed_at", "-id"]
    filterset_fields = ["object_type", "object_id"]
