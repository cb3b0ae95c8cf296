"""Members' skills (used by automation rules that assign by skill) through the API, normalised."""

import pytest

from tandem.accounts.models import Membership
from tandem.testing.kit import api_client, make_member

pytestmark = pytest.mark.django_db


def test_skills_through_the_api(tenant, admin_member):
    pm = make_member(tenant, "pm")
    client = api_client(admin_member)
    response = client.patch(f"/api/v1/users/{pm.pk}/", {"skills": ["暖通", " 暖通 ", "机电"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["skills"] == ["暖通", "机电"]
    bad = client.patch(f"/api/v1/users/{pm.pk}/", {"skills": "暖通"}, format="json")
    assert bad.status_code == 400
    assert Membership.objects.get(pk=pm.pk).skills == ["暖通", "机电"]
