"""The users of the organisation (用户): the filtered list, its export, adding and editing a member."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.accounts import selectors
from tandem.accounts.exports import member_columns
from tandem.accounts.forms import MemberEditForm, MemberForm, split_skills
from tandem.accounts.services import members as member_services
from tandem.audit.services.audit import personal_data_export_record
from tandem.core.exports import export_response
from tandem.core.views import form_page, record_or_404, rows_page, tenant_view

FILTER_KEYS = ("q", "department", "role", "active")


def _filters(request) -> dict:
    return {k: request.GET.get(k, "") for k in FILTER_KEYS}


@tenant_view("accounts.view_user")
def member_list(request):
    filters = _filters(request)
    return rows_page(
        request,
        rows=selectors.member_list(access=request.access, filters=filters),
        template="accounts/member_list.html",
        partial="accounts/partials/member_rows.html",
        rows_id="member-rows",
        context={
            "filters": filters,
            "roles": selectors.role_list(access=request.access),
            "departments": selectors.department_tree(access=request.access),
        },
    )


@tenant_view("accounts.export_user")
def member_export(request):
    """The filtered user list as CSV or XLSX, under the caller's field rules."""
    access = request.access
    filters = _filters(request)
    rows = selectors.member_list(access=access, filters=filters)
    fmt = "xlsx" if request.GET.get("fmt") == "xlsx" else "csv"
    personal_data_export_record(access=access, export="users", fmt=fmt, filters=filters)
    return export_response(rows, member_columns(access), basename="users", fmt=fmt)


@tenant_view("accounts.add_user")
def member_create(request):
    access = request.access

    def save(form):
        data = form.cleaned_data
        return member_services.member_create(
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

    form = MemberForm(request.POST or None, access=access)
    return form_page(
        request,
        form=form,
        template="accounts/member_form.html",
        save=save,
        message=lambda _membership: _("User %(name)s added.") % {"name": form.cleaned_data["username"]},
        success=reverse("accounts:members"),
    )


@tenant_view("accounts.change_user")
def member_edit(request, pk: int):
    access = request.access
    membership = record_or_404(request, selectors.member_list(access=access), pk)
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

    def save(form):
        data = form.cleaned_data
        password = data.pop("password")
        data["skills"] = split_skills(data["skills"])
        member_services.member_update(access=access, membership=membership, **data)
        if password:
            member_services.member_set_password(access=access, membership=membership, password=password)
        return membership

    return form_page(
        request,
        form=MemberEditForm(request.POST or None, initial=initial, access=access),
        template="accounts/member_form.html",
        save=save,
        message=_("Saved."),
        success=reverse("accounts:members"),
        context={"membership": membership},
    )
