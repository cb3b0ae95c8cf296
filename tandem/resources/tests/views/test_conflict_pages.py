"""The conflict pages in a Chinese and an English tenant: the ranked list and its filters, the detail with its
overload days, tasks across projects and the score worked out, dismissing, the settings and the home panel."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tandem.core import panels
from tandem.crm.models import Account
from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.resources.choices import ConflictStatus
from tandem.resources.models import Conflict, ResourceSettings
from tandem.resources.services.conflicts import conflicts_refresh
from tandem.resources.tests.factories import make_allocation, make_resource
from tandem.testing.kit import make_member, make_tenant, page_client, page_text

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2025, 2, 28, 9, 0, tzinfo=ZONE), tick=False):
        yield


@pytest.fixture(params=["zh-hans", "en"])
def crew(request, db):
    tenant = make_tenant(locale=request.param)
    pm = pm_member(tenant)
    vip = Account.objects.create(tenant=tenant, name="华东数据中心", tier="vip", owner=pm.user)
    small = Account.objects.create(tenant=tenant, name="小微客户", tier="c", owner=pm.user)
    big = make_project(tenant, member=pm, name="机房改造", account_id=vip.pk)
    minor = make_project(tenant, member=pm, name="门店布线", account_id=small.pk)
    (a,) = make_chain(big, pm, "主机房布线", days=2)
    (b,) = make_chain(minor, pm, "弱电调试", days=2)
    (c,) = make_chain(minor, pm, "验收准备", days=8)
    (d,) = make_chain(minor, pm, "标识标牌", days=1)
    engineer, fitter = make_resource(tenant, "李工"), make_resource(tenant, "周工")
    for resource, task in ((engineer, a), (engineer, b), (fitter, c), (fitter, d)):
        make_allocation(resource, task, pm)
    conflicts_refresh(tenant_id=tenant.pk)
    top = Conflict.objects.get(resource=engineer)
    low = Conflict.objects.get(resource=fitter)
    return tenant, pm, top, low, request.param


def test_the_list_ranks_by_score_and_filters(crew):
    tenant, pm, top, low, language = crew
    client = page_client(pm)
    page = client.get("/resources/conflicts/").content.decode()
    assert page_text("Resource conflicts", language) in page
    assert page.index(f'data-conflict="{top.pk}"') < page.index(f'data-conflict="{low.pk}"')
    assert top.score > low.score
    assert "VIP" in page and "机房改造" in page and "主机房布线" in page and "200%" in page
    assert f"{top.score:.1f}" in page

    page = client.get("/resources/conflicts/?tier=c").content.decode()
    assert f'data-conflict="{low.pk}"' in page and f'data-conflict="{top.pk}"' not in page
    page = client.get(f"/resources/conflicts/?project={top.project_id}").content.decode()
    assert f'data-conflict="{top.pk}"' in page and f'data-conflict="{low.pk}"' not in page
    page = client.get(f"/resources/conflicts/?resource={low.resource_id}", HTTP_HX_REQUEST="true").content.decode()
    assert f'data-conflict="{low.pk}"' in page and "<html" not in page
    page = client.get("/resources/conflicts/?status=dismissed").content.decode()
    assert 'data-conflict="' not in page


def test_the_detail_shows_days_tasks_and_the_formula_and_the_panels_slot(crew, monkeypatch):
    tenant, pm, top, low, language = crew
    monkeypatch.setitem(
        panels._PANELS,
        "resources.conflict",
        {"probe": panels.Panel("probe", "resources/conflicts/partials/tier.html", lambda r, o: {"tier": "probe-x"})},
    )
    page = page_client(pm).get(f"/resources/conflicts/{top.pk}/").content.decode()
    assert "2025-03-03" in page and "2025-03-04" in page and "200%" in page
    assert "主机房布线" in page and "弱电调试" in page and "机房改造" in page and "门店布线" in page
    assert f"= {float(top.score):.2f}" in page and "score = (35×1.00 + " in page
    assert "PROBE-X" in page  # a panel registered on "resources.conflict" is drawn
    assert f"/resources/conflicts/{top.pk}/dismiss/" in page


def test_dismissing_from_the_page(crew):
    tenant, pm, top, low, language = crew
    client = page_client(pm)
    url = f"/resources/conflicts/{top.pk}/dismiss/"
    client.post(url, {"reason": ""})
    assert Conflict.objects.get(pk=top.pk).status == ConflictStatus.OPEN
    response = client.post(url, {"reason": "已安排加班"})
    assert response.status_code == 302
    top.refresh_from_db()
    assert (top.status, top.resolution) == (ConflictStatus.DISMISSED, "已安排加班")
    assert page_client(make_member(tenant, "finance")).post(url, {"reason": "x"}).status_code in (403, 404)


def test_settings_validate_save_rescore_and_refresh(crew):
    tenant, pm, top, low, language = crew
    admin = make_member(tenant, "admin")
    client = page_client(admin)
    page = client.get("/resources/settings/").content.decode()
    assert page_text("Resource conflict settings", language) in page and 'name="score_tier"' in page
    form = {
        "warning_days": "0",
        "horizon_weeks": "26",
        "managers": [admin.user_id],
        **{f"tier_{k}": "50" for k in ("vip", "a", "b", "c", "none")},
        **{f"score_{k}": "0" for k in ("tier", "priority", "float", "urgency", "overload")},
    }
    response = client.post("/resources/settings/", form)
    assert response.status_code == 200 and not ResourceSettings.objects.filter(tenant=tenant).exists()
    form["warning_days"] = "5"
    response = client.post("/resources/settings/", form)  # every score weight 0
    assert response.status_code == 200 and not ResourceSettings.objects.filter(tenant=tenant).exists()
    form["score_overload"] = "10"
    response = client.post("/resources/settings/", form)
    assert response.status_code == 302
    saved = ResourceSettings.objects.get(tenant=tenant)
    assert saved.score_weights["overload"] == 10 and list(saved.managers.all()) == [admin.user]
    top.refresh_from_db()
    assert float(top.score) == 100.0  # only the overload counts now: 200 % is the whole factor

    Conflict.objects.filter(pk=low.pk).delete()
    assert client.post("/resources/settings/refresh/").status_code == 302
    assert Conflict.objects.filter(tenant=tenant, resource_id=low.resource_id, status="open").count() == 1
    assert page_client(make_member(tenant, "sales")).get("/resources/settings/").status_code == 403


def test_the_home_panel_shows_warned_conflicts_to_their_pm_and_the_managers(crew):
    tenant, pm, top, low, language = crew
    stranger = make_member(tenant, "pm")
    assert top.warned_at is not None  # it starts on Monday, within the five working days' lead time
    Conflict.objects.filter(tenant=tenant).update(warned_at=None)
    assert 'id="home-conflicts"' not in page_client(pm).get("/").content.decode()  # nothing warned yet
    Conflict.objects.filter(pk=top.pk).update(warned_at=datetime(2025, 2, 26, 9, 0, tzinfo=ZONE))
    page = page_client(pm).get("/").content.decode()
    assert 'id="home-conflicts"' in page and page_text("Resource conflict warnings", language) in page
    assert f"/resources/conflicts/{top.pk}/" in page and "李工" in page
    assert 'id="home-conflicts"' not in page_client(stranger).get("/").content.decode()
    ResourceSettings.objects.create(tenant=tenant).managers.set([stranger.user])
    assert f"/resources/conflicts/{top.pk}/" in page_client(stranger).get("/").content.decode()


def test_the_pages_link_a_conflict_its_resource_timeline_and_the_heatmap(crew):
    tenant, pm, top, low, language = crew
    client = page_client(pm)
    engineer = top.resource_id
    page = client.get(f"/resources/conflicts/{top.pk}/").content.decode()
    assert f'href="/resources/{engineer}/timeline/"' in page and f'href="/resources/{engineer}/"' in page
    assert 'href="/resources/utilisation/?start=2025-03-03"' in page
    assert 'href="/resources/utilisation/"' in client.get("/resources/conflicts/").content.decode()
    page = client.get(f"/resources/{engineer}/timeline/").content.decode()
    assert f'href="/resources/conflicts/?resource={engineer}"' in page and f'href="/resources/{engineer}/"' in page
    assert f'href="/resources/{engineer}/timeline/"' in client.get(f"/resources/{engineer}/").content.decode()
    # Once the overload is dismissed, the timeline has no open conflict to point at.
    Conflict.objects.filter(resource_id=engineer).update(status="dismissed")
    assert "/resources/conflicts/?resource=" not in client.get(f"/resources/{engineer}/timeline/").content.decode()


def test_a_resolved_conflict_says_how_in_words(crew):
    tenant, pm, top, low, language = crew
    client = page_client(pm)
    Conflict.objects.filter(pk=top.pk).update(status="resolved", resolution="cleared")
    page = client.get(f"/resources/conflicts/{top.pk}/").content.decode()
    assert page_text("the overload is gone", language) in page and "· cleared" not in page
    Conflict.objects.filter(pk=top.pk).update(resolution="swap: 将“主机房布线”改派给 周工")
    page = client.get(f"/resources/conflicts/{top.pk}/").content.decode()
    assert "将“主机房布线”改派给 周工" in page and "swap:" not in page
