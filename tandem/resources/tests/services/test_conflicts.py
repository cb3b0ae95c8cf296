"""Conflicts kept in step with loads: opened, updated, resolved, and ranked by customer and float."""

from datetime import timedelta

import pytest

from tandem.crm.models import Account
from tandem.projects.tests.factories import START, make_chain, make_project, pm_member
from tandem.resources.choices import ConflictStatus
from tandem.resources.models import Allocation, Conflict, Resource
from tandem.resources.services.conflicts import conflicts_refresh

pytestmark = pytest.mark.django_db


def _allocate(resource, task, member, units=100):
    return Allocation.objects.create(
        tenant=task.tenant, resource=resource, task=task, project=task.project, units=units, created_by=member.user
    )


def _account(tenant, member, tier):
    return Account.objects.create(tenant=tenant, name=f"客户{tier}", tier=tier, owner=member.user)


def test_vip_critical_work_ranks_before_c_tier_work_with_float(tenant):
    member = pm_member(tenant)
    vip = make_project(tenant, member=member, account_id=_account(tenant, member, "vip").pk)
    small = make_project(tenant, member=member, account_id=_account(tenant, member, "c").pk)
    (critical,) = make_chain(vip, member, "主机房布线", days=2)
    (long_,) = make_chain(small, member, "验收准备", days=8)  # critical in its project
    (short,) = make_chain(small, member, "弱电调试", days=1)  # seven days of float
    (other,) = make_chain(small, member, "标识标牌", days=1)
    engineer = Resource.objects.create(tenant=tenant, name="李工")
    fitter = Resource.objects.create(tenant=tenant, name="周工")
    _allocate(engineer, critical, member)
    _allocate(engineer, long_, member)
    _allocate(fitter, short, member)
    _allocate(fitter, other, member)

    refresh = conflicts_refresh(tenant_id=tenant.pk, today=START)

    ranked = list(Conflict.objects.filter(tenant=tenant, status=ConflictStatus.OPEN))
    assert [c.resource_id for c in ranked] == [engineer.pk, fitter.pk]
    top = ranked[0]
    assert top.task_id == critical.pk and top.project_id == vip.pk
    assert top.factors["parts"]["tier"] == 1.0 and top.factors["parts"]["float"] == 1.0
    assert (top.start, top.end, top.peak_load) == (START, START + timedelta(days=1), 200)
    assert ranked[1].task_id == short.pk and ranked[1].factors["parts"]["float"] == pytest.approx(0.3)
    assert len(refresh.opened) == 2

    Allocation.objects.filter(resource=engineer, task=long_).delete()
    again = conflicts_refresh(tenant_id=tenant.pk, resource_ids=[engineer.pk], today=START)

    assert [c.pk for c in again.resolved] == [top.pk]
    assert Conflict.objects.get(pk=top.pk).status == ConflictStatus.RESOLVED
    assert Conflict.objects.get(pk=ranked[1].pk).status == ConflictStatus.OPEN  # the other resource was not touched
