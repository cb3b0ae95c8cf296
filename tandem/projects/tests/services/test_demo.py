"""The demo loader: six projects of 30–120 tasks with links, a baseline each, some late; idempotent."""

from tandem.accounts import demo as accounts_demo
from tandem.projects import demo
from tandem.projects.delays import delay_warnings
from tandem.projects.models import Project


def test_demo_projects_load_once_with_realistic_schedules(db):
    accounts_demo.load()
    demo.load()
    demo.load()
    projects = list(Project.objects.filter(tenant__slug="demo").select_related("owner"))
    assert len(projects) == 6
    for project in projects:
        assert 30 <= project.tasks.count() <= 120, project.name
        assert project.dependencies.count() > 10
        assert project.baselines.count() == 1
        assert project.owner.username == "pm"
        assert project.scheduled_finish is not None
    assert sum(1 for w in delay_warnings(projects=projects) if w.kind in ("late_start", "project_late")) >= 3


def test_demo_projects_deliver_the_demos_signed_contracts(db):
    from tandem.crm.demo import customers

    accounts_demo.load()
    customers.load()
    demo.load()
    projects = list(Project.objects.filter(tenant__slug="demo"))
    assert all(p.contract_id and p.deal_id and p.account_id and p.contact_ids for p in projects)
    assert len({p.contract_id for p in projects}) == len(projects)
    from tandem.crm.models import Contract

    amounts = dict(Contract.objects.filter(pk__in=[p.contract_id for p in projects]).values_list("pk", "amount"))
    assert all(p.budget == amounts[p.contract_id] for p in projects)


def test_demo_work_is_recorded_in_working_time_and_lasts_its_duration(db):
    from tandem.projects.models import Task
    from tandem.projects.services.scheduling import task_working_time, tenant_zone, to_local

    accounts_demo.load()
    demo.load()
    finished = list(Task.objects.filter(project__tenant__slug="demo", actual_finish__isnull=False))
    assert len(finished) > 20
    for task in finished:
        zone, working = tenant_zone(task.tenant_id), task_working_time(task)
        start, finish = to_local(task.actual_start, zone), to_local(task.actual_finish, zone)
        if task.duration:
            assert working.is_working(start), task.name  # nobody starts work on a holiday or a weekend
        assert working.working_minutes(start, finish) == task.duration, task.name
        assert (task.early_start, task.early_finish) == (task.actual_start, task.actual_finish), task.name
