"""API tokens: the caller's tokens (everyone's with `accounts.view_apitoken`), issuing and revoking one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts import selectors
from tandem.accounts.forms import TokenForm
from tandem.accounts.services import tokens as token_services
from tandem.core.errors import ApplicationError
from tandem.core.views import form_errors_from, record_or_404, tenant_view


@tenant_view()
def token_list(request):
    """The token list and the form to issue one; the new secret is shown once, on this page, not after a redirect."""
    access = request.access
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST":
        if not access.has_perm("accounts.add_apitoken"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                _token, secret = token_services.token_create_for(
                    access=access,
                    name=data["name"],
                    scopes=data["scopes"].split() or None,
                    expires_at=data["expires_at"],
                )
            except ApplicationError as exc:
                form_errors_from(exc, form)
            else:
                form = TokenForm()
    tokens = selectors.token_list(access=access).order_by("-created_at")
    return render(request, "accounts/token_list.html", {"tokens": tokens, "form": form, "secret": secret})


@require_POST
@tenant_view()
def token_revoke(request, pk: int):
    token = record_or_404(request, selectors.token_list(access=request.access), pk)
    token_services.token_revoke(access=request.access, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
