"""Both kanban boards run on the one board script (core/board.js): drag a card, the server decides, the board says
what happened; a refused move puts the card back with the server's words. In Chinese, on the demo data, under the
real Content-Security-Policy (no inline script), at desktop width and on a phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.test_crm import WIDE, column
from e2e.test_csp_handlers import assert_clean, watch_csp

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


def zh(message: str, **values) -> str:
    from django.utils import translation

    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return text % values if values else text


def drag(page, card, target, grip: str | None = None) -> None:
    """Press on the card (on `grip` inside it, off its link), move in steps so SortableJS sees a drag, drop over
    the target list."""
    card.scroll_into_view_if_needed()
    box = (card.locator(grip) if grip else card).bounding_box()
    x, y = box["x"] + min(40, box["width"] / 2), box["y"] + min(20, box["height"] / 2)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 12, y + 6, steps=4)
    target_box = target.bounding_box()
    page.mouse.move(target_box["x"] + target_box["width"] / 2, target_box["y"] + 30, steps=25)
    page.wait_for_timeout(150)
    page.mouse.up()


def refusals_only(web, path: str, status: int) -> None:
    """The refused move's answer is the only problem the browser reported (Chromium logs every 4xx)."""
    unexpected = [
        p
        for p in web.problems
        if not (p == f"HTTP {status}: {web.url(path)}" or (p.startswith("console error:") and f"{status}" in p))
    ]
    assert not unexpected, "browser reported problems:\n" + "\n".join(unexpected)


def deal(deal_id: int):
    from tandem.crm.models import Deal

    return Deal.objects.select_related("stage").get(pk=deal_id)


def shown(toast) -> None:
    """Wait until the toast has faded in (for the screenshot)."""
    expect(toast).to_have_class(re.compile(r"\bshow\b"))
    expect(toast).not_to_have_class(re.compile(r"\bshowing\b"))


def count(col) -> int:
    return int(col.locator("[data-board-count]").inner_text())


# --- the deal pipeline ------------------------------------------------------------------------------------------


def test_a_deal_dragged_to_another_stage_moves_and_a_lost_one_asks_why(session_factory):
    web = session_factory(viewport=WIDE)
    violations = watch_csp(web)
    page = web.page
    web.sign_in("sales")
    web.goto("/crm/deals/board/")
    toast = page.locator("#board-toast")

    source, target = column(page, "初步接洽"), column(page, "需求确认")
    card = source.locator("[data-move-url]").first
    deal_id = int(card.get_attribute("data-deal"))
    before_source, before_target = count(source), count(target)
    drag(page, card, target.locator("[data-board-cards]"), grip=".deal-account")

    expect(toast).to_have_text(zh("Moved to %(stage)s.", stage="需求确认"))
    expect(toast).to_have_class(re.compile(r"\btext-bg-success\b"))
    expect(target.locator(f"#deal-card-{deal_id}")).to_be_visible()
    expect(source.locator("[data-board-count]")).to_have_text(str(before_source - 1))
    expect(target.locator("[data-board-count]")).to_have_text(str(before_target + 1))
    assert deal(deal_id).stage.name == "需求确认"
    shown(toast)
    web.shot("boards-01-deal-moved")

    # 输单 asks why first; an empty reason is not sent, a reason goes with the move and closes the deal.
    lost = column(page, "输单")
    before_lost = count(lost)
    drag(page, target.locator(f"#deal-card-{deal_id}"), lost.locator("[data-board-cards]"), grip=".deal-account")
    modal = page.locator("#lost-modal")
    expect(modal).to_be_visible()
    expect(modal.locator("[data-board-card-name]")).to_have_text(deal(deal_id).name)
    page.click("#lost-confirm")
    expect(page.locator("#lost-reason")).to_have_class(re.compile(r"\bis-invalid\b"))
    assert deal(deal_id).status == "open"
    page.fill("#lost-reason", "  客户预算削减，项目搁置  ")
    web.shot("boards-02-deal-lost-reason")
    page.click("#lost-confirm")
    expect(modal).to_be_hidden()
    expect(toast).to_have_text(zh("Deal marked lost."))
    expect(lost.locator(f"#deal-card-{deal_id}")).to_be_visible()
    expect(lost.locator("[data-board-count]")).to_have_text(str(before_lost + 1))
    lost_deal = deal(deal_id)
    assert lost_deal.status == "lost" and lost_deal.close_reason == "客户预算削减，项目搁置"
    shown(toast)
    web.shot("boards-03-deal-lost")
    assert violations == []
    assert_clean(web)


