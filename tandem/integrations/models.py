"""Import jobs: an uploaded file, its column mapping, its checked rows and what the commit did."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel
from tandem.integrations.choices import ImportObjectType, ImportStatus, RowDecision, RowStatus, import_permission


def import_file_path(instance: ImportJob, filename: str) -> str:
    return f"imports/{instance.tenant_id}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename[-100:]}"


class ImportJob(TenantModel):
    """One import of a CSV or XLSX file into one object type, from upload to commit (导入任务)."""

    object_type = models.CharField(_("object type"), max_length=30, choices=ImportObjectType.choices)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=400)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    file_format = models.CharField(_("format"), max_length=10)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=2, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    headers = models.JSONField(_("headers"), default=list)
    sample = models.JSONField(_("sample rows"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    default_decision = models.CharField(
        _("for rows that may already exist"), max_length=10, choices=RowDecision.choices, default=RowDecision.SKIP
    )
    skip_invalid = models.BooleanField(_("skip rows with errors"), default=False)
    total_rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    valid_rows = models.PositiveIntegerField(_("ready"), default=0)
    invalid_rows = models.PositiveIntegerField(_("with errors"), default=0)
    matched_rows = models.PositiveIntegerField(_("may already exist"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.JSONField(_("error summary"), default=list, blank=True)
    error_message = models.TextField(_("why it failed"), blank=True)
    client_ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    validated_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    started_at = models.DateTimeField(_("import started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["tenant", "created_by", "-created_at"], name="import_job_mine_idx")]

    def __str__(self) -> str:
        return f"{self.get_object_type_display()} · {self.file_name}"

    @property
    def model_name(self) -> str:
        return self.object_type.split(".")[1]

    @property
    def import_permission(self) -> str:
        return import_permission(self.object_type)

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.VALIDATING, ImportStatus.IMPORTING)


class ImportRow(TenantModel):
    """One checked data row of an import: its values (cleaned when valid), errors, possible duplicate, decision."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows", verbose_name=_("import"))
    number = models.PositiveIntegerField(_("row"))
    status = models.CharField(_("status"), max_length=10, choices=RowStatus.choices)
    values = models.JSONField(_("cells"), default=list)  # the file's text, in the order of the mapped columns
    data = models.JSONField(_("values"), default=dict)  # cleaned values of a row without errors
    errors = models.JSONField(_("errors"), default=list, blank=True)
    match_id = models.BigIntegerField(_("existing record"), null=True, blank=True)
    match_label = models.CharField(_("existing record as shown"), max_length=300, blank=True)
    match_reason = models.CharField(_("matched on"), max_length=100, blank=True)
    match_score = models.PositiveSmallIntegerField(_("similarity"), default=0)
    match_exact = models.BooleanField(_("certainly the same record"), default=False)
    can_update = models.BooleanField(_("may be updated"), default=False)
    decision = models.CharField(_("decision"), max_length=10, choices=RowDecision.choices, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        constraints = [models.UniqueConstraint(fields=["tenant", "job", "number"], name="import_row_unique_number")]
        indexes = [models.Index(fields=["tenant", "job", "status", "number"], name="import_row_status_idx")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.number}"

    def allowed_decisions(self) -> list[str]:
        """Create only when the match is not certain (a second account with the same credit code is refused)."""
        if self.status != RowStatus.MATCHED:
            return []
        allowed = [] if self.match_exact else [RowDecision.CREATE]
        if self.can_update:
            allowed.append(RowDecision.UPDATE)
        return [*allowed, RowDecision.SKIP]


class ImportMapping(TenantModel):
    """The column choices a tenant made for one object type, keyed by header, suggested for the next import."""

    object_type = models.CharField(_("object type"), max_length=30, choices=ImportObjectType.choices)
    columns = models.JSONField(_("header → field"), default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("remembered column mapping")
        verbose_name_plural = _("remembered column mappings")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "object_type"], name="import_mapping_unique_type"),
        ]

    def __str__(self) -> str:
        return self.get_object_type_display()
