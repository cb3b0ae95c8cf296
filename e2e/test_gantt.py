"""The project pages in a real browser: drag a Gantt bar and watch successors and the critical path follow.

Signs in as the demo PM and works on DEMO-XM-04 (a project that starts in two weeks, so no progress is
recorded yet and every bar may be dragged). Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

PX_PER_DAY = 28  # the chart's day zoom


def assert_clean(web) -> None:
    assert not web.problems, "browser reported problems:\n" + "\n".join(web.problems)


def demo_project(code: str):
    from tandem.projects.models import Project

    return Project.objects.get(tenant__slug="demo", code=code)


def schedule(web, project_id: int) -> dict:
    """The project's schedule as the REST API reports it, read with the browser's own session."""
    response = web.context.request.get(web.url(f"/api/v1/projects/projects/{project_id}/schedule/"))
    assert response.status == 200, response.text()
    return response.json()


def successors(project_id: int) -> dict[int, list[int]]:
    from tandem.projects.models import Dependency

    out: dict[int, list[int]] = {}
    for pred, succ in Dependency.objects.filter(project_id=project_id).values_list("predecessor", "successor"):
        out.setdefault(pred, []).append(succ)
    return out


def pick_task_off_the_critical_path(data: dict, links: dict[int, list[int]]) -> dict:
    """A not-critical work task with a successor and the least float: dragging it past its float must make it
    drive the finish."""
    candidates = [
        t
        for t in data["tasks"]
        if not t["is_summary"]
        and not t["is_milestone"]
        and not t["critical"]
        and links.get(t["id"])
        and (t["total_float"] or 0) > 0
    ]
    return min(candidates, key=lambda t: (t["total_float"], t["outline_number"]))


def open_gantt(web, project_id: int):
    page = web.page
    web.goto(f"/projects/{project_id}/gantt/")
    expect(page.locator("#gantt .g-task").first).to_be_visible()
    page.click("[data-zoom=day]")
    return page


def test_dragging_a_bar_moves_its_successors_and_recomputes_the_critical_path(web):
    project = demo_project("DEMO-XM-04")
    web.sign_in("pm")
    page = open_gantt(web, project.pk)
    expect(page.locator("#project-tabs .nav-link.active")).to_have_text("甘特图")
    expect(page.locator(".gantt-grid-head")).to_contain_text("任务名称")
    expect(page.locator("#gantt .g-task.is-critical").first).to_be_visible()
    web.shot("projects-01-gantt-zh")

    before = schedule(web, project.pk)
    links = successors(project.pk)
    task = pick_task_off_the_critical_path(before, links)
    rows = {t["id"]: t for t in before["tasks"]}
    follower = rows[links[task["id"]][0]]
    float_days = task["total_float"] / 480
    drag_days = math.ceil(float_days * 7 / 5) + 4  # past its float even with a weekend in between

    bar = page.locator(f".g-task[data-id='{task['id']}'] .g-bar")
    bar.scroll_into_view_if_needed()
    assert "is-critical" not in (page.get_attribute(f".g-task[data-id='{task['id']}']", "class") or "")
    box = bar.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    loaded = page.get_attribute("#gantt", "data-loaded")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 12, y, steps=3)
    page.mouse.move(x + drag_days * PX_PER_DAY, y, steps=12)
    expect(page.locator(".gantt-tip")).to_be_visible()
    web.shot("projects-02-gantt-dragging")
    page.mouse.up()
    page.wait_for_function(f"document.getElementById('gantt').dataset.loaded !== '{loaded}'")
    expect(page.locator("#gantt-message")).to_have_class("alert alert-success py-2 small")
    expect(page.locator("#gantt-message")).to_contain_text("已重新排程")

    after = schedule(web, project.pk)
    moved = {t["id"]: t for t in after["tasks"]}
    assert moved[task["id"]]["early_start"] > task["early_start"]
    assert moved[follower["id"]]["early_start"] > follower["early_start"], "the successor did not move later"
    # Pushed past its float, the task now drives the finish: the critical path was recomputed around it.
    assert moved[task["id"]]["critical"] is True and moved[task["id"]]["total_float"] <= 0
    assert after["scheduled_finish"] > before["scheduled_finish"]
    assert after["scheduled_at"] != before["scheduled_at"]
    critical_ids = {t["id"] for t in after["tasks"] if t["critical"] and not t["is_summary"]}
    assert critical_ids != {t["id"] for t in before["tasks"] if t["critical"] and not t["is_summary"]}
    # The chart redrew from the new schedule: the dragged bar is red now, and so is every critical bar.
    expect(page.locator(f".g-task[data-id='{task['id']}']")).to_have_class("g-task is-critical")
    drawn = set(page.eval_on_selector_all(".g-task.is-critical:not(.is-summary)", "els => els.map(e => +e.dataset.id)"))
    assert drawn == critical_ids
    follower_row = page.locator(f".gantt-grid-row[data-id='{follower['id']}'] .gc-start")
    expect(follower_row).to_have_text(moved[follower["id"]]["early_start"][2:10])
    web.shot("projects-03-gantt-after-drag")
    assert_clean(web)


def test_the_chart_zooms_shows_details_and_the_other_tabs_read_well(web):
    project = demo_project("DEMO-XM-01")
    web.sign_in("pm")
    page = open_gantt(web, project.pk)
    page.click("[data-zoom=week]")
    expect(page.locator("[data-zoom=week]")).to_have_class("btn btn-outline-secondary active")
    first_critical = page.locator(".g-task.is-critical:not(.is-summary) .g-hit").first
    first_critical.scroll_into_view_if_needed()
    first_critical.click()
    expect(page.locator("#gantt-details")).to_be_visible()
    expect(page.locator("#gantt-details")).to_contain_text("总时差")
    web.shot("projects-04-gantt-week-details")
    page.click("[data-zoom=month]")
    page.check("#gantt-critical")
    web.shot("projects-05-gantt-month-critical-only")

    for path, marker, name in [
        (f"/projects/{project.pk}/", "#delay-warnings", "projects-06-project-overview"),
        (f"/projects/{project.pk}/tasks/", "#task-table", "projects-07-task-list"),
        (f"/projects/{project.pk}/kanban/", "#kanban", "projects-08-kanban"),
        (f"/projects/{project.pk}/calendar/", "#month-grid", "projects-09-calendar"),
        (f"/projects/{project.pk}/baselines/", "#variance-table", "projects-10-baselines"),
        (f"/projects/{project.pk}/gantt/print/", "#print-gantt", "projects-11-gantt-print"),
    ]:
        web.goto(path)
        expect(page.locator(marker)).to_be_visible()
        web.shot(name)
    assert_clean(web)


def test_a_kanban_card_dragged_to_in_progress_records_the_start(web):
    from tandem.projects.models import Task

    project = demo_project("DEMO-XM-04")
    web.sign_in("pm")
    page = web.page
    web.goto(f"/projects/{project.pk}/kanban/")
    card = page.locator(".kanban-cards[data-status=not_started] .kanban-card").first
    task_id = int(card.get_attribute("data-task"))
    target = page.locator(".kanban-cards[data-status=in_progress]")
    source_box, target_box = card.bounding_box(), target.bounding_box()
    page.mouse.move(source_box["x"] + 40, source_box["y"] + 20)
    page.mouse.down()
    page.mouse.move(source_box["x"] + 60, source_box["y"] + 30, steps=4)
    page.mouse.move(target_box["x"] + 60, target_box["y"] + 40, steps=15)
    page.mouse.up()
    expect(page.locator("#kanban-message")).to_have_class("alert alert-success small py-2")
    expect(page.locator(f".kanban-cards[data-status=in_progress] [data-task='{task_id}']")).to_be_visible()
    task = Task.objects.get(pk=task_id)
    assert task.actual_start is not None and task.actual_finish is None
    web.shot("projects-12-kanban-after-drag")
    assert_clean(web)


def test_the_gantt_on_a_phone(session_factory):
    web = session_factory(viewport={"width": 390, "height": 844})
    project = demo_project("DEMO-XM-01")
    web.sign_in("pm")
    page = open_gantt(web, project.pk)
    expect(page.locator(".gantt-grid .gc-start").first).to_be_hidden()
    expect(page.locator(".gantt-grid .gc-name").first).to_be_visible()
    web.shot("projects-13-gantt-phone")
    assert_clean(web)


@pytest.mark.parametrize("paper, size", [("a3", (1190.55, 841.89)), ("a4", (841.89, 595.28))])
def test_the_gantt_prints_to_a_landscape_pdf_with_chinese_text(web, paper, size):
    """Chromium's own PDF of the print layout: the paper and orientation the page asks for, and the Chinese task
    names in an embedded CJK font (not boxes)."""
    import re

    project = demo_project("DEMO-XM-01")
    web.sign_in("pm")
    web.goto(f"/projects/{project.pk}/gantt/print/?paper={paper}")
    page = web.page
    expect(page.locator("#print-gantt")).to_be_visible()
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = {
        tuple(round(float(v), 0) for v in m) for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    }
    assert boxes == {(round(size[0], 0), round(size[1], 0))}, boxes
    fonts = set(re.findall(rb"/BaseFont\s*/([A-Za-z0-9+_-]+)", pdf))
    assert any(b"WenQuanYi" in f or b"Micro" in f or b"CJK" in f or b"Hei" in f for f in fonts), fonts
    first_task = project.tasks.filter(is_summary=False).order_by("sort_order").first()
    expect(page.locator("#print-gantt")).to_contain_text(first_task.name)
    assert_clean(web)


def test_a_pm_imports_ms_project_gets_its_dates_back_and_baselines_the_schedule(web):
    """The issue's closing story in the browser: import an MS Project file, open its Gantt, compare every task's
    dates with Microsoft Project's own, then save a baseline and see it in the variance table."""
    import json
    from pathlib import Path

    from tandem.projects.models import Baseline, Project

    data = Path(__file__).resolve().parents[2] / "shared" / "data" / "mspdi"
    source = data / "mspdirelations.xml"
    if not source.is_file():
        pytest.skip(f"MSPDI samples not found at {data}")
    expected = json.loads((data / "expected" / "mspdirelations.expected.json").read_text())
    web.sign_in("pm")
    page = web.page
    web.goto("/projects/import/")
    page.set_input_files("#id_file", str(source))
    page.fill("#id_name", "导入的关系测试")
    with page.expect_navigation():
        page.click("#import")
    project = Project.objects.get(tenant__slug="demo", name="导入的关系测试")
    assert web.path() == f"/projects/{project.pk}/gantt/"
    expect(page.locator("#gantt .g-task").first).to_be_visible()
    web.shot("projects-20-imported-gantt")

    scheduled = {t["uid"]: t for t in schedule(web, project.pk)["tasks"] if t.get("uid") is not None}
    rows = [t for t in expected["tasks"] if t["UID"] != "0" and t.get("Name") is not None]
    assert rows
    for row in rows:
        task = scheduled[int(row["UID"])]
        assert task["early_start"][:16] == row["EarlyStart"][:16], row["UID"]
        assert task["early_finish"][:16] == row["EarlyFinish"][:16], row["UID"]
        assert task["critical"] == (row["Critical"] == "1"), row["UID"]

    web.goto(f"/projects/{project.pk}/baselines/")
    page.fill("#baseline-form input[name=name]", "导入基线")
    with page.expect_navigation():
        page.click("#baseline-form button[type=submit]")
    assert Baseline.objects.filter(project=project, name="导入基线").exists()
    expect(page.locator("#baseline-table")).to_contain_text("导入基线")
    web.shot("projects-21-imported-baseline")
    assert_clean(web)
