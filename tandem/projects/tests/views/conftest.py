"""A small scheduled project for the page tests: a summary with a critical chain, a task with float, a milestone."""

from datetime import date
from types import SimpleNamespace

import pytest

from tandem.projects.services.baselines import baseline_save
from tandem.projects.services.dependencies import dependency_add
from tandem.projects.services.tasks import task_create
from tandem.projects.tests.factories import DAY, make_project, pm_member
from tandem.testing.kit import access_for


@pytest.fixture
def plan(tenant):
    """桥架安装 (3 d) → 电缆敷设 (2 d) → ◆送电验收, and 标识牌制作 (1 d, 4 d of float), from Monday 2025-03-03."""
    pm = pm_member(tenant)
    access = access_for(pm)
    project = make_project(tenant, member=pm, name="厂房机电安装", contract_finish=date(2025, 3, 7))
    zone = task_create(access=access, project=project, name="A区机电安装")
    bridge = task_create(access=access, project=project, name="桥架安装", parent=zone, duration=3 * DAY)
    cable = task_create(access=access, project=project, name="电缆敷设", parent=zone, duration=2 * DAY)
    signs = task_create(access=access, project=project, name="标识牌制作", parent=zone, duration=DAY)
    power_on = task_create(access=access, project=project, name="送电验收", is_milestone=True)
    dependency_add(access=access, predecessor=bridge, successor=cable)
    dependency_add(access=access, predecessor=cable, successor=power_on)
    dependency_add(access=access, predecessor=signs, successor=power_on)
    baseline = baseline_save(access=access, project=project, name="合同基线")
    for obj in (project, zone, bridge, cable, signs, power_on):
        obj.refresh_from_db()
    return SimpleNamespace(
        pm=pm,
        project=project,
        zone=zone,
        bridge=bridge,
        cable=cable,
        signs=signs,
        power_on=power_on,
        baseline=baseline,
    )
