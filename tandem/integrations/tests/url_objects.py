"""Objects for the generic permission test: each import URL with parameters, filled with a colleague's job."""

from django.core.files.base import ContentFile

from tandem.integrations.choices import ImportStatus, RowStatus
from tandem.integrations.models import ImportJob, ImportRow
from tandem.testing.permissions import colleague, seed_name, url_objects


@url_objects(
    "integrations:detail",
    "integrations:mapping",
    "integrations:remap",
    "integrations:status",
    "integrations:rows",
    "integrations:decisions",
    "integrations:commit",
    "integrations:error_report",
    "api:importjob-detail",
    "api:importjob-mapping",
    "api:importjob-validate",
    "api:importjob-rows",
    "api:importjob-decisions",
    "api:importjob-commit",
    "api:importjob-error-report",
)
def import_job(tenant):
    """A checked import of a colleague who may import accounts, with one row in error."""
    owner = colleague(tenant, "sales_manager").user
    name = seed_name(tenant, "import") + ".csv"
    job = ImportJob(
        tenant=tenant,
        object_type="crm.account",
        status=ImportStatus.VALIDATED,
        created_by=owner,
        file_name=name,
        file_format="csv",
        encoding="utf-8",
        headers=["客户名称"],
        mapping={"0": "name"},
        total_rows=1,
        invalid_rows=1,
    )
    job.file.save(name, ContentFile("客户名称\n" + seed_name(tenant, "row") + "\n"), save=False)
    job.save()
    ImportRow.objects.create(
        tenant=tenant, job=job, number=2, status=RowStatus.INVALID, values=[seed_name(tenant, "cell")], errors=[]
    )
    return {"pk": job.pk}
