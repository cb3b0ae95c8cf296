"""Webhook pages: list, form with event type checkboxes, detail with secret reveal, rotation, test, log, replay."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tandem.automation.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tandem.automation.tests.webhook_receiver import immediate_tasks_fixture, receiver_fixture  # noqa: F401
from tandem.automation.webhooks import services
from tandem.core.events import emit
from tandem.testing.kit import access_for, make_member, make_tenant, page_client


@pytest.fixture(autouse=True)
def _english_and_private_receivers(settings, immediate_tasks):
    settings.TANDEM_WEBHOOK_ALLOW_PRIVATE = True
    with translation.override("en"):
        yield


@pytest.fixture
def access(admin_member):
    return access_for(admin_member)


@pytest.fixture
def client(admin_member):
    client = page_client(admin_member)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def endpoint(access, receiver):
    endpoint = services.endpoint_create(
        access=access, url=receiver.url(), event_types=["crm.deal.won", "projects.*"], description="金蝶 ERP"
    )
    receiver.secrets = [endpoint.secret]
    return endpoint


def detail_url(endpoint):
    return reverse("automation:webhook_detail", kwargs={"pk": endpoint.pk})


def test_the_list_shows_the_tenants_endpoints_only(client, endpoint, receiver):
    foreign = access_for(make_member(make_tenant(), "admin"))
    services.endpoint_create(access=foreign, url="https://other.example.com/x", event_types=["*"], description="ZZ")

    response = client.get(reverse("automation:webhooks"))

    assert response.status_code == 200
    text = response.content.decode()
    assert receiver.url() in text and "金蝶 ERP" in text and "Deal won" in text
    assert "other.example.com" not in text
    assert endpoint.secret not in text


def test_create_from_the_form_then_the_detail_page(client, receiver):
    form = client.get(reverse("automation:webhook_add"))
    assert form.status_code == 200
    assert 'value="crm.deal.won"' in form.content.decode() and 'value="crm.*"' in form.content.decode()

    response = client.post(
        reverse("automation:webhook_add"),
        {
            "url": receiver.url(),
            "description": "ERP",
            "event_types": ["crm.*", "projects.task.completed"],
            "enabled": "on",
        },
    )

    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(endpoint)
    assert endpoint.event_types == ["crm.*", "projects.task.completed"]
    assert endpoint.enabled
    page = client.get(detail_url(endpoint)).content.decode()
    assert "Reveal secret" in page and endpoint.secret not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "ftp://example.com/x", "event_types": ["crm.*"]}, "Enter a valid http:// or https:// URL."),
        ({"url": "https://example.com/x"}, "Choose at least one event type."),
        ({"url": "https://example.com/x", "event_types": ["testing.sample.happened"]}, "Select a valid choice"),
        ({"url": "", "event_types": ["crm.*"]}, "This field is required."),
    ],
)
def test_bad_input_shows_the_error_and_creates_nothing(client, data, message):
    response = client.post(reverse("automation:webhook_add"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_edit(client, endpoint):
    url = reverse("automation:webhook_edit", kwargs={"pk": endpoint.pk})
    assert 'value="crm.deal.won" ' in client.get(url).content.decode().replace("checked", "")

    response = client.post(url, {"url": "https://hooks.example.com/t", "event_types": ["*"]})

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.event_types, endpoint.enabled, endpoint.description) == (
        "https://hooks.example.com/t",
        ["*"],
        False,
        "",
    )


def test_reveal_and_rotate_the_secret(client, endpoint):
    old = endpoint.secret
    reveal = reverse("automation:webhook_secret", kwargs={"pk": endpoint.pk})
    assert old in client.get(reveal, HTTP_HX_REQUEST="true").content.decode()

    response = client.post(reverse("automation:webhook_rotate", kwargs={"pk": endpoint.pk}), {"overlap_hours": "24"})

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    revealed = client.get(reveal).content.decode()
    assert endpoint.secret in revealed and old in revealed
    assert "Rotation in progress" in client.get(detail_url(endpoint)).content.decode()


def test_send_test_then_the_log_shows_each_attempt_and_replay_sends_again(
    client, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.script((503, {}, b"maintenance"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("automation:webhook_test", kwargs={"pk": endpoint.pk}))
    assert response.status_code == 302
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING

    page = client.get(detail_url(endpoint)).content.decode()
    assert "webhook.test" in page and "Retrying" in page
    assert "503" in page and "maintenance" in page

    replay = reverse("automation:webhook_replay", kwargs={"pk": endpoint.pk, "delivery_id": delivery.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(replay).status_code == 302
    replayed = WebhookDelivery.objects.get(replay_of=delivery)
    assert replayed.status == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 2 and all(r.verified_with for r in receiver.requests)
    filtered = client.get(detail_url(endpoint), {"status": "succeeded"}).content.decode()
    assert f'id="delivery-{replayed.pk}"' in filtered and f'id="delivery-{delivery.pk}"' not in filtered


def test_delete(client, endpoint):
    response = client.post(reverse("automation:webhook_delete", kwargs={"pk": endpoint.pk}))

    assert response.status_code == 302 and response["Location"] == reverse("automation:webhooks")
    assert not WebhookEndpoint.objects.exists()


def test_another_tenants_endpoint_is_not_found(client, receiver):
    other = make_tenant()
    foreign = services.endpoint_create(
        access=access_for(make_member(other, "admin")), url=receiver.url(), event_types=["*"]
    )
    (delivery,) = services.deliveries_for_event(emit("crm.deal.won", tenant=other, payload={}))

    for name in ("webhook_detail", "webhook_edit", "webhook_secret"):
        assert client.get(reverse(f"automation:{name}", kwargs={"pk": foreign.pk})).status_code == 404
    for name in ("webhook_rotate", "webhook_test", "webhook_delete"):
        assert client.post(reverse(f"automation:{name}", kwargs={"pk": foreign.pk})).status_code == 404
    replay = reverse("automation:webhook_replay", kwargs={"pk": foreign.pk, "delivery_id": delivery.pk})
    assert client.post(replay).status_code == 404
    assert WebhookEndpoint.objects.filter(pk=foreign.pk).exists()
    assert WebhookDelivery.objects.count() == 1


def test_view_only_members_see_the_log_but_not_the_secret_or_buttons(tenant, endpoint):
    from tandem.accounts.models import Role

    role = Role.objects.create(
        tenant=tenant, key="hooks", name="Hooks", permissions=["automation.view_webhookendpoint"]
    )
    member = make_member(tenant)
    member.roles.add(role)
    client = page_client(member)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(detail_url(endpoint)).content.decode()

    assert "金蝶 ERP" in page and "Reveal secret" not in page and "webhook-rotate" not in page
    assert client.get(reverse("automation:webhook_secret", kwargs={"pk": endpoint.pk})).status_code == 403


def test_the_detail_page_costs_the_same_queries_for_one_or_many_deliveries(tenant, client, endpoint):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(endpoint)).status_code == 200
        return len(queries)

    for delivery in services.deliveries_for_event(emit("crm.deal.won", tenant=tenant, payload={})):
        services.delivery_send(delivery.pk)
    one = count()
    for n in range(5):
        for delivery in services.deliveries_for_event(emit("projects.task.created", tenant=tenant, payload={"n": n})):
            services.delivery_send(delivery.pk)
    assert count() == one


def test_the_pages_render_in_chinese(client, endpoint):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(detail_url(endpoint)).content.decode()
    form = client.get(reverse("automation:webhook_add")).content.decode()

    assert "投递记录" in page
    assert "商机赢单" in form
