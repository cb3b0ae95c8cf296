"""Baselines: at most ten per project; variance against one."""

import pytest

from tandem.core.errors import ApplicationError
from tandem.projects.models import Baseline
from tandem.projects.selectors import baseline_variance
from tandem.projects.services.baselines import baseline_delete, baseline_save
from tandem.projects.services.tasks import task_update
from tandem.projects.tests.factories import DAY, make_chain, make_project, pm_member
from tandem.testing.kit import access_for


def test_ten_baselines_then_a_clear_refusal_and_saving_over_one_works(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    make_chain(project, pm, "A", "B")
    access = access_for(pm)
    for n in range(10):
        baseline_save(access=access, project=project, name=f"基线{n + 1}")
    with pytest.raises(ApplicationError) as caught:
        baseline_save(access=access, project=project, name="第11个")
    assert caught.value.code == "baseline_limit"
    assert Baseline.objects.filter(project=project).count() == 10
    replaced = baseline_save(access=access, project=project, name="重排", number=3)
    assert replaced.number == 3 and replaced.tasks.count() == 2
    assert Baseline.objects.filter(project=project).count() == 10
    baseline_delete(access=access, baseline=Baseline.objects.get(project=project, number=5))
    assert baseline_save(access=access, project=project).number == 5


def test_variance_counts_working_days_of_slippage(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    a, b = make_chain(project, pm, "A", "B")
    access = access_for(pm)
    baseline = baseline_save(access=access, project=project, name="合同基线")
    task_update(access=access, task=a, duration=3 * DAY)  # B slips two working days (over no weekend)
    rows = {r.task.pk: r for r in baseline_variance(project=project, baseline=baseline)}
    assert rows[a.pk].duration_variance == 2 * DAY
    assert rows[a.pk].start_variance_days == 0
    assert rows[a.pk].finish_variance_days == 2
    assert rows[b.pk].start_variance_days == 2
