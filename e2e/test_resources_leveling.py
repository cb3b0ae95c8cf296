"""Resource leveling in the browser: the project's priority panel, the 资源平衡 button, the preview (desktop and
phone), accepting it."""

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _site():
    from tandem.accounts.models import Membership
    from tandem.projects.services.dependencies import dependency_add
    from tandem.projects.services.projects import project_create
    from tandem.projects.services.tasks import task_create
    from tandem.resources.models import Allocation, Resource
    from tandem.testing.kit import access_for

    member = Membership.objects.filter(user__username="pm").select_related("tenant").first()
    access = access_for(member)
    today = date.today()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    project = project_create(access=access, name="机房改造（资源平衡）", start_date=monday)
    names = [("机房布线", 3), ("弱电调试", 2), ("竣工验收", 1), ("设备安装", 3), ("标识标牌", 2), ("机柜搬运", 1)]
    tasks = {n: task_create(access=access, project=project, name=n, duration=d * 480) for n, d in names}
    dependency_add(access=access, predecessor=tasks["机房布线"], successor=tasks["弱电调试"])
    dependency_add(access=access, predecessor=tasks["弱电调试"], successor=tasks["竣工验收"])
    dependency_add(access=access, predecessor=tasks["机柜搬运"], successor=tasks["设备安装"])
    li = Resource.objects.create(tenant=member.tenant, name="李工（演示）")
    crew = Resource.objects.create(tenant=member.tenant, name="安装班组（演示）", kind="crew", headcount=2)
    for resource, task, units in (
        (li, "机房布线", 100),
        (li, "设备安装", 100),
        (li, "弱电调试", 100),
        (crew, "标识标牌", 200),
        (crew, "机柜搬运", 100),
        (crew, "设备安装", 100),
    ):
        Allocation.objects.create(
            tenant=member.tenant,
            resource=resource,
            task=tasks[task],
            project=project,
            units=units,
            created_by=member.user,
        )
    return project


def test_level_a_project_from_its_page_preview_and_accept(session_factory):
    from tandem.resources.models import LevelingProposal

    project = _site()
    web = session_factory()
    web.sign_in("pm")
    web.goto(f"/projects/{project.pk}/")
    assert web.page.locator("#priority-panel #priority-formula").is_visible()
    web.page.locator("#priority-panel").screenshot(path=str(web.shot("leveling-priority-panel")))
    with web.page.expect_navigation():
        web.page.click("#level-project")
    assert web.path().startswith("/resources/leveling/")
    assert web.page.locator("#leveling-gantt .lv-moved").count() >= 1
    assert web.page.locator("#moved-tasks").inner_text().count("李工（演示）") >= 1
    web.shot("leveling-preview-desktop")

    phone = session_factory(viewport={"width": 390, "height": 844})
    phone.sign_in("pm")
    phone.goto(web.path())
    assert not phone.page.locator("#leveling-gantt").is_visible()
    assert phone.page.locator("#moved-list").is_visible()
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    phone.shot("leveling-preview-phone")
    for path, name in (
        (f"/projects/{project.pk}/", "leveling-project-phone"),
        ("/resources/leveling/", "leveling-home-phone"),
    ):
        phone.goto(path)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        phone.shot(name)

    with web.page.expect_navigation():
        web.page.click("#accept")
    assert LevelingProposal.objects.get().status == "accepted"
    assert web.page.locator("#proposal-status").inner_text()
    assert not web.problems and not phone.problems, web.problems + phone.problems
