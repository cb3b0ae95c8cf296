"""Pages: sign-in/out, password, tenant switch, users, roles, departments, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts import selectors
from tandem.accounts.forms import (
    DepartmentForm,
    MemberEditForm,
    MemberForm,
    PasswordChangeForm,
    RoleForm,
    SignInForm,
    TokenForm,
    split_skills,
)
from tandem.accounts.middleware import SESSION_AUTH_AT, SESSION_SEEN_AT, SESSION_TENANT
from tandem.accounts.models import Role
from tandem.accounts.services import auth as auth_services
from tandem.accounts.services import members as member_services
from tandem.accounts.services import tokens as token_services
from tandem.core import permissions
from tandem.core.errors import ApplicationError
from tandem.core.views import form_errors_from, paginate, tenant_view


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
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                tenant_id=getattr(request.tenant, "pk", None),
            )
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form, "expired": request.GET.get("expired")})


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


@tenant_view("accounts.view_tenant")
def tenant_settings(request):
    """The organisation's name, language, time zone, currency and password policy."""
    from tandem.accounts.forms import TenantSettingsForm
    from tandem.accounts.services.tenants import tenant_update

    access = request.access
    form = TenantSettingsForm(request.POST or None, instance=request.tenant)
    can_change = access.has_perm("accounts.change_tenant")
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            try:
                tenant_update(access=access, **{k: form.cleaned_data[k] for k in form.Meta.fields})
            except ApplicationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Saved."))
                return redirect("accounts:tenant_settings")
    return render(request, "accounts/tenant_settings.html", {"form": form, "can_change": can_change})


# --- users -------------------------------------------------------------------------------------


@tenant_view("accounts.view_user")
def member_list(request):
    filters = {k: request.GET.get(k, "") for k in ("q", "department", "role", "active")}
    page = paginate(request, selectors.member_list(access=request.access, filters=filters))
    context = {
        "page": page,
        "filters": filters,
        "roles": selectors.role_list(access=request.access),
        "departments": selectors.department_tree(access=request.access),
    }
    template = "accounts/partials/member_rows.html" if request.htmx else "accounts/member_list.html"
    return render(request, template, context)


@tenant_view("accounts.export_user")
def member_export(request):
    """The filtered user list as CSV or XLSX, under the caller's field rules."""
    from django.db import transaction

    from tandem.audit.models import SecurityEventKind
    from tandem.audit.services.audit import security_event
    from tandem.core.exports import Column, export_response
    from tandem.core.masking import mask

    access = request.access
    filters = {k: request.GET.get(k, "") for k in ("q", "department", "role", "active")}
    rows = selectors.member_list(access=access, filters=filters)

    def guarded(label, value, kind="default"):
        rule = access.field_rule(label)
        return "" if rule == "hidden" else mask(value, kind) if rule == "masked" else value

    columns = [
        Column(_("User name"), lambda m: m.user.username),
        Column(_("Name"), lambda m: str(m.user)),
        Column(_("Job title"), lambda m: m.title),
        Column(_("Skills"), lambda m: "、".join(m.skills or [])),
        Column(_("Department"), lambda m: m.department.name if m.department else ""),
        Column(_("Manager"), lambda m: str(m.manager) if m.manager else ""),
        Column(_("Roles"), lambda m: ", ".join(r.name for r in m.roles.all())),
        Column(_("Mobile phone"), lambda m: guarded("accounts.user.phone", m.user.phone, "phone")),
        Column(_("Email"), lambda m: guarded("accounts.user.email", m.user.email)),
        Column(_("Active"), lambda m: _("Yes") if m.is_active else _("No")),
        Column(_("Last sign-in"), lambda m: m.user.last_login),
    ]
    fmt = "xlsx" if request.GET.get("fmt") == "xlsx" else "csv"
    with transaction.atomic():
        security_event(
            kind=SecurityEventKind.PERSONAL_DATA_EXPORT,
            tenant_id=access.tenant_id,
            user=request.user,
            export="users",
            format=fmt,
            filters={k: v for k, v in filters.items() if v},
        )
    return export_response(rows, columns, basename="users", fmt=fmt)


@tenant_view("accounts.add_user")
def member_create(request):
    access = request.access
    form = MemberForm(request.POST or None, tenant_id=access.tenant_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member_services.member_create(
                access=access,
                username=data["username"],
                password=data["password"] or None,
                email=data["email"],
                display_name=data["display_name"],
                phone=data["phone"],
                title=data["title"],
                skills=split_skills(data["skills"]),
                department=data["department"],
                manager=data["manager"],
                roles=data["roles"],
            )
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("User %(name)s added.") % {"name": data["username"]})
            return redirect("accounts:members")
    return render(request, "accounts/member_form.html", {"form": form})


