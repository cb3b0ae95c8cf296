"""Pages of the import wizard (数据导入): my imports, upload, map columns, preview and decide, progress, result."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.core.context import client_ip
from tandem.core.errors import ApplicationError
from tandem.core.signals import send_access_denied
from tandem.core.views import form_errors_from, paginate, record_or_404, tenant_view
from tandem.integrations import selectors
from tandem.integrations.choices import ImportStatus, RowDecision
from tandem.integrations.exports import error_report_response, template_response
from tandem.integrations.forms import DecisionsForm, MappingForm, UploadForm, column_letter
from tandem.integrations.imports.importers import importer_for
from tandem.integrations.services import jobs
from tandem.integrations.services.progress import job_progress

SHOW = ("all", "errors", "matches")
IMPORT_PERMISSION = "crm.import_*"  # what a refusal records: the caller may import no object type


def import_view(view):
    """Signed in, in a tenant, allowed to import at least one object type."""

    @tenant_view()
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.can_import(request.access):
            send_access_denied(request, IMPORT_PERMISSION)
            raise PermissionDenied(IMPORT_PERMISSION)
        return view(request, *args, **kwargs)

    return wrapper


def _job(request, pk: int):
    return record_or_404(request, selectors.import_job_open_list(access=request.access), pk)


@require_GET
@import_view
def import_list(request):
    """The caller's imports with their status and counts."""
    page = paginate(request, selectors.import_job_list(access=request.access))
    return render(request, "integrations/import_list.html", {"page": page})


@import_view
def import_new(request):
    """Step 1 and 2: choose what to import and upload the file."""
    types = selectors.importable_types(request.access)
    form = UploadForm(request.POST or None, request.FILES or None, types=types)
    # A link from a list ("import a bill of quantities") names the type to start with.
    if request.GET.get("type") in {value for value, _label in types}:
        form.fields["object_type"].initial = request.GET["type"]
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_job_create(
                access=request.access,
                object_type=form.cleaned_data["object_type"],
                upload=form.cleaned_data["file"],
                language=request.LANGUAGE_CODE,
                client_ip=client_ip(request),
            )
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            return redirect("integrations:detail", pk=job.pk)
    context = {
        "form": form,
        "templates": types,
        "max_mb": settings.TANDEM_IMPORT_MAX_BYTES // 1024 // 1024,
        "max_rows": f"{settings.TANDEM_IMPORT_MAX_ROWS:,}",
    }
    return render(request, "integrations/import_new.html", context)


@require_GET
@import_view
def import_template(request):
    """The template of an object type the caller may import (?type=crm.account&fmt=xlsx or csv)."""
    types = [value for value, _label in selectors.importable_types(request.access)]
    object_type = request.GET.get("type") or types[0]
    if object_type not in types:
        raise Http404
    fmt = "csv" if request.GET.get("fmt") == "csv" else "xlsx"
    return template_response(request.access, object_type, fmt)


def _mapping_form(job, data=None):
    return MappingForm(
        data,
        headers=job.headers,
        fields=importer_for(job.object_type).field_list(),
        initial_mapping=job.mapping,
    )


def _rows_context(request, job) -> dict:
    show = request.GET.get("show", "all")
    show = show if show in SHOW else "all"
    page = paginate(request, selectors.import_rows(job=job, show=show), per_page=50)
    importer = importer_for(job.object_type)
    labels = {f.key: f.label for f in importer.field_list()}
    columns = [labels.get(key, key) for _column, key in sorted((int(c), k) for c, k in job.mapping.items())]
    tabs = [("all", _("All rows")), ("errors", _("With errors")), ("matches", _("May already exist"))]
    return {"job": job, "page": page, "show": show, "tabs": tabs, "columns": columns, "decisions": RowDecision}


@require_GET
@import_view
def import_detail(request, pk: int):
    """The wizard page of one import: the step its status is at."""
    job = _job(request, pk)
    context = _page_context(job)
    if job.status in (ImportStatus.UPLOADED, ImportStatus.MAPPED):
        context["form"] = form = _mapping_form(job)
        context["columns"] = _columns(job, form)
    elif job.status == ImportStatus.VALIDATED:
        context.update(_rows_context(request, job))
        context["decisions_form"] = DecisionsForm(initial={"default_decision": job.default_decision})
    return render(request, "integrations/import_detail.html", context)


