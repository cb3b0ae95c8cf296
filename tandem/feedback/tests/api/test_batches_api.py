import pytest

from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.choices import BatchStatus
from tandem.feedback.models import Survey, SurveyBatch
from tandem.feedback.services.templates import template_default
from tandem.testing.kit import api_client, make_member

API = "/api/v1/feedback/batches/"


@pytest.fixture
def tagged(crew):
    for i in range(2):
        account = make_account(crew.tenant, crew.rep.user, name=f"接口客户{i}", tags=["接口"])
        make_contact(crew.tenant, crew.rep.user, account, primary=True, email=f"api{i}@example.com")
    return template_default(tenant_id=crew.tenant.pk, language="zh-hans")


@pytest.mark.django_db(transaction=True)
def test_post_starts_a_batch_and_get_shows_its_counts(crew, tagged, smtp_inbox):
    client = api_client(crew.service)
    response = client.post(API, {"filters": {"tag": "接口"}, "template": tagged.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["filters"] == {"tag": "接口"} and body["total"] == 2
    detail = client.get(f"{API}{body['id']}/").json()
    assert (detail["status"], detail["sent"], detail["skipped"], detail["failed"]) == (BatchStatus.DONE, 2, 0, 0)
    assert detail["finished_at"] and len(smtp_inbox.envelopes) == 2
    listed = client.get(API).json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    nonces = Survey.objects.filter(batch_id=body["id"]).values_list("nonce", flat=True)
    text = client.get(API).content.decode() + client.get(f"{API}{body['id']}/").content.decode()
    assert all(n not in text for n in nonces)


@pytest.mark.django_db
def test_bad_requests_are_problems_and_start_nothing(crew, tagged, other_tenant):
    client = api_client(crew.service)
    foreign = template_default(tenant_id=other_tenant.pk, language="zh-hans")
    for payload in (
        {},
        {"template": tagged.pk, "filters": {"colour": "blue"}},
        {"template": tagged.pk, "filters": {"tier": "nonsense"}},
        {"template": tagged.pk, "filters": {"tag": "没有"}},
        {"template": tagged.pk, "filters": {"tag": "接口"}, "channel": "link"},
        {"template": foreign.pk, "filters": {"tag": "接口"}},
    ):
        response = client.post(API, payload, format="json")
        assert response.status_code in (400, 404), (payload, response.content)
        assert response["Content-Type"].startswith("application/problem+json")
    assert not SurveyBatch.objects.exists()
    assert (
        api_client(make_member(crew.tenant, "finance")).post(API, {"template": tagged.pk}, format="json").status_code
        == 403
    )
