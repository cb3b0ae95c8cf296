"""The API base answers hostile input with a 4xx problem, never a server error, and a server error commits nothing."""

import pytest

from tandem.core.api.parsers import too_deep
from tandem.testing.kit import api_client, make_member
from tandem.testing.models import SampleRecord


@pytest.mark.django_db(transaction=True)
def test_a_server_error_in_an_api_write_rolls_the_write_back(tenant):
    client = api_client(make_member(tenant, "admin"))
    client.raise_request_exception = False
    response = client.post("/testing/api/failing-write/", {"name": "half-done"}, format="json")
    assert response.status_code == 500
    assert not SampleRecord.objects.filter(name="half-done").exists()


def nested(depth: int) -> str:
    return '{"name": ' + '{"a": [' * depth + "1" + "]}" * depth + "}"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/crm/deals/",
        "/api/v1/crm/accounts/",
        "/api/v1/crm/targets/",
        "/api/v1/automation/rules/",
        "/api/v1/projects/projects/",
        "/api/v1/comments/records/crm.account/1/",
        "/testing/api/failing-write/",
    ],
)
@pytest.mark.parametrize("depth", [5000, 150])
def test_a_body_nested_thousands_deep_is_a_400_on_any_post(tenant, url, depth):
    client = api_client(make_member(tenant, "admin"))
    response = client.post(url, nested(depth), content_type="application/json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["type"] == "urn:tandem:problem:parse_error"
    assert not SampleRecord.objects.exists()


def test_the_depth_limit_counts_lists_and_objects():
    assert not too_deep({"a": [{"b": 1}]}, limit=3)
    assert too_deep({"a": [{"b": [1]}]}, limit=3)
    assert not too_deep([[[]]], limit=3) and too_deep([[[[]]]], limit=3)
    assert not too_deep("text", limit=0)
