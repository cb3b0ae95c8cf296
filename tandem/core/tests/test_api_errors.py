"""The API base answers hostile input with a 4xx problem, never a server error, and a server error commits nothing."""

import pytest

from tandem.testing.kit import api_client, make_member
from tandem.testing.models import SampleRecord


@pytest.mark.django_db(transaction=True)
def test_a_server_error_in_an_api_write_rolls_the_write_back(tenant):
    client = api_client(make_member(tenant, "admin"))
    client.raise_request_exception = False
    response = client.post("/testing/api/failing-write/", {"name": "half-done"}, format="json")
    assert response.status_code == 500
    assert not SampleRecord.objects.filter(name="half-done").exists()
