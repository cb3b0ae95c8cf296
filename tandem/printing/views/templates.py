"""Print template pages: the templates per printable type, the editor with its variables and a PDF preview
against a real record, making a template the default, resetting it to the shipped text, deleting it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import can, form_errors_from, post_action, record_or_404, tenant_view
from tandem.printing import registry, selectors
from tandem.printing.api.views import pdf_response
from tandem.printing.forms import PrintTemplateForm
from tandem.printing.models import PrintTemplate
from tandem.printing.render import cjk_font
from tandem.printing.services import prints as print_services
from tandem.printing.services import templates as service

PERMS = ("printing.add_printtemplate", "printing.change_printtemplate", "printing.delete_printtemplate")

VARIABLES_HELP = gettext_lazy(
    "Write {{ variable }} to print a value and {% for line in lines %}…{% endfor %} to repeat rows. Filters: date, "
    'cny, floatformat, default, linebreaksbr, upper, lower, truncatechars. Images: <img src="{{ company.stamp }}">.'
)
COMMON_VARIABLES = [
    ("company.name / address / phone / tax_id", gettext_lazy("Your company (print settings)")),
    ("company.bank_name / bank_account", gettext_lazy("Bank account")),
    ("company.logo / stamp / signature", gettext_lazy("Logo, company seal and handwritten signature (image sources)")),
    ("company.signatory", gettext_lazy("Signatory")),
    ("printed_at / printed_by", gettext_lazy("When and by whom it is printed")),
]


@tenant_view("printing.view_printtemplate")
def template_list(request):
    """Every printable type with its templates, the default first."""
    access = request.access
    service.templates_seed(tenant_id=access.tenant_id, language=access.membership.tenant.locale)
    rows = list(selectors.template_list(access=access).order_by("object_type", "-is_default", "name"))
    groups = [
        {"type": printable, "templates": [t for t in rows if t.object_type == printable.object_type]}
        for printable in registry.printable_types()
    ]
    context = {"groups": groups, "can": can(access, *PERMS), "font": cjk_font()}
    return render(request, "printing/template_list.html", context)


def _editor(request, *, template: PrintTemplate | None, object_type: str):
    access = request.access
    printable = registry.get(object_type)
    if printable is None:
        raise Http404
    records = selectors.preview_records(access=access, object_type=object_type)
    initial = None
    if template is None and request.method != "POST":
        initial = {"language": access.membership.tenant.locale, "body": ""}
    form = PrintTemplateForm(request.POST or None, instance=template, initial=initial, records=records)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if "preview" in request.POST:
                    printed = print_services.template_preview(
                        access=access,
                        object_type=object_type,
                        body=form.cleaned_data["body"],
                        language=form.cleaned_data["language"],
                        pk=form.cleaned_data.get("record"),
                    )
                    return pdf_response(printed, inline=True)
                if template is None:
                    saved = service.template_create(access=access, object_type=object_type, **form.service_fields())
                else:
                    saved = service.template_update(access=access, template=template, **form.service_fields())
            except ApplicationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Print template %(name)s saved.") % {"name": saved.name})
                return redirect("printing:template_edit", pk=saved.pk)
    context = {
        "form": form,
        "template": template,
        "printable": printable,
        "variables": COMMON_VARIABLES + list(printable.variables),
        "can": can(access, *PERMS),
        "font": cjk_font(),
        "help": VARIABLES_HELP,
    }
    return render(request, "printing/template_form.html", context, status=status)


@tenant_view("printing.add_printtemplate")
def template_create(request):
    """A new template for the printable type named by `?type=` (e.g. crm.contract; the first type without one)."""
    types = registry.printable_types()
    object_type = request.GET.get("type") or (types[0].object_type if types else "")
    return _editor(request, template=None, object_type=object_type)


@tenant_view("printing.view_printtemplate")
def template_edit(request, pk: int):
    template = record_or_404(request, selectors.template_list(access=request.access), pk)
    if request.method == "POST" and not request.access.has_perm("printing.change_printtemplate"):
        raise Http404
    return _editor(request, template=template, object_type=template.object_type)


def _action(request, pk: int, act, message: str):
    template = record_or_404(request, selectors.template_list(access=request.access), pk)
    return post_action(
        request,
        act=lambda: act(access=request.access, template=template),
        message=message,
        success=reverse("printing:template_edit", args=[template.pk]),
        failure=reverse("printing:template_edit", args=[template.pk]),
    )


@require_POST
@tenant_view("printing.change_printtemplate")
def template_make_default(request, pk: int):
    return _action(request, pk, service.template_make_default, _("This template is now the default."))


@require_POST
@tenant_view("printing.change_printtemplate")
def template_reset(request, pk: int):
    return _action(request, pk, service.template_reset, _("The shipped template text is back."))


@require_POST
@tenant_view("printing.delete_printtemplate")
def template_delete(request, pk: int):
    template = record_or_404(request, selectors.template_list(access=request.access), pk)
    return post_action(
        request,
        act=lambda: service.template_delete(access=request.access, template=template),
        message=_("Print template deleted."),
        success=reverse("printing:templates"),
        failure=reverse("printing:template_edit", args=[template.pk]),
    )
