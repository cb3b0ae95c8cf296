"""The print settings page: the letterhead lines, logo, company seal and signature, and whether Chinese prints
can be made on this server (a CJK font installed)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError
from tandem.core.views import form_errors_from, tenant_view
from tandem.printing.forms import PrintSettingsForm
from tandem.printing.render import cjk_font
from tandem.printing.services import settings as service


@tenant_view("printing.change_printsettings")
def print_settings(request):
    access = request.access
    current = service.print_settings_of(access.tenant_id)
    if not current.pk and not current.company_name:
        current.company_name = access.membership.tenant.name
    form = PrintSettingsForm(request.POST or None, request.FILES or None, instance=current)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                service.print_settings_update(
                    access=access, images=form.images(), clear=form.cleared(), **form.service_fields()
                )
            except ApplicationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Print settings saved."))
                return redirect("printing:settings")
    context = {
        "form": form,
        "current": service.print_settings_of(access.tenant_id),
        "images": {name: service.image_data_uri(getattr(current, name)) for name in service.IMAGE_FIELDS},
        "font": cjk_font(),
    }
    return render(request, "printing/settings.html", context, status=status)
