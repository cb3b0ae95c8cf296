"""Delay warnings: late start, not started, negative float, milestone past baseline, finish past contract."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from tandem.projects.choices import ConstraintType, WarningKind
from tandem.projects.delays import delay_warnings
from tandem.projects.services.baselines import baseline_save
from tandem.projects.services.tasks import task_create, task_update
from tandem.projects.tests.factories import DAY, make_chain, make_project, pm_member
from tandem.testing.kit import access_for, api_client, make_member


def aware(*args):
    return timezone.make_aware(datetime(*args))


def kinds(warnings):
    return sorted(w.kind for w in warnings)


def test_each_kind_of_delay_is_reported_with_who_must_act(tenant):
    pm = pm_member(tenant)
    engineer = make_member(tenant, "pm")
    project = make_project(tenant, member=pm, contract_finish=date(2025, 3, 5))
    access = access_for(pm)
    a, b, gate = make_chain(project, pm, "A", "B", "验收", days=1)
    task_update(access=access, task=gate, is_milestone=True, duration=0)
    baseline_save(access=access, project=project, name="合同")
    task_update(access=access, task=a, actual_start=aware(2025, 3, 4, 8), assignees=[engineer.user])
    task_update(access=access, task=b, duration=4 * DAY)  # pushes the milestone and the finish
    task_create(
        access=access,
        project=project,
        name="必须周一完成",
        duration=3 * DAY,
        constraint_type=ConstraintType.FNLT,
        constraint_date=aware(2025, 3, 3, 17),
    )
    warnings = delay_warnings(projects=[project], today=date(2025, 3, 20))
    found = {w.kind for w in warnings}
    assert {
        WarningKind.LATE_START,
        WarningKind.MILESTONE_LATE,
        WarningKind.PROJECT_LATE,
        WarningKind.NOT_STARTED,
    } <= found
    late_start = next(w for w in warnings if w.kind == WarningKind.LATE_START)
    assert late_start.owner == engineer.user and late_start.task.pk == a.pk and late_start.days_late == 1
    assert next(w for w in warnings if w.kind == WarningKind.PROJECT_LATE).owner == pm.user
    assert warnings[0].kind == WarningKind.PROJECT_LATE  # most severe first


def test_negative_float_is_reported_when_a_constraint_cannot_be_met(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    a, b = make_chain(project, pm, "A", "B", days=2)
    task_update(
        access=access_for(pm),
        task=b,
        constraint_type=ConstraintType.FNLT,
        constraint_date=aware(2025, 3, 4, 17),
    )
    b.refresh_from_db()
    assert b.total_float == -2 * DAY
    warnings = delay_warnings(projects=[project], today=date(2025, 3, 1))
    assert kinds(warnings) == [WarningKind.NEGATIVE_FLOAT, WarningKind.NEGATIVE_FLOAT]
    assert warnings[0].owner == pm.user


def test_nothing_is_reported_for_a_project_on_time_or_completed(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    make_chain(project, pm, "A", "B")
    assert delay_warnings(projects=[project], today=date(2025, 3, 1)) == []
    project.status = "completed"
    assert delay_warnings(projects=[project], today=date(2025, 12, 1)) == []


def test_the_warnings_endpoint_lists_across_projects_the_caller_sees(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm, start_date=timezone.localdate() - timedelta(days=30))
    make_chain(project, pm, "早该开工")
    response = api_client(pm).get("/api/v1/projects/warnings/")
    assert response.status_code == 200
    rows = response.json()
    assert rows and rows[0]["kind"] == "not_started" and rows[0]["owner"] == pm.user_id
    assert api_client(pm).get("/api/v1/projects/warnings/", {"project": "x"}).status_code == 400
    assert api_client(make_member(tenant, "sales")).get("/api/v1/projects/warnings/").status_code == 403
