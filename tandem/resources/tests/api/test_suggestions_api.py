"""The suggestions API: the ranked list with effects, applying one, a stale one refused (409); staff requests."""

import pytest
import time_machine

from tandem.resources.choices import ConflictStatus
from tandem.resources.models import Allocation, Conflict
from tandem.resources.tests.suggestion_scenario import FRIDAY_BEFORE, build_plan
from tandem.testing.kit import api_client, make_member

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _friday_before():
    with time_machine.travel(FRIDAY_BEFORE, tick=False):
        yield


@pytest.fixture
def plan(tenant):
    return build_plan(tenant)


def test_list_apply_and_refuse_a_stale_suggestion(plan):
    client = api_client(plan["member"])
    url = f"/api/v1/resources/conflicts/{plan['conflict'].pk}/suggestions/"
    answer = client.get(url)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [s["kind"] for s in body][0] == "move" and body[-1]["kind"] == "request"
    assert body[-1]["request"]["hours"] == "8.00"
    swap = next(s for s in body if s["kind"] == "swap" and s["task_id"] == plan["critical"].pk)
    assert {e["project_name"]: e["delay_days"] for e in swap["effects"]} == {"数据中心机房": 0, "门店弱电": 0}

    applied = client.post(f"{url}apply/", {"key": swap["key"], "fingerprint": swap["fingerprint"]}, format="json")
    assert applied.status_code == 200, applied.content
    assert applied.json()["resolved"] is True and applied.json()["conflict_status"] == "resolved"
    assert Allocation.objects.get(task=plan["critical"]).resource_id == plan["fitter"].pk

    again = client.post(f"{url}apply/", {"key": swap["key"], "fingerprint": swap["fingerprint"]}, format="json")
    assert again.status_code == 409 and again["Content-Type"].startswith(PROBLEM)
    assert again.json()["type"].endswith(":stale")


def test_a_member_without_the_permission_cannot_apply(plan, tenant):
    sales = make_member(tenant, "sales")
    url = f"/api/v1/resources/conflicts/{plan['conflict'].pk}/suggestions/"
    assert api_client(sales).post(f"{url}apply/", {"key": "x", "fingerprint": "y"}, format="json").status_code == 403
    assert Conflict.objects.get(pk=plan["conflict"].pk).status == ConflictStatus.OPEN


def test_staff_requests_crud_and_closing(plan):
    client = api_client(plan["member"])
    api = "/api/v1/resources/staff-requests/"
    created = client.post(
        api,
        {
            "project": plan["vip"].pk,
            "task": plan["critical"].pk,
            "conflict": plan["conflict"].pk,
            "start": "2025-03-03",
            "end": "2025-03-04",
            "hours": "12",
            "note": "机房布线需要一名弱电工程师",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["number"].startswith("ZY") and created.json()["status"] == "open"

    patched = client.patch(f"{api}{pk}/", {"hours": "16"}, format="json")
    assert patched.status_code == 200 and patched.json()["hours"] == "16.00"
    assert [r["id"] for r in client.get(f"{api}?status=open").json()["results"]] == [pk]

    fulfilled = client.post(f"{api}{pk}/fulfil/", {"resource": plan["fitter"].pk}, format="json")
    assert fulfilled.status_code == 200 and fulfilled.json()["filled_by_name"] == "周工"
    declined = client.post(f"{api}{pk}/decline/", {}, format="json")
    assert declined.status_code == 400 and declined["Content-Type"].startswith(PROBLEM)

    backwards = client.post(
        api, {"project": plan["vip"].pk, "start": "2025-03-04", "end": "2025-03-03", "hours": "8"}, format="json"
    )
    assert backwards.status_code == 400 and "end" in backwards.json()["errors"]
