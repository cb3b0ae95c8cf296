"""Members' skills (used by automation rules that assign by skill) typed on the member page, normalised."""

import pytest

from tandem.accounts.models import Membership
from tandem.testing.kit import make_member, page_client

pytestmark = pytest.mark.django_db


def test_skills_typed_on_the_member_page_are_split_and_kept(tenant, admin_member):
    pm = make_member(tenant, "pm")
    response = page_client(admin_member).post(
        f"/accounts/users/{pm.pk}/",
        {
            "display_name": "钱伟",
            "skills": "弱电、 智能化，弱电; 消防",
            "roles": [r.pk for r in pm.roles.all()],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.get(pk=pm.pk).skills == ["弱电", "智能化", "消防"]
    page = page_client(admin_member).get(f"/accounts/users/{pm.pk}/").content.decode()
    assert "弱电、智能化、消防" in page