@tenant_view("accounts.change_user")
def member_edit(request, pk: int):
    access = request.access
    membership = selectors.member_get(access=access, membership_id=pk)
    if membership is None:
        raise Http404
    user = membership.user
    initial = {
        "display_name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "title": membership.title,
        "skills": "、".join(membership.skills or []),
        "department": membership.department,
        "manager": membership.manager,
        "roles": list(membership.roles.all()),
        "is_active": membership.is_active,
    }
    form = MemberEditForm(request.POST or None, initial=initial, tenant_id=access.tenant_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = data.pop("password")
        data["skills"] = split_skills(data["skills"])
        try:
            member_services.member_update(access=access, membership=membership, **data)
            if password:
                member_services.member_set_password(access=access, membership=membership, password=password)
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:members")
    return render(request, "accounts/member_form.html", {"form": form, "membership": membership})


# --- roles -------------------------------------------------------------------------------------


def _permission_matrix(selected: list[str]):
    """Rows of object types with a checkbox per action; patterns like crm.* tick what they cover."""
    from fnmatch import fnmatchcase

    rows = []
    for obj in sorted(permissions.object_types(), key=lambda o: o.key):
        cells = []
        for action in permissions.DEFAULT_ACTIONS:
            code = obj.code(action) if action in obj.actions else None
            checked = bool(code) and any(fnmatchcase(code, p) for p in selected)
            cells.append({"action": action, "code": code, "checked": checked})
        rows.append({"type": obj, "cells": cells})
    return rows


def _field_rule_rows(rules: dict):
    return [
        {"label": f"{obj.key}.{name}", "type": obj, "field": field_label, "value": rules.get(f"{obj.key}.{name}", "")}
        for obj in permissions.object_types()
        for name, field_label in obj.fields.items()
    ]


@tenant_view("accounts.view_role")
def role_list(request):
    roles = selectors.role_list(access=request.access, with_member_count=True).order_by("id")
    return render(request, "accounts/role_list.html", {"roles": roles})


@tenant_view("accounts.view_role")
def role_edit(request, pk: int | None = None):
    access = request.access
    role = None
    if pk is not None:
        role = selectors.role_list(access=access).filter(pk=pk).first()
        if role is None:
            raise Http404
    initial = {"name": role.name, "description": role.description, "data_scope": role.data_scope} if role else {}
    form = RoleForm(request.POST or None, initial=initial, role=role)
    selected = role.permissions if role else []
    rules = role.field_rules if role else {}
    if request.method == "POST":
        selected = form.permission_codes(request.POST, previous=role.permissions if role else [])
        rules = form.field_rules(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if role is None:
                    role = member_services.role_create(
                        access=access,
                        key=data["key"],
                        name=data["name"],
                        description=data["description"],
                        permissions_list=selected,
                        data_scope=data["data_scope"],
                        field_rules=rules,
                    )
                else:
                    member_services.role_update(
                        access=access,
                        role=role,
                        name=data["name"],
                        description=data["description"],
                        permissions_list=selected,
                        data_scope=data["data_scope"],
                        field_rules=rules,
                    )
            except ApplicationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Role saved."))
                return redirect("accounts:roles")
    context = {
        "form": form,
        "role": role,
        "matrix": _permission_matrix(selected),
        "field_rules": _field_rule_rows(rules),
        "actions": [(a, permissions.ACTION_LABELS[a]) for a in permissions.DEFAULT_ACTIONS],
        "can_change": access.has_perm("accounts.change_role" if role else "accounts.add_role"),
    }
    return render(request, "accounts/role_form.html", context)


@require_POST
@tenant_view("accounts.delete_role")
def role_delete(request, pk: int):
    role = Role.objects.filter(tenant_id=request.access.tenant_id, pk=pk).first()
    if role is None:
        raise Http404
    try:
        member_services.role_delete(access=request.access, role=role)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Role deleted."))
    return redirect("accounts:roles")


# --- departments -----------------------------------------------------------------------------


@tenant_view("accounts.view_department")
def department_list(request):
    access = request.access
    form = DepartmentForm(request.POST or None, tenant_id=access.tenant_id)
    if request.method == "POST":
        if not access.has_perm("accounts.add_department"):
            raise Http404
        if form.is_valid():
            try:
                member_services.department_create(access=access, **form.cleaned_data)
            except ApplicationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Department added."))
                return redirect("accounts:departments")
    return render(
        request, "accounts/department_list.html", {"tree": selectors.department_tree(access=access), "form": form}
    )


@tenant_view("accounts.change_department")
def department_edit(request, pk: int):
    access = request.access
    department = selectors.department_list(access=access).filter(pk=pk).first()
    if department is None:
        raise Http404
    initial = {"name": department.name, "parent": department.parent, "head": department.head}
    form = DepartmentForm(request.POST or None, initial=initial, tenant_id=access.tenant_id)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("delete"):
                member_services.department_delete(access=access, department=department)
            else:
                member_services.department_update(access=access, department=department, **form.cleaned_data)
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:departments")
    return render(request, "accounts/department_form.html", {"form": form, "department": department})


# --- API tokens ----------------------------------------------------------------------------


@tenant_view()
def token_list(request):
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
    token = selectors.token_list(access=request.access).filter(pk=pk).first()
    if token is None:
        raise Http404
    token_services.token_revoke(access=request.access, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
