"""Roles and permissions: the list, and the role page with its permission matrix and field rules."""

from __future__ import annotations

from fnmatch import fnmatchcase

from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts import selectors
from tandem.accounts.forms import RoleForm
from tandem.accounts.services import members as member_services
from tandem.core import permissions
from tandem.core.views import form_page, post_action, record_or_404, tenant_view


def _permission_matrix(selected: list[str]):
    """Rows of object types with a checkbox per action; patterns like crm.* tick what they cover."""
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
    role = record_or_404(request, selectors.role_list(access=access), pk) if pk is not None else None
    initial = {"name": role.name, "description": role.description, "data_scope": role.data_scope} if role else {}
    form = RoleForm(request.POST or None, initial=initial, role=role)
    selected = role.permissions if role else []
    rules = role.field_rules if role else {}
    if request.method == "POST":
        selected = form.permission_codes(request.POST, previous=role.permissions if role else [])
        rules = form.field_rules(request.POST)

    def save(form):
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "description": data["description"],
            "permissions_list": selected,
            "data_scope": data["data_scope"],
            "field_rules": rules,
        }
        if role is None:
            return member_services.role_create(access=access, key=data["key"], **fields)
        return member_services.role_update(access=access, role=role, **fields)

    context = {
        "role": role,
        "matrix": _permission_matrix(selected),
        "field_rules": _field_rule_rows(rules),
        "actions": [(a, permissions.ACTION_LABELS[a]) for a in permissions.DEFAULT_ACTIONS],
        "can_change": access.has_perm("accounts.change_role" if role else "accounts.add_role"),
    }
    return form_page(
        request,
        form=form,
        template="accounts/role_form.html",
        save=save,
        message=_("Role saved."),
        success="accounts:roles",
        context=context,
    )


@require_POST
@tenant_view("accounts.delete_role")
def role_delete(request, pk: int):
    role = record_or_404(request, selectors.role_list(access=request.access), pk)
    return post_action(
        request,
        act=lambda: member_services.role_delete(access=request.access, role=role),
        message=_("Role deleted."),
        success=resolve_url("accounts:roles"),
    )
