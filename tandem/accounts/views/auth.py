"""Signing in and out, changing one's password, switching tenant."""

from __future__ import annotations

from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.forms import PasswordChangeForm, SignInForm
from tandem.accounts.middleware import SESSION_AUTH_AT, SESSION_SEEN_AT, SESSION_TENANT
from tandem.accounts.services import auth as auth_services
from tandem.accounts.services import members as member_services
from tandem.core.errors import ApplicationError
from tandem.core.views import form_page


def sign_in(request):
    if request.user.is_authenticated and getattr(request, "access", None):
        return redirect("home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = auth_services.sign_in(
                request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            login(request, user)
            membership = auth_services.default_membership(user)
            now = timezone.now().timestamp()
            request.session[SESSION_AUTH_AT] = now
            request.session[SESSION_SEEN_AT] = now
            if membership:
                request.session[SESSION_TENANT] = membership.tenant_id
            auth_services.record_sign_in(user=user, tenant=membership.tenant if membership else None)
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
                target = "/"
            return redirect(target)
    return render(request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        user, tenant_id = request.user, request.session.get(SESSION_TENANT)
        logout(request)
        auth_services.record_sign_out(user=user, tenant_id=tenant_id)
    return redirect("accounts:login")


def password_change(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")

    def save(form):
        member_services.password_change(
            user=request.user,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password"],
            tenant_id=getattr(request.tenant, "pk", None),
        )
        update_session_auth_hash(request, request.user)  # changing the password must not sign the user out

    return form_page(
        request,
        form=PasswordChangeForm(request.POST or None),
        template="accounts/password_change.html",
        save=save,
        message=_("Your password was changed."),
        success="home",
        context={"expired": request.GET.get("expired")},
    )


@require_POST
def tenant_switch(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    try:
        membership = auth_services.tenant_switch(
            user=request.user,
            tenant_id=int(request.POST.get("tenant", 0) or 0),
            from_tenant_id=request.session.get(SESSION_TENANT),
        )
    except (ApplicationError, ValueError) as exc:
        raise Http404 from exc
    request.session[SESSION_TENANT] = membership.tenant_id
    return redirect("home")
