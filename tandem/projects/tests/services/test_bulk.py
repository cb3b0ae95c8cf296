"""Creating a WBS at once: the tree numbered as renumbering would, stored schedules that read back unchanged,
and a number of queries that does not grow with the template."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.projects.models import Project, Task
from tandem.projects.services.bulk import LinkSpec, TaskSpec, wbs_bulk_create
from tandem.projects.services.projects import project_create
from tandem.projects.services.scheduling import project_reschedule
from tandem.projects.services.tasks import task_create, wbs_renumber
from tandem.projects.services.templates import template_define, template_instantiate
from tandem.projects.tests.factories import DAY, START, make_project, pm_member
from tandem.testing.kit import access_for

OUTLINE = ("name", "parent_id", "sort_order", "outline_number", "outline_level", "is_summary")


def outline(project):
    return list(Task.objects.filter(project=project).order_by("sort_order", "id").values_list(*OUTLINE))


def specs():
    """Siblings given before the children of earlier ones: the WBS numbers depth first, in the order given."""
    return [
        TaskSpec(key="a", name="A"),
        TaskSpec(key="b", name="B"),
        TaskSpec(key="a1", name="A1", parent_key="a", values={"duration": DAY}),
        TaskSpec(key="b1", name="B1", parent_key="b", values={"duration": 2 * DAY}),
        TaskSpec(key="a2", name="A2", parent_key="a", values={"duration": DAY}),
        TaskSpec(key="a1x", name="A1x", parent_key="a1", values={"duration": DAY}),
        TaskSpec(key="c", name="C", values={"is_milestone": True, "duration": 0}),
    ]


def test_a_new_tree_is_numbered_as_renumbering_numbers_it(tenant):
    member = pm_member(tenant)
    project = make_project(tenant, member=member)
    links = [LinkSpec("a1x", "a2"), LinkSpec("a", "b1"), LinkSpec("b", "c")]
    by_key = wbs_bulk_create(project=project, actor=member.user, tasks=specs(), links=links)
    stored = outline(project)
    ids = {key: task.pk for key, task in by_key.items()}
    assert stored == [
        ("A", None, 1, "1", 1, True),
        ("A1", ids["a"], 2, "1.1", 2, True),
        ("A1x", ids["a1"], 3, "1.1.1", 3, False),
        ("A2", ids["a"], 4, "1.2", 2, False),
        ("B", None, 5, "2", 1, True),
        ("B1", ids["b"], 6, "2.1", 2, False),
        ("C", None, 7, "3", 1, False),
    ]
    wbs_renumber(project=project)
    assert outline(project) == stored
    assert not Task.objects.filter(project=project, early_start__isnull=True).exists()


def test_bulk_creating_into_a_project_with_tasks_renumbers_the_whole_tree(tenant):
    member = pm_member(tenant)
    project = make_project(tenant, member=member)
    task_create(access=access_for(member), project=project, name="已有任务")
    wbs_bulk_create(project=project, actor=member.user, tasks=specs(), links=[])
    stored = outline(project)
    assert [row[2] for row in stored] == list(range(1, 9))
    assert sorted(row[3] for row in stored if row[4] == 1) == ["1", "2", "3", "4"]
    wbs_renumber(project=project)
    assert outline(project) == stored


def test_stored_schedule_reads_back_unchanged(tenant):
    member = pm_member(tenant)
    project = make_project(tenant, member=member)
    links = [LinkSpec("a1x", "a2", "SS", DAY // 2), LinkSpec("a", "b1"), LinkSpec("b", "c", "FF")]
    wbs_bulk_create(project=project, actor=member.user, tasks=specs(), links=links)
    fields = ("early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float", "is_critical")
    before = list(Task.objects.filter(project=project).order_by("id").values_list(*fields))
    # Everything stored is what the engine computes again: a second run changes no row.
    assert project_reschedule(project=project) == 0
    assert list(Task.objects.filter(project=project).order_by("id").values_list(*fields)) == before
    b1 = Task.objects.get(project=project, name="B1")
    a = Task.objects.get(project=project, name="A")
    assert b1.early_start >= a.early_finish
    assert b1.total_float is not None


def test_project_create_can_leave_the_first_schedule_to_the_caller(tenant):
    access = access_for(pm_member(tenant))
    later = project_create(access=access, name="稍后排程", start_date=START, reschedule=False)
    now = project_create(access=access, name="立即排程", start_date=START)
    assert Project.objects.get(pk=later.pk).scheduled_at is None
    assert Project.objects.get(pk=now.pk).scheduled_at is not None


def template_of(access, size: int):
    tasks = [{"key": "root", "name": "阶段", "duration": 0}]
    tasks += [{"key": i, "name": f"任务{i}", "duration": DAY, "parent_key": "root", "role": "pm"} for i in range(size)]
    tasks.append({"key": "end", "name": "验收", "duration": 0, "is_milestone": True})
    links = [{"predecessor_key": i, "successor_key": i + 1} for i in range(size - 1)]
    links.append({"predecessor_key": size - 1, "successor_key": "end"})
    return template_define(access=access, name=f"模板 {size}", tasks=tasks, links=links)


def test_instantiating_a_template_takes_as_many_queries_whatever_its_size(tenant, admin_member):
    access = access_for(admin_member)
    # 20: SQLite's parameter limit splits inserts of about 30 tasks in two.
    small, large = template_of(access, 3), template_of(access, 20)
    template_instantiate(access=access, template=small, name="预热", start_date=date(2025, 3, 3))
    counts = []
    for template in (small, large):
        with CaptureQueriesContext(connection) as queries:
            project = template_instantiate(access=access, template=template, name="新项目", start_date=date(2025, 3, 3))
        counts.append(len(queries))
        assert not Task.objects.filter(project=project, early_start__isnull=True).exists()
    assert counts[0] == counts[1], "\n".join(q["sql"] for q in queries.captured_queries)
