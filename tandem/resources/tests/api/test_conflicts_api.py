"""The conflict API: ranked by score, filtered, the detail with the score's parts, dismissing; tenants apart."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tandem.crm.models import Account
from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.resources.models import Conflict
from tandem.resources.services.conflicts import conflicts_refresh
from tandem.resources.tests.factories import make_allocation, make_resource
from tandem.testing.kit import api_client, make_member

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
URL = "/api/v1/resources/conflicts/"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2025, 2, 28, 9, 0, tzinfo=ZONE), tick=False):
        yield


@pytest.fixture
def crew(tenant):
    pm = pm_member(tenant)
    vip = Account.objects.create(tenant=tenant, name="华东数据中心", tier="vip", owner=pm.user)
    big = make_project(tenant, member=pm, name="机房改造", account_id=vip.pk)
    minor = make_project(tenant, member=pm, name="门店布线")
    (a,) = make_chain(big, pm, "主机房布线", days=2)
    (b,) = make_chain(minor, pm, "弱电调试", days=2)
    (c,) = make_chain(minor, pm, "验收准备", days=8)
    (d,) = make_chain(minor, pm, "标识标牌", days=1)
    engineer, fitter = make_resource(tenant, "李工"), make_resource(tenant, "周工")
    for resource, task in ((engineer, a), (engineer, b), (fitter, c), (fitter, d)):
        make_allocation(resource, task, pm)
    conflicts_refresh(tenant_id=tenant.pk)
    return pm, Conflict.objects.get(resource=engineer), Conflict.objects.get(resource=fitter), big


def test_list_is_ranked_and_filtered(crew):
    pm, top, low, big = crew
    client = api_client(pm)
    rows = client.get(URL).json()["results"]
    assert [r["id"] for r in rows] == [top.pk, low.pk]
    assert rows[0]["account_tier"] == "vip" and rows[0]["resource_name"] == "李工" and rows[0]["peak_load"] == 200
    assert rows[0]["critical"] is True and rows[0]["project_name"] == "机房改造"
    assert [r["id"] for r in client.get(URL, {"tier": "vip"}).json()["results"]] == [top.pk]
    assert [r["id"] for r in client.get(URL, {"project": big.pk}).json()["results"]] == [top.pk]
    assert [r["id"] for r in client.get(URL, {"resource": low.resource_id}).json()["results"]] == [low.pk]
    assert client.get(URL, {"status": "dismissed"}).json()["results"] == []


def test_detail_explains_the_score(crew):
    pm, top, low, big = crew
    data = api_client(pm).get(f"{URL}{top.pk}/").json()
    assert data["formula"] == "(35×tier + 20×priority + 20×float + 15×urgency + 10×overload) / 100 × 100"
    assert data["explained"].startswith("score = (35×1.00 + ") and data["explained"].endswith(
        f"= {float(top.score):.2f}"
    )
    parts = {p["key"]: p for p in data["factors"]}
    assert parts["tier"] == {"key": "tier", "weight": 35.0, "value": 1.0, "points": 35.0}
    assert sum(p["points"] for p in data["factors"]) == pytest.approx(float(top.score), abs=0.05)


def test_dismiss_needs_a_reason_and_the_permission(crew, tenant, other_tenant):
    pm, top, low, big = crew
    client = api_client(pm)
    assert client.post(f"{URL}{top.pk}/dismiss/", {"reason": ""}, format="json").status_code == 400
    response = client.post(f"{URL}{top.pk}/dismiss/", {"reason": "客户同意顺延"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert client.post(f"{URL}{top.pk}/dismiss/", {"reason": "再次"}, format="json").status_code == 400
    sales = api_client(make_member(tenant, "sales"))
    assert sales.post(f"{URL}{low.pk}/dismiss/", {"reason": "x"}, format="json").status_code == 403
    outsider = api_client(pm_member(other_tenant))
    assert outsider.get(f"{URL}{low.pk}/").status_code == 404
    assert outsider.get(URL).json()["results"] == []


def test_the_schema_documents_the_conflicts(crew):
    pm, top, low, big = crew
    text = api_client(pm).get("/api/v1/schema/", {"format": "json"}).content.decode()
    assert "/api/v1/resources/conflicts/{id}/dismiss/" in text and "ConflictDetailOutput" in text
    assert "The formula with this conflict's numbers filled in." in text
