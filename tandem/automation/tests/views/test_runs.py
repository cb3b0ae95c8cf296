"""The run log: the list with its filters and one run's trigger, condition trace and steps."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.automation.models import Run, RunStatus
from tandem.automation.services.defaults import WON_DEAL_KEY
from tandem.automation.tests.factories import handoff_world
from tandem.crm.services.deals import deal_mark_won
from tandem.testing.kit import page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def won(tenant, django_capture_on_commit_callbacks):
    world = handoff_world(tenant)
    with django_capture_on_commit_callbacks(execute=True):
        deal_mark_won(access=world.sales_access, deal=world.deal)
    return world, Run.objects.get(rule__key=WON_DEAL_KEY, record_id=str(world.deal.pk))


def test_the_run_list_shows_the_run_with_its_record_and_status(won):
    world, run = won
    response = page_client(world.admin).get(reverse("automation:runs"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="run-{run.pk}"' in html
    assert reverse("crm:deal_detail", args=[world.deal.pk]) in html
    assert "crm.deal.won" in html


def test_the_run_list_filters_by_rule_status_and_day(won):
    world, run = won
    client = page_client(world.admin)
    url = reverse("automation:runs")
    assert f'id="run-{run.pk}"' in client.get(url, {"rule": run.rule_id, "status": "succeeded"}).content.decode()
    assert f'id="run-{run.pk}"' not in client.get(url, {"status": "failed"}).content.decode()
    assert f'id="run-{run.pk}"' not in client.get(url, {"since": "2999-01-01"}).content.decode()
    # The page reads days in the tenant's time zone: after 16:00 UTC it is already tomorrow in Shanghai.
    today = timezone.localdate(run.created_at, ZoneInfo(run.tenant.timezone)).isoformat()
    assert f'id="run-{run.pk}"' in client.get(url, {"since": today, "until": today}).content.decode()


def test_the_run_detail_shows_the_trigger_and_every_step(won):
    world, run = won
    assert run.status == RunStatus.SUCCEEDED
    response = page_client(world.admin).get(reverse("automation:run_detail", args=[run.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="step-0"' in html and 'id="step-1"' in html
    assert [s.status for s in response.context["steps"]] == ["succeeded", "succeeded"]
    assert all(s.label and s.label != s.action for s in response.context["steps"])
    assert world.deal.name in html
    for step in run.steps.all():
        assert step.result["summary"] in html


def test_the_run_detail_draws_the_condition_trace(won, django_capture_on_commit_callbacks):
    from tandem.automation.models import Rule
    from tandem.automation.services.rules import rule_update

    world, _run = won
    rule = Rule.objects.get(tenant=world.tenant, key=WON_DEAL_KEY)
    condition = {
        "any": [{"field": "deal.amount", "op": "gte", "value": 1}, {"not": {"field": "deal.name", "op": "is_empty"}}]
    }
    rule_update(access=world.admin_access, rule=rule, conditions=condition)
    deal = world.more_deals(1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        deal_mark_won(access=world.sales_access, deal=deal)
    run = Run.objects.get(rule=rule, record_id=str(deal.pk))
    html = page_client(world.admin).get(reverse("automation:run_detail", args=[run.pk])).content.decode()
    assert 'id="run-conditions"' in html
    assert html.count('class="trace-node"') == 4  # the group, a leaf, the "not" and its leaf


def test_a_sales_user_cannot_read_the_run_log(won):
    world, run = won
    client = page_client(world.sales)
    assert client.get(reverse("automation:runs")).status_code == 403
    assert client.get(reverse("automation:run_detail", args=[run.pk])).status_code == 403


def test_a_run_of_another_tenant_is_not_found(won, other_tenant):
    from tandem.testing.kit import make_member

    _world, run = won
    stranger = page_client(make_member(other_tenant, "admin"))
    assert stranger.get(reverse("automation:run_detail", args=[run.pk])).status_code == 404
