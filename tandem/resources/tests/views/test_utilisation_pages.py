"""The heatmap, the tasks behind a cell and a resource's timeline render for a Chinese and an English tenant;
they show the numbers the selector works out, and only the tenant's own resources."""

import re

import pytest

from tandem.accounts.models import Department
from tandem.crm.tests.factories import make_account
from tandem.projects.tests.factories import START, make_chain, make_project, pm_member
from tandem.resources.tests.factories import make_allocation, make_leave, make_resource
from tandem.testing.kit import make_member, make_tenant, page_client, page_text

pytestmark = pytest.mark.django_db
RANGE = {"start": "2025-03-03", "end": "2025-03-16"}


def _seed(tenant):
    member = pm_member(tenant)
    team = Department.objects.create(tenant=tenant, name="弱电班组")
    vip = make_project(tenant, member=member, name="浦东园区弱电改造")
    vip.account_id = make_account(tenant, member.user, name="上海浦东建设有限公司", tier="vip").pk
    vip.save(update_fields=["account_id"])
    (wiring,) = make_chain(vip, member, "机房布线", days=5)
    (testing,) = make_chain(make_project(tenant, member=member, name="内部培训"), member, "调试", days=3)
    engineer = make_resource(tenant, "李工", department=team, skills=["弱电调试"])
    crew = make_resource(tenant, "安装一班", kind="crew", headcount=4)
    make_allocation(engineer, wiring, member)
    make_allocation(engineer, testing, member)
    make_leave(engineer, member, START.replace(day=12))
    return member, engineer, crew, wiring


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _cell(page: str, resource, iso_week: str) -> str:
    match = re.search(
        rf'<td class="hm-cell ([^"]+)">\s*<a [^>]*data-cell="{resource.pk}-{iso_week}".*?</td>', page, re.S
    )
    assert match, f"no cell {resource}-{iso_week}"
    return match.group(0)


@pytest.mark.parametrize("locale", ["zh-hans", "en"])
def test_the_heatmap_colours_the_cells_by_load_and_shows_the_numbers(locale):
    tenant = make_tenant(locale=locale)
    member, engineer, crew, _wiring = _seed(tenant)
    response = page_client(member).get("/resources/utilisation/", RANGE)
    assert response.status_code == 200
    page = response.content.decode()
    over = _cell(page, engineer, "2025-W10")
    assert "hm-over" in over and "160%" in over and "64/40h" in _text(over) and "3d" in over
    # The next week: a day of leave leaves 32 h, nothing booked.
    after = _cell(page, engineer, "2025-W11")
    assert "hm-under" in after and "0/32h" in _text(after)
    assert "0/160h" in _text(_cell(page, crew, "2025-W10"))
    assert 'id="group-department-' in page and "弱电班组" in page
    assert f'href="/resources/{engineer.pk}/timeline/?' in page
    assert 'data-bs-target="#cell-modal"' in page and "resources/utilisation.css" in page
    assert page_text("Utilisation", locale) in page and page_text("This week", locale) in page


def test_grouping_by_skill_filters_and_week_navigation(tenant):
    member, engineer, crew, _wiring = _seed(tenant)
    client = page_client(member)
    page = client.get("/resources/utilisation/", {**RANGE, "group": "skill"}).content.decode()
    assert f'id="group-skill-{engineer.skill_levels.get().skill_id}"' in page and 'id="group-skill-none"' in page
    crews = client.get("/resources/utilisation/", {**RANGE, "kind": "crew"}).content.decode()
    assert f'data-cell="{crew.pk}-' in crews and f'data-cell="{engineer.pk}-' not in crews
    nothing = client.get("/resources/utilisation/", {**RANGE, "search": "没有这个人"}).content.decode()
    assert 'id="heatmap-empty"' in nothing
    # Two weeks shown: the arrows move by two weeks and keep the filters.
    assert "start=2025-03-17&amp;end=2025-03-30" in page and "group=skill" in page
    assert "start=2025-02-17&amp;end=2025-03-02" in page


def test_a_bad_range_falls_back_and_says_so(tenant):
    member, *_rest = _seed(tenant)
    client = page_client(member)
    for query in ({"start": "2025-03-10", "end": "2025-03-01"}, {"start": "2025-01-01", "end": "2028-01-01"}):
        response = client.get("/resources/utilisation/", query)
        assert response.status_code == 200 and 'id="utilisation-filter-errors"' in response.content.decode()
        assert response.content.decode().count('class="hm-week') == 12


def test_the_cell_lists_the_tasks_behind_it_with_links_hours_and_tier(tenant):
    member, engineer, _crew, wiring = _seed(tenant)
    client = page_client(member)
    url = f"/resources/utilisation/{engineer.pk}/2025-03-05/"
    modal = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in modal and 'id="cell-modal-title"' in modal
    assert f'href="/projects/{wiring.project_id}/tasks/#task-{wiring.pk}"' in modal and "机房布线" in modal
    text = _text(modal)
    assert "40 h" in text and "24 h" in text and "64 h" in text and "160%" in text
    assert page_text("VIP") in modal or "VIP" in modal
    page = client.get(url).content.decode()
    assert "<html" in page and "机房布线" in page
    assert client.get("/resources/utilisation/0/2025-03-05/").status_code == 404
    assert client.get(f"/resources/utilisation/{engineer.pk}/soon/").status_code == 404


@pytest.mark.parametrize("locale", ["zh-hans", "en"])
def test_the_timeline_shows_a_bar_per_allocation_the_load_and_the_leave(locale):
    tenant = make_tenant(locale=locale)
    member, engineer, _crew, wiring = _seed(tenant)
    response = page_client(member).get(f"/resources/{engineer.pk}/timeline/", RANGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "浦东园区弱电改造" in page and "内部培训" in page
    assert f'href="/projects/{wiring.project_id}/tasks/#task-{wiring.pk}"' in page
    # 14 days: the five-day task starts at 0 % and covers 5/14 of the range.
    assert 'style="left: 0.0%; width: 35.714%"' in page
    assert len(re.findall(r'class="tl-day[" ]', page)) == 14 and page.count('class="tl-week hm-') == 2
    assert "160%" in page and 'class="tl-bar tl-bar-leave"' in page
    assert page_text("Load per day", locale) in page


def test_other_tenants_resources_are_not_found_and_not_shown(tenant, other_tenant):
    _member, engineer, _crew, _wiring = _seed(tenant)
    stranger = make_member(other_tenant, "pm")
    client = page_client(stranger)
    assert client.get(f"/resources/{engineer.pk}/timeline/").status_code == 404
    assert client.get(f"/resources/utilisation/{engineer.pk}/2025-03-03/").status_code == 404
    assert "李工" not in client.get("/resources/utilisation/", RANGE).content.decode()
    assert page_client(make_member(tenant, "sales")).get("/resources/utilisation/").status_code == 403
