"""Templates: versions, saving a project as a template, instantiating with role placeholders."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from tandem.core.errors import ApplicationError
from tandem.projects.models import ProjectTemplate, Task
from tandem.projects.services.tasks import task_create, task_update
from tandem.projects.services.templates import (
    template_define,
    template_delete,
    template_instantiate,
    template_save_from_project,
)
from tandem.projects.tests.factories import DAY, make_chain, make_project, pm_member
from tandem.testing.kit import access_for, make_member

TASKS = [
    {"key": "kickoff", "name": "开工会", "is_milestone": True, "duration": 0, "role": "pm"},
    {"key": "design", "name": "深化设计", "duration": 3 * DAY, "role": "engineer"},
    {"key": "survey", "name": "现场复测", "duration": DAY, "offset_days": 5, "role": "engineer"},
    {"key": "accept", "name": "竣工验收", "is_milestone": True, "duration": 0, "payment_percent": "30.00"},
]
LINKS = [
    {"predecessor_key": "kickoff", "successor_key": "design"},
    {"predecessor_key": "design", "successor_key": "accept"},
    {"predecessor_key": "survey", "successor_key": "accept"},
]


def local(dt):
    return timezone.localtime(dt).replace(tzinfo=None)


@pytest.fixture
def admin_access(admin_member):
    return access_for(admin_member)


def test_defining_a_name_again_makes_a_new_current_version(tenant, admin_access):
    first = template_define(access=admin_access, name="机电安装标准模板", tasks=TASKS, links=LINKS)
    second = template_define(access=admin_access, name="机电安装标准模板", tasks=TASKS[:2], links=LINKS[:1])
    first.refresh_from_db()
    assert (first.version, first.is_current) == (1, False)
    assert (second.version, second.is_current) == (2, True)
    template_delete(access=admin_access, template=second)
    first.refresh_from_db()
    assert first.is_current


def test_instantiating_dates_tasks_in_working_days_and_resolves_roles(tenant, admin_access):
    template = template_define(access=admin_access, name="模板", tasks=TASKS, links=LINKS)
    pm = pm_member(tenant)
    engineer = make_member(tenant, "pm")
    project = template_instantiate(
        access=admin_access,
        template=template,
        name="新项目",
        start_date=date(2025, 3, 3),
        owner=pm.user,
        roles={"engineer": engineer.user},
    )
    tasks = {t.name: t for t in Task.objects.filter(project=project).prefetch_related("assignees")}
    assert [u.pk for u in tasks["开工会"].assignees.all()] == [pm.user_id]
    assert [u.pk for u in tasks["深化设计"].assignees.all()] == [engineer.user_id]
    assert local(tasks["深化设计"].early_finish) == datetime(2025, 3, 5, 17, 0)
    # Five working days after Monday 3 March is Monday 10 March.
    assert local(tasks["现场复测"].early_start) == datetime(2025, 3, 10, 8, 0)
    assert str(tasks["竣工验收"].payment_percent) == "30.00"
    assert local(tasks["竣工验收"].early_start) == datetime(2025, 3, 10, 17, 0)
    assert project.dependencies.count() == 3


def test_a_project_saved_as_template_keeps_offsets_roles_and_links(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    a, b = make_chain(project, pm, "A", "B", days=2)
    task_update(access=access_for(pm), task=b, assignees=[pm.user])
    admin = make_member(tenant, "admin")
    template = template_save_from_project(access=access_for(admin), project=project, name="从项目保存")
    rows = {r.name: r for r in template.tasks.all()}
    assert rows["B"].offset_days == 2 and rows["B"].role == "pm"
    assert template.links.count() == 1
    again = template_save_from_project(access=access_for(admin), project=project, name="从项目保存")
    assert again.version == 2
    assert ProjectTemplate.objects.filter(name="从项目保存", is_current=True).count() == 1


def test_a_looping_template_is_refused(tenant, admin_access):
    with pytest.raises(ApplicationError) as caught:
        template_define(
            access=admin_access,
            name="坏模板",
            tasks=TASKS[:2],
            links=LINKS[:1] + [{"predecessor_key": "design", "successor_key": "kickoff"}],
        )
    assert caught.value.code == "cycle"
    assert not ProjectTemplate.objects.filter(name="坏模板").exists()


def test_task_create_in_a_template_project_keeps_wbs(tenant, admin_access):
    template = template_define(access=admin_access, name="模板", tasks=TASKS, links=LINKS)
    project = template_instantiate(access=admin_access, template=template, name="P", start_date=date(2025, 3, 3))
    task = task_create(access=admin_access, project=project, name="追加")
    assert task.outline_number == "5"