def _page_context(job) -> dict:
    """What every step of the wizard page shows: the job, its progress, how its file was read."""
    return {"job": job, "progress": job_progress(job), "encoding": jobs.encoding_label(job.encoding)}


def _columns(job, form) -> list[dict]:
    return [
        {
            "field": form[f"col_{index}"],
            "index": index,
            "letter": column_letter(index),
            "header": header,
            "samples": [row[index] for row in job.sample if index < len(row) and row[index]][:3],
        }
        for index, header in enumerate(job.headers)
    ]


@require_POST
@import_view
def import_mapping(request, pk: int):
    """Step 3: save the column choices and start the check."""
    job = _job(request, pk)
    form = _mapping_form(job, request.POST)
    if form.is_valid():
        try:
            job = jobs.import_mapping_set(access=request.access, job=job, mapping=form.mapping())
            jobs.import_validation_start(access=request.access, job=job)
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            return redirect("integrations:detail", pk=job.pk)
    context = {**_page_context(job), "form": form, "columns": _columns(job, form)}
    return render(request, "integrations/import_detail.html", context, status=400)


@require_POST
@import_view
def import_remap(request, pk: int):
    """Back from the preview (or a failed check) to the column choices."""
    job = _job(request, pk)
    try:
        jobs.import_mapping_set(access=request.access, job=job, mapping=job.mapping)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("integrations:detail", pk=job.pk)


@require_GET
@import_view
def import_status(request, pk: int):
    """The progress bar, polled every second while the job runs; the page reloads when it stops."""
    job = _job(request, pk)
    if not job.is_running:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("integrations:detail", kwargs={"pk": job.pk})
        return response
    return render(request, "integrations/partials/progress.html", {"job": job, "progress": job_progress(job)})


@require_GET
@import_view
def import_rows(request, pk: int):
    """The preview table (filter by errors or possible duplicates, paginated)."""
    job = _job(request, pk)
    if job.status not in (ImportStatus.VALIDATED, ImportStatus.DONE):
        raise Http404
    template = "integrations/partials/rows.html" if request.htmx else "integrations/import_detail.html"
    context = {**_page_context(job), **_rows_context(request, job)}
    if not request.htmx:
        context["decisions_form"] = DecisionsForm(initial={"default_decision": job.default_decision})
    return render(request, template, context)


@require_POST
@import_view
def import_decisions(request, pk: int):
    """The default for rows that may already exist, skipping rows with errors, and one row's decision."""
    job = _job(request, pk)
    row_number = request.POST.get("row")
    try:
        if row_number:
            jobs.import_decisions_set(
                access=request.access, job=job, rows={int(row_number): request.POST.get("decision", "")}
            )
        else:
            form = DecisionsForm(request.POST)
            if not form.is_valid():
                raise ApplicationError(_("Please correct the errors below."))
            jobs.import_decisions_set(access=request.access, job=job, default=form.cleaned_data["default_decision"])
    except (ApplicationError, ValueError) as exc:
        errors = [m for messages_ in getattr(exc, "errors", {}).values() for m in messages_]
        message = errors[0] if errors else getattr(exc, "message", _("Not a row of this file."))
        if request.htmx:
            return HttpResponse(format_html('<span class="text-danger small">{}</span>', message), status=400)
        messages.error(request, message)
        return redirect("integrations:detail", pk=job.pk)
    if request.htmx:
        return HttpResponse('<i class="bi bi-check text-success" aria-hidden="true"></i>')
    messages.success(request, _("Saved."))
    return redirect("integrations:detail", pk=job.pk)


@require_POST
@import_view
def import_commit(request, pk: int):
    """Step 5: write every ready row in the background, all or nothing."""
    job = _job(request, pk)
    try:
        jobs.import_commit_start(access=request.access, job=job, skip_invalid=bool(request.POST.get("skip_invalid")))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("integrations:detail", pk=job.pk)


@require_GET
@import_view
def import_error_report(request, pk: int):
    """The rows with errors as CSV: the file's values and what is wrong, to correct and upload again."""
    job = _job(request, pk)
    return error_report_response(job)
