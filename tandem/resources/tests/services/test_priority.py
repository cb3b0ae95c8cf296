"""Project priority recommended from the customer's value, applied unless overridden; overrides are audited."""

from decimal import Decimal

import pytest

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError
from tandem.crm.services.accounts import account_update
from tandem.crm.tests.factories import make_account, make_contract
from tandem.feedback.models import HealthScore
from tandem.projects.models import Project
from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.resources.services import priority as services
from tandem.resources.tests.factories import make_allocation, make_resource
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


def _project(tenant, member, tier, **fields):
    account = make_account(tenant, member.user, tier=tier)
    return make_project(tenant, member=member, account_id=account.pk, **fields), account


def test_recommendation_reads_tier_value_health_and_margin(tenant):
    member = pm_member(tenant)
    project, account = _project(tenant, member, "vip")
    contract = make_contract(tenant, member.user, account, amount=Decimal("1000000.00"))
    make_contract(tenant, member.user, account, amount=Decimal("500000.00"), status="draft")  # not signed: not counted
    HealthScore.objects.create(tenant=tenant, account=account, score=30, computed_at="2025-03-01T00:00Z")
    Project.objects.filter(pk=project.pk).update(contract_id=contract.pk, budget=Decimal("600000.00"))
    project.refresh_from_db()

    result = services.priority_recommend(project)

    assert result.inputs.lifetime_value == Decimal("1000000.00")
    assert result.parts == {"tier": 1.0, "value": 0.5, "health": 0.7, "margin": 0.4}
    assert result.value == round(1000 * (40 * 1 + 25 * 0.5 + 15 * 0.7 + 20 * 0.4) / 100)

    # Planned cost of the allocations replaces the budget as the cost: 10 days × 8 h × 2,000 = 160,000.
    (task,) = make_chain(project, member, "机房布线", days=10)
    make_allocation(make_resource(tenant, "李工", cost_rate=Decimal("2000")), task, member)
    assert services.priority_recommend(project).parts["margin"] == 0.84


def test_refresh_applies_the_recommendation_and_vip_ranks_above_c(tenant):
    member = pm_member(tenant)
    vip, _a = _project(tenant, member, "vip")
    small, _b = _project(tenant, member, "c")
    services.priority_refresh(project=vip)
    services.priority_refresh(project=small)
    vip.refresh_from_db()
    small.refresh_from_db()
    assert vip.priority > small.priority
    assert vip.priority == services.priority_recommend(vip).value


def test_override_needs_a_reason_is_audited_and_survives_refresh_until_cleared(tenant):
    member = pm_member(tenant)
    access = access_for(member)
    project, _account = _project(tenant, member, "c")
    services.priority_refresh(project=project)
    recommended = project.priority

    with pytest.raises(ApplicationError) as refused:
        services.priority_override(access=access, project=project, priority=900, reason="  ")
    assert "reason" in refused.value.errors
    with pytest.raises(ApplicationError) as refused:
        services.priority_override(access=access, project=project, priority=1200, reason="总经理要求")
    assert "priority" in refused.value.errors
    project.refresh_from_db()
    assert (project.priority, project.priority_overridden) == (recommended, False)

    services.priority_override(access=access, project=project, priority=900, reason="总经理要求优先交付")
    project.refresh_from_db()
    assert (project.priority, project.priority_overridden, project.priority_reason) == (900, True, "总经理要求优先交付")
    entry = AuditEntry.objects.filter(object_type="projects.project", object_id=str(project.pk)).latest("id")
    assert entry.actor_id == member.user_id
    assert entry.after["priority"] == 900 and entry.after["priority_reason"] == "总经理要求优先交付"

    services.priority_refresh(project=project)
    project.refresh_from_db()
    assert project.priority == 900

    services.priority_clear_override(access=access, project=project)
    project.refresh_from_db()
    assert (project.priority, project.priority_overridden, project.priority_reason) == (recommended, False, "")


def test_override_needs_the_permission(tenant):
    member = pm_member(tenant)
    project, _account = _project(tenant, member, "c")
    viewer = make_member(tenant)  # no role
    with pytest.raises(ApplicationError):
        services.priority_override(access=access_for(viewer), project=project, priority=900, reason="想要")


def test_tier_change_recomputes_the_account_projects(tenant):
    admin = make_member(tenant, "admin")
    member = pm_member(tenant)
    project, account = _project(tenant, member, "c")
    services.priority_refresh(project=project)
    project.refresh_from_db()
    before = project.priority

    account_update(access=access_for(admin), account=account, tier="vip")

    project.refresh_from_db()
    assert project.priority > before
    assert project.priority == services.priority_recommend(project).value


def test_contract_signed_event_recomputes(tenant):
    from tandem.core.events import dispatch, emit
    from tandem.crm import events as crm_events

    member = pm_member(tenant)
    project, account = _project(tenant, member, "b")
    services.priority_refresh(project=project)
    project.refresh_from_db()
    before = project.priority
    make_contract(tenant, member.user, account, amount=Decimal("3000000.00"))

    event = emit(crm_events.CONTRACT_SIGNED, tenant=tenant, payload={"contract_id": 1, "account_id": account.pk})
    dispatch(event.pk)

    project.refresh_from_db()
    assert project.priority > before


def test_conflicts_are_reranked_when_the_priority_changes(tenant):
    from datetime import timedelta

    from tandem.resources.models import Conflict
    from tandem.resources.services.conflicts import conflicts_refresh, local_today

    member = pm_member(tenant)
    today = local_today(tenant.pk)
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    project, _account = _project(tenant, member, "c", start_date=monday)
    other = make_project(tenant, member=member, start_date=monday)
    (wiring,) = make_chain(project, member, "机房布线", days=2)
    (install,) = make_chain(other, member, "设备安装", days=2)
    li = make_resource(tenant, "李工")
    make_allocation(li, wiring, member)
    make_allocation(li, install, member)
    conflicts_refresh(tenant_id=tenant.pk)
    conflict = Conflict.objects.get(tenant=tenant, status="open")
    before = conflict.score

    services.priority_override(access=access_for(member), project=project, priority=1000, reason="重点保障项目")

    conflict.refresh_from_db()
    assert conflict.task_id == wiring.pk and conflict.factors["priority"] == 1000
    assert conflict.score > before
