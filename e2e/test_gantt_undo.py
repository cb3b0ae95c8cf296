"""The Gantt in a real browser: small bars that move instead of stretching, and undo / redo of every edit.

Works on DEMO-XM-04 (no progress recorded yet, so every bar may be dragged) as the demo PM, and reads the
outcome from the database: the undo must have reached the server, not only the drawing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.test_gantt import PX_PER_DAY, assert_clean, demo_project, open_gantt

pytestmark = [pytest.mark.browser]

MONTH_PX_PER_DAY = 3  # the chart's month zoom


def stored(task_id: int) -> dict:
    from tandem.projects.models import Task

    return Task.objects.filter(pk=task_id).values("duration", "early_start", "constraint_type", "constraint_date")[0]


def links_between(predecessor: int, successor: int) -> int:
    from tandem.projects.models import Dependency

    return Dependency.objects.filter(predecessor_id=predecessor, successor_id=successor).count()


def reloaded(page, loaded: str | None) -> None:
    """Wait until the chart has redrawn from the server after the change that follows `loaded`."""
    page.wait_for_function(f"document.getElementById('gantt').dataset.loaded !== '{loaded}'")
    expect(page.locator("#gantt")).not_to_have_class("gantt-frame is-busy")


def toast_shown(page) -> None:
    """The toast has finished fading in (for a screenshot that shows it)."""
    page.wait_for_selector("#gantt-toast.show:not(.showing)")


def drag(page, selector: str, dx: float) -> None:
    target = page.locator(selector)
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y, steps=4)
    page.mouse.move(x + dx, y, steps=6)
    page.mouse.up()


def small_bar(page) -> int:
    """A work task whose bar is narrower than the resize handles would need: the case that used to stretch."""
    found = page.evaluate(
        """() => [...document.querySelectorAll('.g-task:not(.is-summary):not(.is-milestone)')]
            .map(g => ({ id: +g.dataset.id, width: +g.querySelector('.g-bar').getAttribute('width') }))
            .filter(b => b.width < 16)"""
    )
    assert found, "no small bar at month zoom"
    return found[0]["id"]


def test_a_small_bar_in_month_view_moves_and_ctrl_z_puts_it_back_on_the_server(web):
    project = demo_project("DEMO-XM-04")
    web.sign_in("pm")
    page = open_gantt(web, project.pk)
    page.click("[data-zoom=month]")
    task_id = small_bar(page)
    group = f".g-task[data-id='{task_id}']"
    # No resize handle on a bar this small: its whole move area is for moving.
    expect(page.locator(f"{group} .g-resize")).to_have_count(0)
    expect(page.locator(f"{group} .g-hit")).to_have_attribute("width", "16")
    before = stored(task_id)

    # A hand's jitter is a click: the task is selected, nothing is sent.
    drag(page, f"{group} .g-bar", 3)
    expect(page.locator("#gantt-details")).to_be_visible()
    expect(page.locator("#gantt-message")).not_to_have_class("alert alert-info py-2 small")
    assert stored(task_id) == before
    page.keyboard.press("Escape")

    loaded = page.get_attribute("#gantt", "data-loaded")
    drag(page, f"{group} .g-bar", 14 * MONTH_PX_PER_DAY)
    reloaded(page, loaded)
    expect(page.locator("#gantt-toast")).to_contain_text("已保存：移动")
    expect(page.locator("#gantt-toast-action")).to_have_text("撤销")
    moved = stored(task_id)
    assert moved["early_start"] > before["early_start"], "the bar did not move"
    assert moved["duration"] == before["duration"], "a move changed the duration"
    assert moved["constraint_type"] == "SNET"
    toast_shown(page)
    web.shot("gantt-undo-01-month-moved")

    loaded = page.get_attribute("#gantt", "data-loaded")
    page.keyboard.press("Control+z")
    reloaded(page, loaded)
    assert stored(task_id) == before, "Ctrl+Z did not restore the task on the server"
    expect(page.locator("#gantt-toast")).to_contain_text("已撤销：移动")
    expect(page.locator("#gantt-toast-action")).to_have_text("重做")
    expect(page.locator("#gantt-message")).to_contain_text("已撤销")
    toast_shown(page)
    web.shot("gantt-undo-02-month-undone")
    assert_clean(web)


def test_the_toast_undoes_a_resize_and_ctrl_shift_z_redoes_it(web):
    project = demo_project("DEMO-XM-04")
    web.sign_in("pm")
    page = open_gantt(web, project.pk)
    task_id = int(page.locator(".g-task:has(.g-resize-r)").first.get_attribute("data-id"))
    before = stored(task_id)

    loaded = page.get_attribute("#gantt", "data-loaded")
    drag(page, f".g-task[data-id='{task_id}'] .g-resize-r", 3 * PX_PER_DAY)
    reloaded(page, loaded)
    longer = stored(task_id)
    assert longer["duration"] > before["duration"]
    expect(page.locator("#gantt-toast")).to_contain_text("已保存：修改")

    loaded = page.get_attribute("#gantt", "data-loaded")
    page.click("#gantt-toast-action")
    reloaded(page, loaded)
    assert stored(task_id) == before, "the toast's undo did not restore the duration"

    loaded = page.get_attribute("#gantt", "data-loaded")
    page.keyboard.press("Control+Shift+z")
    reloaded(page, loaded)
    assert stored(task_id)["duration"] == longer["duration"]
    expect(page.locator("#gantt-toast")).to_contain_text("已重做")
    assert_clean(web)


def test_links_and_added_tasks_are_undone_and_redone(web):
    """A link added, a task added, the new task moved: undo all three in reverse order, then redo them. The
    task comes back with a new id, and the move redone after it still finds it."""
    from tandem.projects.models import Task

    project = demo_project("DEMO-XM-04")
    web.sign_in("pm")
    page = open_gantt(web, project.pk)
    leaves = Task.objects.filter(project=project, is_summary=False, is_milestone=False).order_by("sort_order")
    first, later = leaves[0], leaves[5]
    assert links_between(first.pk, later.pk) == 0

    page.click("#gantt-add-link")
    page.select_option("#link-predecessor", str(first.pk))
    page.select_option("#link-successor", str(later.pk))
    loaded = page.get_attribute("#gantt", "data-loaded")
    page.click("#link-form button[type=submit]")
    reloaded(page, loaded)
    assert links_between(first.pk, later.pk) == 1

    page.click("#gantt-add-task")
    page.fill("#task-name", "撤销测试任务")
    page.select_option("#task-predecessor", str(first.pk))
    loaded = page.get_attribute("#gantt", "data-loaded")
    page.click("#task-form button[type=submit]")
    reloaded(page, loaded)
    added = Task.objects.get(project=project, name="撤销测试任务")
    assert links_between(first.pk, added.pk) == 1
    expect(page.locator("#gantt-toast")).to_contain_text("添加任务 撤销测试任务")

    loaded = page.get_attribute("#gantt", "data-loaded")
    drag(page, f".g-task[data-id='{added.pk}'] .g-bar", 4 * PX_PER_DAY)
    reloaded(page, loaded)
    assert stored(added.pk)["constraint_type"] == "SNET"

    def state() -> tuple:
        task = Task.objects.filter(project=project, name="撤销测试任务").first()
        return links_between(first.pk, later.pk), task and task.constraint_type

    for expected in [(1, "ASAP"), (1, None), (0, None)]:
        loaded = page.get_attribute("#gantt", "data-loaded")
        page.keyboard.press("Control+z")
        reloaded(page, loaded)
        assert state() == expected
    web.shot("gantt-undo-03-all-undone")

    for expected in [(1, None), (1, "ASAP"), (1, "SNET")]:
        loaded = page.get_attribute("#gantt", "data-loaded")
        page.keyboard.press("Control+Shift+z")
        reloaded(page, loaded)
        assert state() == expected
    again = Task.objects.get(project=project, name="撤销测试任务")
    assert again.pk != added.pk and links_between(first.pk, again.pk) == 1

    # Nothing left to redo: said so, and nothing sent.
    page.keyboard.press("Control+Shift+z")
    expect(page.locator("#gantt-toast")).to_contain_text("没有可重做的操作")
    expect(page.locator("#gantt-toast-action")).to_be_hidden()
    assert_clean(web)


def test_removing_a_link_in_the_details_panel_is_undone(web):
    from tandem.projects.models import Dependency

    project = demo_project("DEMO-XM-04")
    successor = Dependency.objects.filter(project=project).order_by("id").first().successor_id

    def incoming() -> list:
        return sorted(Dependency.objects.filter(successor_id=successor).values_list("predecessor", "type", "lag"))

    before = incoming()
    web.sign_in("pm")
    page = open_gantt(web, project.pk)
    page.locator(f".gantt-grid-row[data-id='{successor}']").click()
    page.on("dialog", lambda dialog: dialog.accept())
    loaded = page.get_attribute("#gantt", "data-loaded")
    page.locator("#gantt-details .btn-outline-danger").first.click()
    reloaded(page, loaded)
    assert len(incoming()) == len(before) - 1

    loaded = page.get_attribute("#gantt", "data-loaded")
    page.click("#gantt-toast-action")
    reloaded(page, loaded)
    assert incoming() == before, "the link did not come back with its type and lag"
    assert_clean(web)


def test_undo_on_a_phone(session_factory):
    web = session_factory(viewport={"width": 390, "height": 844})
    project = demo_project("DEMO-XM-04")
    web.sign_in("pm")
    page = open_gantt(web, project.pk)
    page.click("[data-zoom=month]")
    task_id = small_bar(page)
    before = stored(task_id)
    loaded = page.get_attribute("#gantt", "data-loaded")
    drag(page, f".g-task[data-id='{task_id}'] .g-bar", 10 * MONTH_PX_PER_DAY)
    reloaded(page, loaded)
    toast = page.locator("#gantt-toast")
    expect(toast).to_be_visible()
    box = toast.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the toast does not fit the phone"
    expect(page.locator("#gantt-toast-action")).to_be_in_viewport()
    toast_shown(page)
    web.shot("gantt-undo-04-phone-toast")
    loaded = page.get_attribute("#gantt", "data-loaded")
    page.click("#gantt-toast-action")
    reloaded(page, loaded)
    assert stored(task_id) == before
    assert_clean(web)
