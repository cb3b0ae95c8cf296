"""The department tree (部门): the list with its add form, and a department's page."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from tandem.accounts import selectors
from tandem.accounts.forms import DepartmentForm
from tandem.accounts.services import members as member_services
from tandem.core.views import form_page, record_or_404, tenant_view


@tenant_view("accounts.view_department")
def department_list(request):
    access = request.access
    if request.method == "POST" and not access.has_perm("accounts.add_department"):
        raise Http404
    return form_page(
        request,
        form=DepartmentForm(request.POST or None, access=access),
        template="accounts/department_list.html",
        save=lambda form: member_services.department_create(access=access, **form.cleaned_data),
        message=_("Department added."),
        success="accounts:departments",
        context={"tree": selectors.department_tree(access=access)},
    )


@tenant_view("accounts.change_department")
def department_edit(request, pk: int):
    access = request.access
    department = record_or_404(request, selectors.department_list(access=access), pk)
    initial = {"name": department.name, "parent": department.parent, "head": department.head}

    def save(form):
        if request.POST.get("delete"):
            return member_services.department_delete(access=access, department=department)
        return member_services.department_update(access=access, department=department, **form.cleaned_data)

    return form_page(
        request,
        form=DepartmentForm(request.POST or None, initial=initial, access=access),
        template="accounts/department_form.html",
        save=save,
        message=_("Saved."),
        success="accounts:departments",
        context={"department": department},
    )
