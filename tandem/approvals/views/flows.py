"""Approval flow settings (审批流设置): the flows of each type, the designer (a new version on each save), old
versions read-only, activating and deleting."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.approvals import registry, selectors
from tandem.approvals import services as approval_services
from tandem.approvals.forms import FlowForm
from tandem.approvals.models import Flow, FlowVersion
from tandem.approvals.views.designer import designer_meta, type_choices
from tandem.core.errors import NON_FIELD, ApplicationError
from tandem.core.views import post_action, record_or_404, scoped, tenant_view

EMPTY_DEFINITION = {"branches": [], "restart": "first", "on_deactivated": "skip"}


@tenant_view("approvals.view_flow")
def flow_list(request):
    """Every registered type with its flows: version, active or not, and when it was last changed."""
    flows = scoped(request, Flow).select_related("current_version", "current_version__created_by")
    by_type: dict[str, list] = {}
    for flow in flows.order_by("object_type", "-is_active", "name"):
        by_type.setdefault(flow.object_type, []).append(flow)
    types = [{"key": key, "label": label, "flows": by_type.get(key, [])} for key, label in type_choices()]
    can = {code: request.access.has_perm(f"approvals.{code}_flow") for code in ("add", "change", "delete")}
    return render(request, "approvals/flows/list.html", {"types": types, "can": can})


def _designer(request, *, form, definition, flow=None, version=None, object_type, errors=None, readonly=False):
    versions = list(flow.versions.select_related("created_by").order_by("-number")) if flow else []
    state = {
        "definition": definition,
        "errors": errors or {},
        "object_type": object_type,
        "readonly": readonly,
    }
    context = {
        "form": form,
        "flow": flow,
        "version": version,
        "versions": versions,
        "object_type": object_type,
        "type_label": registry.get(object_type).label,
        "meta": designer_meta(request),
        "state": state,
        "readonly": readonly,
        "has_errors": bool(errors),
        "general_errors": [*(errors or {}).get("definition", []), *(errors or {}).get(NON_FIELD, [])],
    }
    return render(request, "approvals/flows/designer.html", context, status=400 if errors else 200)


def _errors(exc: ApplicationError) -> dict[str, list[str]]:
    errors = {
        key: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])] for key, msgs in (exc.errors or {}).items()
    }
    return errors or {NON_FIELD: [str(exc.message)]}


def _posted_definition(request, fallback: dict) -> dict:
    """What the designer posted, so a refused save shows the member's work and not the saved version."""
    try:
        value = json.loads(request.POST.get("definition") or "")
    except ValueError:
        return fallback
    return value if isinstance(value, dict) else fallback


def _save(request, *, flow: Flow | None, object_type: str):
    form = FlowForm(request.POST)
    fallback = flow.current_version.definition if flow and flow.current_version else dict(EMPTY_DEFINITION)
    definition = _posted_definition(request, fallback)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return _designer(request, form=form, definition=definition, flow=flow, object_type=object_type, errors=errors)
    data = form.cleaned_data
    try:
        if flow is None:
            # A second flow of a type starts inactive: the admin switches over when it is ready.
            active = selectors.active_flow(tenant_id=request.access.tenant_id, object_type=object_type)
            flow = approval_services.flow_create(
                access=request.access,
                object_type=object_type,
                name=data["name"],
                description=data["description"],
                definition=data["definition"],
                is_active=active is None,
            )
        else:
            flow = approval_services.flow_update(
                access=request.access,
                flow=flow,
                name=data["name"],
                description=data["description"],
                definition=data["definition"],
            )
    except ApplicationError as exc:
        errors = _errors(exc)
        for name in ("name", "description"):
            for message in errors.get(name, []):
                form.add_error(name, message)
        return _designer(request, form=form, definition=definition, flow=flow, object_type=object_type, errors=errors)
    number = flow.current_version.number if flow.current_version else 1
    messages.success(request, _("Flow “%(name)s” saved as version %(n)s.") % {"name": flow.name, "n": number})
    return redirect("approvals:flow_edit", pk=flow.pk)


@tenant_view("approvals.add_flow")
def flow_create(request):
    """The designer for a new flow of the type in `?type=` (the first registered type when none is named)."""
    types = dict(type_choices())
    object_type = request.GET.get("type") or next(iter(types), "")
    if object_type not in types:
        raise Http404
    if request.method == "POST":
        return _save(request, flow=None, object_type=object_type)
    form = FlowForm(initial={"name": _("%(type)s approval") % {"type": registry.get(object_type).label}})
    return _designer(request, form=form, definition=dict(EMPTY_DEFINITION), object_type=object_type)


@tenant_view("approvals.change_flow")
def flow_edit(request, pk: int):
    """The designer on the flow's current version; saving a changed definition adds a version."""
    flow = record_or_404(request, Flow, pk, "change")
    if request.method == "POST":
        return _save(request, flow=flow, object_type=flow.object_type)
    version = flow.current_version
    form = FlowForm(initial={"name": flow.name, "description": flow.description})
    definition = version.definition if version else dict(EMPTY_DEFINITION)
    return _designer(
        request, form=form, definition=definition, flow=flow, version=version, object_type=flow.object_type
    )


@tenant_view("approvals.view_flow")
def flow_version(request, pk: int, number: int):
    """One saved version, read-only: what the approvals that started on it follow."""
    flow = record_or_404(request, Flow, pk)
    version = scoped(request, FlowVersion).filter(flow=flow, number=number).first()
    if version is None:
        raise Http404
    form = FlowForm(initial={"name": flow.name, "description": flow.description})
    return _designer(
        request,
        form=form,
        definition=version.definition,
        flow=flow,
        version=version,
        object_type=flow.object_type,
        readonly=True,
    )


@require_POST
@tenant_view("approvals.change_flow")
def flow_toggle(request, pk: int):
    """Activate or deactivate a flow (one active flow per type: the service says so when another is)."""
    flow = record_or_404(request, Flow, pk, "change")
    on = not flow.is_active
    return post_action(
        request,
        act=lambda: approval_services.flow_update(access=request.access, flow=flow, is_active=on),
        message=_("Flow activated.") if on else _("Flow deactivated."),
        success=resolve_url("approvals:flows"),
    )


@require_POST
@tenant_view("approvals.delete_flow")
def flow_delete(request, pk: int):
    flow = record_or_404(request, Flow, pk, "delete")
    return post_action(
        request,
        act=lambda: approval_services.flow_delete(access=request.access, flow=flow),
        message=_("Flow deleted."),
        success=resolve_url("approvals:flows"),
        failure=resolve_url("approvals:flow_edit", pk=flow.pk),
    )
