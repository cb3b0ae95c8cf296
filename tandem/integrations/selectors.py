"""Reads of imports, scoped to the caller: members see their own import jobs only."""

from __future__ import annotations

from tandem.integrations.choices import ImportObjectType, RowStatus, import_permission
from tandem.integrations.models import ImportJob, ImportRow


def importable_types(access) -> list[tuple[str, str]]:
    """The object types the caller may import, as (value, label)."""
    if access is None:
        return []
    return [(value, label) for value, label in ImportObjectType.choices if access.has_perm(_code(value))]


def can_import(access) -> bool:
    return bool(importable_types(access))


def _code(object_type: str) -> str:
    return import_permission(object_type)


def import_job_list(*, access):
    """The caller's import jobs, newest first."""
    return (
        ImportJob.objects.for_tenant(access.tenant_id)
        .filter(created_by_id=access.user_id)
        .order_by("-created_at", "-id")
    )


def import_job_open_list(*, access):
    """The caller's jobs of the types they may still import: the jobs they may open and carry on."""
    types = [value for value, _label in importable_types(access)]
    return import_job_list(access=access).filter(object_type__in=types)


def import_job_get(*, access, pk: int) -> ImportJob | None:
    """One of the caller's jobs of a type they may still import; anything else is None (a 404)."""
    return import_job_open_list(access=access).filter(pk=pk).first()


def import_rows(*, job: ImportJob, show: str = "all"):
    """The checked rows of a job in file order: all, only those with errors, or those that may exist."""
    rows = ImportRow.objects.filter(tenant_id=job.tenant_id, job=job).order_by("number")
    if show == "errors":
        return rows.filter(status=RowStatus.INVALID)
    if show == "matches":
        return rows.filter(status=RowStatus.MATCHED)
    return rows
