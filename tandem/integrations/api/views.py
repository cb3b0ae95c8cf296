"""The imports API: upload a file, map its columns, check, decide, commit, and follow the job.

Every job belongs to the member who started it; another member's job (or another tenant's)
answers 404. Each step needs `<app>.import_<model>` (`crm.import_account`) for the job's object type.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from tandem.core.api.inputs import validated
from tandem.core.api.parsers import JSONParser
from tandem.core.api.permissions import TenantPermission
from tandem.core.api.views import IdempotentPostMixin
from tandem.core.context import client_ip
from tandem.integrations import selectors
from tandem.integrations.api.serializers import (
    CommitInput,
    DecisionsInput,
    ImportCreateInput,
    ImportJobOutput,
    ImportRowOutput,
    MappingInput,
)
from tandem.integrations.exports import error_report_response
from tandem.integrations.models import ImportJob
from tandem.integrations.services import jobs


class CanImport(BasePermission):
    """Members allowed to import at least one object type; the type itself is checked per job."""

    def has_permission(self, request, view) -> bool:
        return selectors.can_import(getattr(request, "access", None))


class ImportJobViewSet(IdempotentPostMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Imports of accounts, contacts, leads and deals from CSV or XLSX (数据导入)."""

    queryset = ImportJob.objects.none()
    serializer_class = ImportJobOutput
    permission_classes = [TenantPermission, CanImport]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends = []

    def get_permission_code(self):
        return None  # CanImport, then the services check <app>.import_<model> of the job

    def get_queryset(self):
        return selectors.import_job_list(access=self.request.access)

    def get_object(self) -> ImportJob:
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        job = selectors.import_job_get(access=self.request.access, pk=pk)
        if job is None:
            raise Http404
        return job

    def _out(self, job: ImportJob, code: int = status.HTTP_200_OK) -> Response:
        return Response(ImportJobOutput(job).data, status=code)

    @extend_schema(
        request={"multipart/form-data": ImportCreateInput},
        responses={201: ImportJobOutput},
        description="Upload a file; the answer suggests a column mapping (remembered from the last import).",
    )
    def create(self, request):
        data = validated(ImportCreateInput, request.data)
        job = jobs.import_job_create(
            access=request.access,
            object_type=data["object_type"],
            upload=data["file"],
            language=request.LANGUAGE_CODE,
            client_ip=client_ip(request),
        )
        return self._out(job, status.HTTP_201_CREATED)

    @extend_schema(request=MappingInput, responses=ImportJobOutput)
    @action(detail=True, methods=["post"])
    def mapping(self, request, pk=None):
        """Choose which column fills which field (remembered for the next import of this type)."""
        job = self.get_object()
        data = validated(MappingInput, request.data)
        return self._out(jobs.import_mapping_set(access=request.access, job=job, mapping=data["mapping"]))

    @extend_schema(request=None, responses={202: ImportJobOutput})
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        """Check every row in the background; follow the job until it is `validated` or `failed`."""
        job = jobs.import_validation_start(access=request.access, job=self.get_object())
        return self._out(job, status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[
            OpenApiParameter("show", str, enum=["all", "errors", "matches"], description="Which rows (default all).")
        ],
        responses=ImportRowOutput(many=True),
    )
    @action(detail=True, methods=["get"])
    def rows(self, request, pk=None):
        """The checked rows, in file order, with errors and the existing record each may duplicate."""
        job = self.get_object()
        show = request.query_params.get("show", "all")
        page = self.paginate_queryset(selectors.import_rows(job=job, show=show))
        data = ImportRowOutput(page, many=True).data
        for item, row in zip(data, page, strict=True):
            item["allowed_decisions"] = row.allowed_decisions()
        return self.get_paginated_response(data)

    @extend_schema(request=DecisionsInput, responses=ImportJobOutput)
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        """For rows that may already exist: a default for all, and create / update / skip per row."""
        job = self.get_object()
        data = validated(DecisionsInput, request.data)
        job = jobs.import_decisions_set(
            access=request.access,
            job=job,
            default=data.get("default_decision"),
            skip_invalid=data.get("skip_invalid"),
            rows=data.get("rows"),
        )
        return self._out(job)

    @extend_schema(request=CommitInput, responses={202: ImportJobOutput})
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        """Write every ready row in the background, in one transaction: all or nothing."""
        job = self.get_object()
        data = validated(CommitInput, request.data)
        job = jobs.import_commit_start(access=request.access, job=job, skip_invalid=data.get("skip_invalid"))
        return self._out(job, status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="error-report")
    def error_report(self, request, pk=None):
        """The rows with errors as CSV, with the file's values and what is wrong."""
        return error_report_response(self.get_object())
