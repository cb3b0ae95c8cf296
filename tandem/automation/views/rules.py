"""Rule pages: list, form builder (new/edit), detail with versions, runs, dry run and manual run."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.automation import actions as registry
from tandem.automation import catalog, selectors
from tandem.automation.engine import schedules
from tandem.automation.forms import EMPTY_DEFINITION, RuleForm
from tandem.automation.models import Rule, RunStatus, TriggerType
from tandem.automation.services import rules as services
from tandem.automation.views import text
from tandem.automation.views.builder import builder_meta
from tandem.core.errors import NON_FIELD, ApplicationError
from tandem.core.views import post_action, record_or_404, safe_next, tenant_view

RECENT_RUNS = 20
RUN_BADGES = {
    RunStatus.QUEUED: "text-bg-secondary",
    RunStatus.RUNNING: "text-bg-info",
    RunStatus.WAITING: "text-bg-info",
    RunStatus.SUCCEEDED: "text-bg-success",
    RunStatus.FAILED: "text-bg-danger",
    RunStatus.SKIPPED: "text-bg-light border",
    RunStatus.STOPPED: "text-bg-warning",
}


def _rule(request, pk: int, action: str = "view") -> Rule:
    return record_or_404(request, selectors.rule_list(access=request.access, action=action), pk)


def _can(access) -> dict[str, bool]:
    can = {action: access.has_perm(f"automation.{action}_rule") for action in ("view", "add", "change", "delete")}
    can["view_run"] = access.has_perm("automation.view_run")
    return can


def _definition(rule: Rule) -> dict:
    return {name: getattr(rule, name) for name in services.DEFINITION}


def _action_labels() -> dict[str, str]:
    return {a["key"]: a["label"] for a in registry.describe()}


@tenant_view("automation.view_rule")
def rule_list(request):
    """Every rule: its trigger in words, record type, switch, version, last run and failure streak."""
    rules = list(selectors.rule_list(access=request.access))
    for rule in rules:
        rule.trigger_text = text.trigger_text(_definition(rule))
        record_type = catalog.get(rule.model)
        rule.record_label = record_type.label if record_type else ""
        rule.last_run_badge = RUN_BADGES.get(rule.last_run_status, "text-bg-light")
        rule.last_run_label = RunStatus(rule.last_run_status).label if rule.last_run_status else ""
        rule.outlook = schedules.outlook(rule, upcoming=False)
    return render(request, "automation/rules/list.html", {"rules": rules, "can": _can(request.access)})


# --- the builder -----------------------------------------------------------------------------------


def _builder_page(request, form: RuleForm, definition: dict, rule: Rule | None, errors=None, status=200):
    context = {
        "form": form,
        "rule": rule,
        "meta": builder_meta(request.access),
        "state": {
            "definition": definition,
            "errors": errors or {},
            "dry_run_url": reverse("automation:dry_run"),
            "rule_id": rule.pk if rule else None,
        },
        "definition_json": json.dumps(definition, ensure_ascii=False),
        "errors": errors or {},
        "general_errors": [*(errors or {}).get("definition", []), *(errors or {}).get(NON_FIELD, [])],
    }
    return render(request, "automation/rules/form.html", context, status=status)


def _save(request, rule: Rule | None):
    form = RuleForm(request.POST, members=selectors.rule_owners(access=request.access))
    posted = request.POST.get("definition") or ""
    try:
        definition = json.loads(posted) if posted.strip() else dict(EMPTY_DEFINITION)
    except ValueError:
        definition = _definition(rule) if rule else dict(EMPTY_DEFINITION)
    if not isinstance(definition, dict):
        definition = dict(EMPTY_DEFINITION)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return _builder_page(request, form, definition, rule, errors)
    try:
        if rule is None:
            rule = services.rule_create(access=request.access, **form.service_fields())
            messages.success(request, _("Rule “%(name)s” created.") % {"name": rule.name})
        else:
            rule = services.rule_update(access=request.access, rule=rule, **form.service_fields())
            messages.success(
                request, _("Rule “%(name)s” saved (version %(v)s).") % {"name": rule.name, "v": rule.version}
            )
    except ApplicationError as exc:
        errors = {
            key: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for key, msgs in (exc.errors or {}).items()
        }
        if not errors:
            errors = {NON_FIELD: [str(exc.message)]}
        for name in form.fields:
            for message in errors.get(name, []):
                form.add_error(name, message)
        return _builder_page(request, form, definition, rule, errors)
    return redirect("automation:rule_detail", rule.pk)


@tenant_view("automation.add_rule")
def rule_add(request):
    """The no-code builder for a new rule; the definition travels as JSON in a hidden field."""
    if request.method == "POST":
        return _save(request, None)
    form = RuleForm(
        initial={"owner": request.access.user_id, "max_failures": 5},
        members=selectors.rule_owners(access=request.access),
    )
    return _builder_page(request, form, dict(EMPTY_DEFINITION), None)


@tenant_view("automation.change_rule")
def rule_edit(request, pk: int):
    """The builder on an existing rule; a changed definition is saved as a new version."""
    rule = _rule(request, pk, "change")
    if request.method == "POST":
        return _save(request, rule)
    initial = {
        "name": rule.name,
        "description": rule.description,
        "owner": rule.owner_id,
        "max_failures": rule.max_failures,
    }
    form = RuleForm(initial=initial, members=selectors.rule_owners(access=request.access))
    return _builder_page(request, form, _definition(rule), rule)


@require_POST
@tenant_view("automation.view_rule")
def rule_dry_run(request):
    """What the posted definition would do for a record: the condition tree and each action; writes nothing."""
    try:
        definition = json.loads(request.POST.get("definition") or "{}")
    except ValueError:
        definition = None
    rule = None
    if request.POST.get("rule", "").isdigit():
        rule = selectors.rule_list(access=request.access).filter(pk=int(request.POST["rule"])).first()
    context = {"report": None, "errors": None}
    if not isinstance(definition, dict):
        context["errors"] = {NON_FIELD: [_("The rule's JSON is not valid.")]}
    else:
        record_id = request.POST.get("record_id", "").strip() or None
        model = definition.get("model") or ""
        try:
            if record_id is None and model:
                raise ApplicationError(_("Choose a record to test on."), errors={"record_id": [_("Required.")]})
            report = services.rule_dry_run(access=request.access, definition=definition, record_id=record_id, rule=rule)
        except ApplicationError as exc:
            context["errors"] = exc.errors or {NON_FIELD: [str(exc.message)]}
        else:
            context["report"] = report
            context["would_run"] = report["conditions"]["result"]
            context["tree"] = text.trace_tree(report["conditions"]["tree"], model)
    return render(request, "automation/rules/partials/dry_run.html", context)


# --- one rule --------------------------------------------------------------------------------------


@tenant_view("automation.view_rule")
def rule_detail(request, pk: int):
    """The rule in words, its versions (each one's JSON), its webhook address and its recent runs."""
    rule = _rule(request, pk)
    definition = _definition(rule)
    versions = list(selectors.rule_versions(rule=rule))
    for version in versions:
        version.json = json.dumps(version.definition(), ensure_ascii=False, indent=2)
    can = _can(request.access)
    runs = []
    if can["view_run"]:
        runs = list(selectors.run_list(access=request.access, filters={"rule": rule.pk})[:RECENT_RUNS])
        for run in runs:
            run.badge = RUN_BADGES.get(run.status, "")
    context = {
        "rule": rule,
        "can": can,
        "trigger_text": text.trigger_text(definition),
        "condition_text": text.condition_text(rule.conditions, rule.model),
        "action_texts": text.action_texts(rule.actions, _action_labels()),
        "record_type": catalog.get(rule.model),
        "versions": versions,
        "runs": runs,
        "outlook": schedules.outlook(rule),
        "catch_up_days": schedules.CATCH_UP_WINDOW.days,
        "hook_url": request.build_absolute_uri(reverse("automation:hook", args=[rule.webhook_token]))
        if rule.trigger_type == TriggerType.WEBHOOK and rule.webhook_token
        else "",
    }
    return render(request, "automation/rules/detail.html", context)


def _back(request, rule: Rule):
    return redirect(safe_next(request, reverse("automation:rule_detail", args=[rule.pk])))


@require_POST
@tenant_view("automation.change_rule")
def rule_toggle(request, pk: int):
    """Enable or disable a rule (enabling clears its failure streak)."""
    rule = _rule(request, pk, "change")
    enable = request.POST.get("enabled", "on" if not rule.enabled else "") in ("on", "1", "true")
    services.rule_update(access=request.access, rule=rule, enabled=enable)
    text = _("Rule “%(name)s” enabled.") if enable else _("Rule “%(name)s” disabled.")
    messages.success(request, text % {"name": rule.name})
    return _back(request, rule)


@require_POST
@tenant_view("automation.change_rule")
def rule_rotate_secret(request, pk: int):
    """A new webhook address and secret; the old ones stop working at once."""
    rule = _rule(request, pk, "change")
    return post_action(
        request,
        act=lambda: services.rule_rotate_webhook_secret(access=request.access, rule=rule),
        message=_("New webhook address and secret made; update the sending system."),
        success=resolve_url("automation:rule_detail", rule.pk),
    )


@tenant_view("automation.delete_rule")
def rule_remove(request, pk: int):
    """Confirm, then move the rule to the recycle bin; its runs stay in the log."""
    rule = _rule(request, pk, "delete")
    if request.method == "POST":
        services.rule_delete(access=request.access, rule=rule)
        messages.success(request, _("Rule “%(name)s” deleted.") % {"name": rule.name})
        return redirect("automation:rules")
    return render(request, "automation/rules/delete.html", {"rule": rule})


# --- the manual button -----------------------------------------------------------------------------


@require_GET
@tenant_view("automation.view_rule")
def record_rules(request, model: str, record_id: int):
    """The "Run automation" menu of a record page: the enabled manual rules on its record type."""
    record_type = catalog.get(model)
    if record_type is None:
        raise Http404
    record_or_404(request, record_type.model, record_id)
    rules = list(selectors.manual_rules(access=request.access, model=model))
    next_url = request.headers.get("HX-Current-URL", "")
    context = {"rules": rules, "model": model, "record_id": record_id, "next_url": next_url}
    return render(request, "automation/rules/partials/record_rules.html", context)


@require_POST
@tenant_view("automation.view_rule")
def rule_run(request, pk: int):
    """Run a manual rule on a record now; HTMX gets the outcome in place, a plain POST a page message."""
    rule = _rule(request, pk)
    record_id = request.POST.get("record_id", "").strip() or None
    run, error = None, ""
    try:
        run = services.rule_run_manual(access=request.access, rule=rule, record_id=record_id)
    except ApplicationError as exc:
        error = str(exc.message)
    if run is not None:
        run.refresh_from_db()
    if request.htmx:
        context = {"rule": rule, "run": run, "error": error, "badge": RUN_BADGES.get(getattr(run, "status", ""), "")}
        context["can_view_run"] = request.access.has_perm("automation.view_run")
        return render(request, "automation/rules/partials/run_result.html", context)
    if error or run is None:
        messages.error(request, error or _("The rule did not start."))
    else:
        messages.success(
            request, _("“%(name)s” ran: %(status)s") % {"name": rule.name, "status": run.get_status_display()}
        )
    return _back(request, rule)
