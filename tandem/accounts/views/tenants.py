"""The organisation's settings page."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from tandem.accounts.forms import TenantSettingsForm
from tandem.accounts.services.tenants import tenant_update
from tandem.core.views import form_page, tenant_view


@tenant_view("accounts.view_tenant")
def tenant_settings(request):
    """The organisation's name, language, time zone, currency and password policy."""
    access = request.access
    can_change = access.has_perm("accounts.change_tenant")
    if request.method == "POST" and not can_change:
        raise Http404
    form = TenantSettingsForm(request.POST or None, instance=request.tenant)
    return form_page(
        request,
        form=form,
        template="accounts/tenant_settings.html",
        save=lambda form: tenant_update(access=access, **{k: form.cleaned_data[k] for k in form.Meta.fields}),
        message=_("Saved."),
        success="accounts:tenant_settings",
        context={"can_change": can_change},
    )
