"""Seed scenario 1 through the API: sales wins a deal (twice); once, a project from the template with a PM by
skill and load, the PM told in the app, the DingTalk/WeCom/Feishu groups told (signatures checked by the
receiver), an integrator's endpoint gets signed webhooks; every step logged."""

import pytest

from tandem.automation.channels.services import channel_create
from tandem.automation.models import Rule, Run, RunStatus, WebhookDelivery
from tandem.automation.services.defaults import WON_DEAL_KEY
from tandem.automation.services.rules import rule_update
from tandem.automation.tests import channels_support
from tandem.automation.tests.factories import handoff_world
from tandem.automation.tests.webhook_receiver import receiver_fixture as webhook_receiver_fixture
from tandem.automation.webhooks.services import endpoint_create
from tandem.notifications.models import Notification
from tandem.projects.models import Project
from tandem.testing.kit import api_client

pytestmark = pytest.mark.django_db
robots = channels_support.receiver
integrator = pytest.fixture(webhook_receiver_fixture.__wrapped__, name="integrator")


def robot_answer(request):
    if request.path.startswith("/dingtalk"):
        return channels_support.dingtalk_vendor(request)
    if request.path.startswith("/feishu"):
        return channels_support.feishu_vendor(request)
    return 200, b'{"errcode":0,"errmsg":"ok"}'


def test_won_deal_to_project_end_to_end(tenant, robots, integrator, settings, django_capture_on_commit_callbacks):
    channels_support.allow_local_robots(settings)
    world = handoff_world(tenant)
    robots.answer = robot_answer
    channels = [
        channel_create(
            access=world.admin_access,
            kind="dingtalk",
            name="工程部钉钉群",
            url=robots.url("/dingtalk/robot/send") + "?access_token=t1",
            secret=channels_support.DINGTALK_SECRET,
        ),
        channel_create(
            access=world.admin_access,
            kind="wecom",
            name="项目部企业微信群",
            url=robots.url("/wecom/cgi-bin/webhook/send") + "?key=k1",
        ),
        channel_create(
            access=world.admin_access,
            kind="feishu",
            name="交付飞书群",
            url=robots.url("/feishu/open-apis/bot/v2/hook/abc"),
            secret=channels_support.FEISHU_SECRET,
        ),
    ]
    rule = Rule.objects.get(tenant=tenant, key=WON_DEAL_KEY)
    actions = rule.actions
    actions[1]["params"]["channels"] = ["in_app", *[f"channel:{c.pk}" for c in channels]]
    rule_update(access=world.admin_access, rule=rule, actions=actions)
    endpoint = endpoint_create(
        access=world.admin_access,
        url=integrator.url("/tandem"),
        event_types=["crm.deal.won", "projects.project.created"],
    )
    integrator.secrets = [endpoint.secret]

    client = api_client(world.sales)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/api/v1/crm/deals/{world.deal.pk}/win/", {}, format="json")
        assert response.status_code == 200, response.content

    projects = Project.objects.filter(deal_id=world.deal.pk)
    assert projects.count() == 1
    project = projects.get()
    assert project.owner_id == world.pm_light.user_id
    assert project.tasks.count() == 4
    run = Run.objects.get(rule=rule)
    assert run.status == RunStatus.SUCCEEDED
    assert run.event_name == "crm.deal.won"
    assert "工程部钉钉群" in run.steps.get(index=1).result["summary"]
    assert Notification.objects.filter(recipient=world.pm_light.user, title__contains=project.number).count() == 1

    by_platform = {r.path.split("/")[1]: r for r in robots.requests}
    assert set(by_platform) == {"dingtalk", "wecom", "feishu"}
    assert channels_support.dingtalk_signature_valid(
        by_platform["dingtalk"].parameters(), channels_support.DINGTALK_SECRET
    )
    assert channels_support.feishu_signature_valid(by_platform["feishu"].json(), channels_support.FEISHU_SECRET)
    assert project.number in by_platform["wecom"].json()["markdown"]["content"]
    assert len(robots.requests) == 3  # each group told once

    types = sorted(r.json()["type"] for r in integrator.requests)
    assert types == ["crm.deal.won", "projects.project.created"]
    assert all(r.verified_with == [endpoint.secret] for r in integrator.requests)
    created = next(r for r in integrator.requests if r.json()["type"] == "projects.project.created")
    assert created.json()["data"]["project_id"] == project.pk
    assert WebhookDelivery.objects.filter(endpoint=endpoint, status="succeeded").count() == 2
