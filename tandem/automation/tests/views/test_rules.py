"""The rule pages: list, builder (new/edit), detail, toggle, delete, dry run, and the record page's manual menu."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tandem.automation.models import Rule, RuleVersion, Run, RunStatus, TriggerType
from tandem.automation.services.defaults import WON_DEAL_KEY
from tandem.automation.services.rules import rule_create
from tandem.automation.tests.factories import handoff_world
from tandem.automation.views import text as rule_text
from tandem.core import conditions
from tandem.projects.models import Project
from tandem.testing.kit import page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant):
    return handoff_world(tenant)


@pytest.fixture
def admin(world):
    return page_client(world.admin)


def won_deal_definition(world) -> dict:
    return {
        "trigger_type": "event",
        "model": "crm.deal",
        "trigger": {"event": "crm.deal.won"},
        "conditions": {"all": [{"field": "deal.amount", "op": "gte", "value": 100000}]},
        "actions": [
            {
                "type": "create_project",
                "params": {
                    "template": {"mode": "fixed", "id": world.template.pk},
                    "manager": {"strategy": "least_loaded", "role": "pm"},
                    "start_in_working_days": 1,
                },
            },
            {
                "type": "notify",
                "params": {"recipients": ["project_manager"], "channels": ["in_app"], "subject": "{{ deal.name }}"},
            },
        ],
    }


def post_rule(client, url, definition, **fields):
    data = {"name": "赢单建项目", "description": "", "owner": "", "max_failures": "5", **fields}
    data["definition"] = json.dumps(definition)
    return client.post(url, data)


def manual_rule(world, **fields) -> Rule:
    return rule_create(
        access=world.admin_access,
        name=fields.pop("name", "补建跟进"),
        trigger_type=TriggerType.MANUAL,
        model="crm.deal",
        actions=[{"type": "add_activity", "params": {"subject": "跟进 {{ deal.name }}"}}],
        **fields,
    )


def test_list_new_edit_and_detail_render_for_an_admin(world, admin):
    rule = Rule.objects.get(tenant=world.tenant, key=WON_DEAL_KEY)
    page = admin.get(reverse("automation:rules"))
    assert page.status_code == 200
    assert f'id="rule-{rule.pk}"' in page.content.decode()
    builder = admin.get(reverse("automation:rule_add"))
    assert builder.status_code == 200
    assert 'id="rule-builder-meta"' in builder.content.decode()
    assert "automation/rule_builder.js" in builder.content.decode()
    edit = admin.get(reverse("automation:rule_edit", args=[rule.pk]))
    assert edit.status_code == 200
    assert "crm.deal.won" in edit.content.decode()
    detail = admin.get(reverse("automation:rule_detail", args=[rule.pk]))
    assert detail.status_code == 200
    assert 'id="rule-versions"' in detail.content.decode()


def test_the_builder_creates_a_won_deal_rule_with_its_first_version(world, admin):
    definition = won_deal_definition(world)
    response = post_rule(admin, reverse("automation:rule_add"), definition, owner=str(world.admin.user_id))
    rule = Rule.objects.get(tenant=world.tenant, name="赢单建项目")
    assert response.status_code == 302
    assert response.url == reverse("automation:rule_detail", args=[rule.pk])
    assert rule.trigger == {"event": "crm.deal.won"}
    assert rule.actions == definition["actions"]
    assert rule.owner_id == world.admin.user_id
    assert list(rule.versions.values_list("number", flat=True)) == [1]


def test_an_invalid_definition_comes_back_with_its_errors_and_writes_nothing(world, admin):
    definition = won_deal_definition(world)
    definition["trigger"] = {}
    definition["actions"][0]["params"]["manager"] = {"strategy": "by_skill"}
    rules, versions = Rule.objects.count(), RuleVersion.objects.count()
    response = post_rule(admin, reverse("automation:rule_add"), definition)
    assert response.status_code == 200
    state = response.context["state"]
    assert "trigger.event" in state["errors"]
    assert "actions.0.params.manager" in state["errors"]
    assert state["definition"]["actions"][0]["params"]["manager"] == {"strategy": "by_skill"}  # the input is kept
    assert 'id="rule-errors"' in response.content.decode()
    assert (Rule.objects.count(), RuleVersion.objects.count()) == (rules, versions)


def test_bad_json_and_a_missing_name_are_form_errors(world, admin):
    response = admin.post(reverse("automation:rule_add"), {"name": "", "max_failures": "5", "definition": "{nope"})
    assert response.status_code == 200
    assert set(response.context["errors"]) >= {"name", "definition"}
    assert not Rule.objects.filter(tenant=world.tenant, name="").exists()


def test_editing_the_definition_adds_version_two_and_keeping_it_adds_none(world, admin):
    post_rule(admin, reverse("automation:rule_add"), won_deal_definition(world))
    rule = Rule.objects.get(tenant=world.tenant, name="赢单建项目")
    url = reverse("automation:rule_edit", args=[rule.pk])
    post_rule(admin, url, won_deal_definition(world), name="赢单建项目（改名）")
    assert rule.versions.count() == 1  # the name is not part of the definition
    changed = won_deal_definition(world)
    changed["conditions"]["all"][0]["value"] = 500000
    response = post_rule(admin, url, changed)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.version == 2
    assert list(rule.versions.values_list("number", flat=True)) == [2, 1]
    assert rule.conditions["all"][0]["value"] == 500000


def test_toggle_disables_and_enables(world, admin):
    rule = Rule.objects.get(tenant=world.tenant, key=WON_DEAL_KEY)
    url = reverse("automation:rule_toggle", args=[rule.pk])
    assert admin.post(url, {"enabled": "off"}).status_code == 302
    rule.refresh_from_db()
    assert not rule.enabled
    admin.post(url, {"enabled": "on", "next": reverse("automation:rules")})
    rule.refresh_from_db()
    assert rule.enabled


def test_delete_asks_then_moves_the_rule_to_the_recycle_bin(world, admin):
    rule = manual_rule(world)
    url = reverse("automation:rule_delete", args=[rule.pk])
    assert admin.get(url).status_code == 200
    assert Rule.objects.filter(pk=rule.pk).exists()
    response = admin.post(url)
    assert response.status_code == 302
    assert not Rule.objects.filter(pk=rule.pk).exists()
    assert Rule.all_objects.filter(pk=rule.pk, deleted_at__isnull=False).exists()


def test_dry_run_shows_each_condition_and_action_and_writes_nothing(world, admin):
    definition = won_deal_definition(world)
    definition["conditions"] = {
        "all": [
            {"field": "deal.amount", "op": "gte", "value": 100000},
            {"field": "deal.deal_type", "op": "eq", "value": "maintenance"},
        ]
    }
    before = (Project.objects.count(), Run.objects.count(), Rule.objects.count(), RuleVersion.objects.count())
    data = {"definition": json.dumps(definition), "record_id": str(world.deal.pk)}
    response = admin.post(reverse("automation:dry_run"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="dry-run-conditions"' in html
    assert html.count("bi-check-lg") == 1 and html.count("bi-x-lg") == 2  # amount holds; type and the group fail
    assert "&quot;installation&quot;" in html  # the actual value found
    assert 'id="dry-run-steps"' not in html  # the rule would not run
    definition["conditions"] = None
    response = admin.post(reverse("automation:dry_run"), {**data, "definition": json.dumps(definition)})
    html = response.content.decode()
    assert 'id="dry-run-steps"' in html
    assert html.count("text-bg-success") == 2  # both actions would succeed
    after = (Project.objects.count(), Run.objects.count(), Rule.objects.count(), RuleVersion.objects.count())
    assert after == before


def test_dry_run_reports_an_invalid_definition_and_a_missing_record(world, admin):
    definition = won_deal_definition(world)
    response = admin.post(reverse("automation:dry_run"), {"definition": json.dumps(definition), "record_id": ""})
    assert "record_id" in response.content.decode()
    definition["actions"] = []
    response = admin.post(reverse("automation:dry_run"), {"definition": json.dumps(definition), "record_id": "1"})
    assert "<code>actions</code>" in response.content.decode()


def test_a_sales_user_is_refused_every_rule_page(world):
    rule = Rule.objects.get(tenant=world.tenant, key=WON_DEAL_KEY)
    client = page_client(world.sales)
    for url in (
        reverse("automation:rules"),
        reverse("automation:rule_add"),
        reverse("automation:rule_detail", args=[rule.pk]),
        reverse("automation:rule_edit", args=[rule.pk]),
        reverse("automation:runs"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("automation:rule_toggle", args=[rule.pk])).status_code == 403
    assert client.post(reverse("automation:dry_run"), {"definition": "{}"}).status_code == 403


def test_record_rules_lists_the_manual_rules_and_running_one_starts_a_run(
    world, admin, django_capture_on_commit_callbacks
):
    rule = manual_rule(world)
    manual_rule(world, name="已停用", enabled=False)
    fragment = admin.get(reverse("automation:record_rules", args=["crm.deal", world.deal.pk]), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert f'id="run-rule-{rule.pk}"' in html
    assert "已停用" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("automation:rule_run", args=[rule.pk]), {"record_id": str(world.deal.pk)}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    run = Run.objects.get(rule=rule)
    assert run.record_id == str(world.deal.pk)
    assert run.triggered_by_id == world.admin.user_id
    assert run.status == RunStatus.SUCCEEDED
    assert reverse("automation:run_detail", args=[run.pk]) in response.content.decode()


def test_record_rules_is_empty_without_manual_rules_and_404_for_an_unknown_type_or_record(world, admin):
    empty = admin.get(reverse("automation:record_rules", args=["crm.deal", world.deal.pk]))
    assert empty.status_code == 200
    assert 'id="record-rules"' not in empty.content.decode()
    assert admin.get(reverse("automation:record_rules", args=["crm.nothing", world.deal.pk])).status_code == 404
    assert admin.get(reverse("automation:record_rules", args=["crm.deal", world.deal.pk + 999])).status_code == 404


def test_the_deal_page_loads_the_menu_only_for_members_who_see_rules(world, admin):
    url = reverse("crm:deal_detail", args=[world.deal.pk])
    menu = reverse("automation:record_rules", args=["crm.deal", world.deal.pk])
    assert menu in admin.get(url).content.decode()
    assert menu not in page_client(world.sales).get(url).content.decode()


def test_the_webhook_rule_page_shows_its_address_and_rotates_the_secret(world, admin):
    rule = rule_create(
        access=world.admin_access,
        name="外部回调",
        trigger_type=TriggerType.WEBHOOK,
        actions=[{"type": "notify", "params": {"recipients": [f"user:{world.admin.user_id}"], "subject": "hi"}}],
    )
    html = admin.get(reverse("automation:rule_detail", args=[rule.pk])).content.decode()
    assert reverse("automation:hook", args=[rule.webhook_token]) in html
    assert rule.webhook_secret in html
    old = rule.webhook_token
    admin.post(reverse("automation:rule_rotate_secret", args=[rule.pk]))
    rule.refresh_from_db()
    assert rule.webhook_token != old


def test_every_operator_has_a_builder_label():
    assert set(rule_text.OPERATORS) == set(conditions.OPERATORS)