def test_a_refused_deal_move_puts_the_card_back_with_the_servers_message(session_factory):
    from tandem.accounts.models import Membership, Role

    web = session_factory(viewport=WIDE)
    violations = watch_csp(web)
    page = web.page
    web.sign_in("sales")
    web.goto("/crm/deals/board/")
    source, target = column(page, "初步接洽"), column(page, "需求确认")
    card = source.locator("[data-move-url]").first
    deal_id = int(card.get_attribute("data-deal"))
    before_source, before_target = count(source), count(target)

    # While the board is open an administrator takes the right to change deals away (deals stay visible).
    membership = Membership.objects.get(tenant__slug="demo", user__username="sales")
    membership.roles.set(Role.objects.filter(tenant=membership.tenant, key="pm"))
    drag(page, card, target.locator("[data-board-cards]"), grip=".deal-account")

    toast = page.locator("#board-toast")
    expect(toast).to_have_text(zh("Permission denied"))
    expect(toast).to_have_class(re.compile(r"\btext-bg-danger\b"))
    expect(source.locator(f"#deal-card-{deal_id}")).to_be_visible()
    expect(target.locator(f"#deal-card-{deal_id}")).to_have_count(0)
    assert count(source) == before_source and count(target) == before_target
    assert deal(deal_id).stage.name == "初步接洽"
    shown(toast)
    web.shot("boards-04-deal-refused")
    assert violations == []
    refusals_only(web, f"/crm/deals/{deal_id}/move/", 403)


# --- a project's tasks ------------------------------------------------------------------------------------------


def demo_project(code: str):
    from tandem.projects.models import Project

    return Project.objects.get(tenant__slug="demo", code=code)


def status_list(page, status: str):
    return page.locator(f"[data-board-column={status}] [data-board-cards]")


def test_a_task_dragged_to_done_completes_it_and_says_so(web):
    from tandem.projects.models import Task

    project = demo_project("DEMO-XM-04")
    violations = watch_csp(web)
    page = web.page
    web.sign_in("pm")
    web.goto(f"/projects/{project.pk}/kanban/")
    card = status_list(page, "not_started").locator("[data-move-url]").first
    task_id = int(card.get_attribute("data-task"))
    name = Task.objects.get(pk=task_id).name
    before_todo = count(page.locator("[data-board-column=not_started]"))
    before_done = count(page.locator("[data-board-column=done]"))
    drag(page, card, status_list(page, "done"))

    message = page.locator("#kanban-message")
    expect(message).to_have_text(
        zh("%(task)s: %(status)s, %(percent)d%% complete.", task=name, status=zh("Done"), percent=100)
    )
    expect(message).to_have_class("alert alert-success small py-2")
    expect(status_list(page, "done").locator(f"[data-task='{task_id}']")).to_contain_text("100%")
    expect(page.locator("[data-board-column=done] [data-board-count]")).to_have_text(str(before_done + 1))
    expect(page.locator("[data-board-column=not_started] [data-board-count]")).to_have_text(str(before_todo - 1))
    task = Task.objects.get(pk=task_id)
    assert task.percent_complete == 100 and task.actual_finish is not None
    web.shot("boards-05-task-done")
    assert violations == []
    assert_clean(web)


def test_a_refused_task_move_puts_the_card_back_with_the_servers_message(web):
    from tandem.accounts.models import Membership
    from tandem.projects.models import Task
    from tandem.projects.services.tasks import task_create
    from tandem.testing.kit import access_for

    project = demo_project("DEMO-XM-04")
    violations = watch_csp(web)
    page = web.page
    web.sign_in("pm")
    web.goto(f"/projects/{project.pk}/kanban/")
    card = status_list(page, "not_started").locator("[data-move-url]").first
    task_id = int(card.get_attribute("data-task"))

    # While the board is open a colleague splits the task into sub-tasks: its progress now follows theirs.
    pm = Membership.objects.get(tenant__slug="demo", user__username="pm")
    task_create(access=access_for(pm), project=project, name="子任务", parent=Task.objects.get(pk=task_id))
    drag(page, card, status_list(page, "in_progress"))

    message = page.locator("#kanban-message")
    expect(message).to_have_text(zh("A summary task's progress follows its sub-tasks."))
    expect(message).to_have_class("alert alert-danger small py-2")
    expect(status_list(page, "not_started").locator(f"[data-task='{task_id}']")).to_be_visible()
    expect(status_list(page, "in_progress").locator(f"[data-task='{task_id}']")).to_have_count(0)
    task = Task.objects.get(pk=task_id)
    assert task.percent_complete == 0 and task.actual_start is None
    web.shot("boards-06-task-refused")
    assert violations == []
    refusals_only(web, f"/projects/{project.pk}/kanban/{task_id}/move/", 400)


# --- both boards, desktop and phone -----------------------------------------------------------------------------


@pytest.mark.parametrize(("viewport", "size"), [(WIDE, "desktop"), (PHONE, "phone")])
def test_both_boards_read_well_without_a_csp_violation(session_factory, viewport, size):
    project = demo_project("DEMO-XM-01")
    for user, path, columns, name in [
        ("pm", f"/projects/{project.pk}/kanban/", 3, "tasks"),
        ("sales", "/crm/deals/board/", 6, "deals"),
    ]:
        web = session_factory(viewport=viewport)
        violations = watch_csp(web)
        page = web.page
        web.sign_in(user)
        web.goto(path)
        expect(page.locator("[data-board-column]")).to_have_count(columns)
        expect(page.locator("[data-board-cards] [data-move-url]").first).to_be_visible()
        web.shot(f"boards-10-{name}-{size}")
        # The columns sit side by side or scroll inside the board; the page never gets wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert violations == []
        assert_clean(web)
