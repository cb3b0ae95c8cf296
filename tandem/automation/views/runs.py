"""The run log: every run with its trigger, version, condition result and each action's outcome."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlsplit

from django.shortcuts import render

from tandem.automation import actions as registry
from tandem.automation import catalog, selectors
from tandem.automation.models import ActionStatus, RunStatus
from tandem.automation.views import text
from tandem.automation.views.rules import RUN_BADGES
from tandem.core.views import paginate, record_or_404, tenant_view

STEP_BADGES = {
    ActionStatus.PENDING: "text-bg-secondary",
    ActionStatus.RUNNING: "text-bg-info",
    ActionStatus.RETRYING: "text-bg-warning",
    ActionStatus.WAITING: "text-bg-info",
    ActionStatus.SUCCEEDED: "text-bg-success",
    ActionStatus.FAILED: "text-bg-danger",
    ActionStatus.SKIPPED: "text-bg-light border",
}


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _step_links(result) -> list[tuple[str, str]]:
    """Records a step produced (a new project, a task…) as (name, path) links, from its result data."""
    data = (result or {}).get("data") if isinstance(result, dict) else None
    links = []
    for value in (data or {}).values():
        if isinstance(value, dict) and isinstance(value.get("url"), str) and value.get("repr"):
            parts = urlsplit(value["url"])
            links.append((value["repr"], parts.path + (f"?{parts.query}" if parts.query else "")))
    return links


@tenant_view("automation.view_run")
def run_list(request):
    """Runs newest first, filtered by rule, status and day range."""
    filters = {
        "rule": request.GET.get("rule", "") if request.GET.get("rule", "").isdigit() else "",
        "status": request.GET.get("status", "") if request.GET.get("status") in RunStatus.values else "",
        "since": _day(request.GET.get("since", "")),
        "until": _day(request.GET.get("until", "")),
    }
    page = paginate(request, selectors.run_list(access=request.access, filters=filters))
    urls = selectors.run_record_urls(access=request.access, runs=page.object_list)
    for run in page.object_list:
        run.badge = RUN_BADGES.get(run.status, "")
        run.record_url = urls.get((run.record_model, run.record_id), "")
    rules = selectors.run_rules(access=request.access)
    context = {
        "page": page,
        "rules": rules,
        "statuses": RunStatus.choices,
        "filters": {**filters, "since": request.GET.get("since", ""), "until": request.GET.get("until", "")},
    }
    return render(request, "automation/runs/list.html", context)


@tenant_view("automation.view_run")
def run_detail(request, pk: int):
    """One run: what triggered it, the payload, the condition trace as a tree and every step's outcome."""
    run = record_or_404(request, selectors.runs_with_steps(access=request.access), pk)
    labels = {a["key"]: a["label"] for a in registry.describe()}
    steps = list(run.steps.all())
    for step in steps:
        step.label = labels.get(step.action, step.action)
        step.badge = STEP_BADGES.get(step.status, "")
        step.params_json = json.dumps(step.params, ensure_ascii=False, indent=2)
        step.links = _step_links(step.result)
        step.result_json = json.dumps(step.result, ensure_ascii=False, indent=2) if step.result else ""
    urls = selectors.run_record_urls(access=request.access, runs=[run])
    trace = run.condition_trace if isinstance(run.condition_trace, dict) else {}
    context = {
        "run": run,
        "badge": RUN_BADGES.get(run.status, ""),
        "steps": steps,
        "record_url": urls.get((run.record_model, run.record_id), ""),
        "record_type": catalog.get(run.record_model),
        "payload_json": json.dumps(run.payload, ensure_ascii=False, indent=2) if run.payload else "",
        "trace": text.trace_tree(trace.get("tree"), run.version.model),
        "trace_errors": trace.get("errors") or [],
    }
    return render(request, "automation/runs/detail.html", context)
