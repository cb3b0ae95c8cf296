"""A task's allocations on a phone: from the project page's panel to the task, allocate a second person to an
effort-driven task and see it shorten; the page never scrolls sideways."""

from __future__ import annotations

import pytest

from e2e.test_phone_layout import PHONE, layout_problems, report

pytestmark = [pytest.mark.browser]


def test_allocate_a_second_person_on_a_phone(session_factory):
    from tandem.projects.choices import TaskType
    from tandem.projects.models import Task
    from tandem.resources.models import Allocation

    task = (
        Task.objects.filter(
            project__tenant__slug="demo",
            is_summary=False,
            is_milestone=False,
            actual_finish__isnull=True,
            allocations__isnull=False,
        )
        .order_by("project_id", "sort_order")
        .first()
    )
    assert task is not None, "the demo's assignees come with allocations"
    Task.objects.filter(pk=task.pk).update(task_type=TaskType.EFFORT_DRIVEN)
    before = Task.objects.get(pk=task.pk).duration

    web = session_factory(viewport=PHONE)
    web.sign_in("pm")
    web.goto(f"/projects/{task.project_id}/")
    assert web.page.locator("#allocations-panel").is_visible()
    assert not layout_problems(web.page, "project"), report(layout_problems(web.page, "project"))
    web.page.locator("#allocations-panel").scroll_into_view_if_needed()
    web.page.locator("#allocations-panel").screenshot(path=str(web.shot("resources-project-panel-phone")))
    web.goto(f"/resources/tasks/{task.pk}/allocations/")
    assert not layout_problems(web.page, "allocations"), report(layout_problems(web.page, "allocations"))

    options = web.page.locator("#id_resource option")
    assert options.count() > 0
    web.page.select_option("#id_resource", index=0)
    web.page.fill("#id_units", "100")
    with web.page.expect_navigation():
        web.page.click("#add")
    assert Allocation.objects.filter(task=task).count() >= 2
    assert Task.objects.get(pk=task.pk).duration < before
    assert not layout_problems(web.page, "allocations"), report(layout_problems(web.page, "allocations"))
    web.shot("resources-task-allocations-phone")
