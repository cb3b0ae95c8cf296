"""/api/v1/automation/rules/ and /runs/: create, validate, version, dry run, manual run, tenant isolation."""

import pytest

from tandem.automation.models import Rule, RuleVersion, Run, RunStatus
from tandem.automation.tests.factories import handoff_world
from tandem.projects.models import Project
from tandem.testing.kit import api_client, make_member

pytestmark = pytest.mark.django_db
URL = "/api/v1/automation/rules/"


@pytest.fixture
def world(tenant):
    return handoff_world(tenant)


def won_rule(world, **extra):
    return {
        "name": "赢单立项（智能化）",
        "trigger_type": "event",
        "model": "crm.deal",
        "trigger": {"event": "crm.deal.won"},
        "conditions": {"all": [{"field": "deal.deal_type", "op": "eq", "value": "installation"}]},
        "actions": [
            {
                "type": "create_project",
                "params": {
                    "template": {"mode": "fixed", "id": world.template.pk},
                    "manager": {"strategy": "by_skill", "role": "pm", "skill": "弱电"},
                },
            },
            {
                "type": "notify",
                "params": {"recipients": ["project_manager"], "subject": "新项目 {{ project.number }}"},
            },
        ],
        **extra,
    }


def test_create_a_rule_and_read_it_back_with_its_version(world):
    client = api_client(world.admin)
    response = client.post(URL, won_rule(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1
    assert [v["number"] for v in body["versions"]] == [1]
    detail = client.get(f"{URL}{body['id']}/").json()
    assert detail["actions"][0]["type"] == "create_project"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"trigger_type": "bogus"}, "trigger_type"),
        ({"trigger": {"event": ""}}, "trigger.event"),
        ({"model": "crm.nothing"}, "model"),
        ({"conditions": {"field": "deal.amount", "op": "regex", "value": ".*"}}, "conditions"),
        ({"conditions": {"all": []}}, "conditions"),
        ({"conditions": {"field": "deal.__class__", "op": "eq", "value": 1}}, "conditions"),
        ({"actions": []}, "actions"),
        ({"actions": [{"type": "run_python", "params": {}}]}, "actions.0.type"),
        ({"actions": [{"type": "notify", "params": {"subject": "{% load os %}"}}]}, "actions.0.params.subject"),
        (
            {"actions": [{"type": "create_project", "params": {"manager": {"strategy": "psychic"}}}]},
            "actions.0.params.template",
        ),
        ({"actions": [{"type": "delay", "params": {"amount": -1}}]}, "actions.0.params.amount"),
        (
            {
                "trigger_type": "schedule",
                "model": "",
                "trigger": {"cron": "every day"},
                "actions": [{"type": "send_webhook", "params": {"url": "http://127.0.0.1:9/"}}],
            },
            "trigger.cron",
        ),
    ],
)
def test_an_invalid_rule_is_a_400_naming_the_reason_and_writes_nothing(world, change, path):
    before = (Rule.objects.count(), RuleVersion.objects.count())
    body = {**won_rule(world), **change}
    if change.get("trigger_type") == "bogus":
        body["trigger_type"] = "bogus"
    response = api_client(world.admin).post(URL, body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json().get("errors") or response.json()
    assert path in errors, errors
    assert (Rule.objects.count(), RuleVersion.objects.count()) == before


def test_a_condition_deeper_than_ten_levels_is_refused(world):
    node = {"field": "deal.amount", "op": "gt", "value": 1}
    for _ in range(10):
        node = {"not": node}
    response = api_client(world.admin).post(URL, won_rule(world, conditions=node), format="json")
    assert response.status_code == 400
    assert "conditions" in response.json()["errors"]


def test_editing_the_definition_adds_a_version_and_renaming_does_not(world):
    client = api_client(world.admin)
    rule_id = client.post(URL, won_rule(world), format="json").json()["id"]
    renamed = client.patch(f"{URL}{rule_id}/", {"name": "赢单立项"}, format="json")
    assert renamed.json()["version"] == 1
    changed = client.patch(f"{URL}{rule_id}/", {"conditions": None}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2
    assert RuleVersion.objects.filter(rule_id=rule_id).count() == 2
    assert RuleVersion.objects.get(rule_id=rule_id, number=1).conditions is not None


def test_dry_run_shows_what_would_happen_and_writes_nothing(world):
    client = api_client(world.admin)
    rule_id = client.post(URL, won_rule(world), format="json").json()["id"]
    counts = (Project.objects.count(), Run.objects.count())
    response = client.post(f"{URL}{rule_id}/dry-run/", {"record_id": world.deal.pk}, format="json")
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["conditions"]["result"] is True
    assert [s["status"] for s in report["steps"]] == ["ok", "ok"]
    assert "王工" in report["steps"][0]["summary"]
    assert "王工" in report["steps"][1]["summary"]
    assert (Project.objects.count(), Run.objects.count()) == counts


def test_dry_run_of_a_record_the_conditions_exclude(world):
    client = api_client(world.admin)
    rule_id = client.post(URL, won_rule(world), format="json").json()["id"]
    world.deal.deal_type = "design"
    world.deal.save()
    report = client.post(f"{URL}{rule_id}/dry-run/", {"record_id": world.deal.pk}, format="json").json()
    assert report["conditions"]["result"] is False
    leaf = report["conditions"]["tree"]["all"][0]
    assert leaf["actual"] == "design"
    assert report["steps"] == []


def test_manual_rule_runs_from_the_api(world, django_capture_on_commit_callbacks):
    client = api_client(world.admin)
    body = won_rule(world, trigger_type="manual", trigger={}, conditions=None)
    rule_id = client.post(URL, body, format="json").json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}{rule_id}/run/", {"record_id": world.deal.pk}, format="json")
    assert response.status_code == 202, response.content
    run = Run.objects.get(pk=response.json()["id"])
    assert run.status == RunStatus.SUCCEEDED
    assert run.triggered_by_id == world.admin.user_id
    assert Project.objects.filter(deal_id=world.deal.pk).count() == 1
    detail = client.get(f"/api/v1/automation/runs/{run.pk}/").json()
    assert [s["status"] for s in detail["steps"]] == ["succeeded", "succeeded"]
    assert detail["version"] == 1


def test_other_tenants_and_sales_cannot_reach_rules(world, other_tenant):
    client = api_client(world.admin)
    rule_id = client.post(URL, won_rule(world), format="json").json()["id"]
    outsider = make_member(other_tenant, "admin")
    assert api_client(outsider).get(f"{URL}{rule_id}/").status_code == 404
    assert api_client(world.sales).get(URL).status_code == 403
    assert api_client(world.sales).post(URL, won_rule(world), format="json").status_code == 403


def test_catalog_lists_records_actions_and_operators(world):
    body = api_client(world.admin).get("/api/v1/automation/catalog/").json()
    assert "crm.deal" in [r["key"] for r in body["records"]]
    assert {"create_project", "notify", "assign", "delay", "send_webhook"} <= {a["key"] for a in body["actions"]}
    assert "within_last_days" in body["operators"]
