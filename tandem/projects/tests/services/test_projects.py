"""Project services: numbering, completion emitted once, team shares, status updates, validation."""

from datetime import date

import pytest

from tandem.core.errors import ApplicationError
from tandem.core.models import OutboxEvent, RecordShare
from tandem.projects import events
from tandem.projects.choices import Health, ProjectStatus
from tandem.projects.models import Project
from tandem.projects.services.projects import (
    project_complete,
    project_create,
    project_status_update_add,
    project_update,
)
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import access_for, make_member


def names(tenant):
    return list(OutboxEvent.objects.filter(tenant=tenant).order_by("created_at").values_list("name", flat=True))


def test_a_project_is_numbered_and_announced(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm, name="厂房机电安装")
    assert project.number.startswith("XM-")
    assert project.owner_id == pm.user_id
    assert project.calendar.is_default
    assert events.PROJECT_CREATED in names(tenant)


def test_completing_emits_completed_once(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    access = access_for(pm)
    project_complete(access=access, project=project)
    project_complete(access=access, project=project)
    # Reopening and completing again does not announce a second completion either.
    project_update(access=access, project=project, status=ProjectStatus.ACTIVE)
    project_update(access=access, project=project, status=ProjectStatus.COMPLETED)
    assert names(tenant).count(events.PROJECT_COMPLETED) == 1
    event = OutboxEvent.objects.get(name=events.PROJECT_COMPLETED)
    assert event.payload["project_id"] == project.pk
    assert Project.objects.get(pk=project.pk).completed_at is not None


def test_a_cancelled_project_cannot_be_completed(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    project_update(access=access_for(pm), project=project, status=ProjectStatus.CANCELLED)
    with pytest.raises(ApplicationError):
        project_complete(access=access_for(pm), project=project)
    with pytest.raises(ApplicationError):  # nor through an edit
        project_update(access=access_for(pm), project=project, status=ProjectStatus.COMPLETED)
    project.refresh_from_db()
    assert project.status == ProjectStatus.CANCELLED and project.completed_at is None
    assert not OutboxEvent.objects.filter(name=events.PROJECT_COMPLETED).exists()


def test_crm_links_must_be_the_tenants_and_belong_together(tenant, other_tenant):
    from tandem.crm.tests.factories import make_account, make_contract, make_deal

    pm = pm_member(tenant)
    access = access_for(pm)
    mine = make_account(tenant, pm.user)
    deal = make_deal(tenant, pm.user, mine)
    contract = make_contract(tenant, pm.user, mine, deal=deal)
    project = project_create(
        access=access,
        name="厂房机电安装",
        start_date=date(2025, 3, 3),
        account_id=mine.pk,
        deal_id=deal.pk,
        contract_id=contract.pk,
    )
    assert (project.account_id, project.deal_id, project.contract_id) == (mine.pk, deal.pk, contract.pk)

    foreign = make_account(other_tenant, make_member(other_tenant, "sales").user)
    with pytest.raises(ApplicationError) as refused:
        project_create(access=access, name="越权", start_date=date(2025, 3, 3), account_id=foreign.pk)
    assert "account_id" in refused.value.errors
    someone_else = make_account(tenant, pm.user)
    with pytest.raises(ApplicationError) as refused:
        project_update(access=access, project=project, account_id=someone_else.pk)
    assert set(refused.value.errors) == {"deal_id", "contract_id"}
    with pytest.raises(ApplicationError):
        project_update(access=access, project=project, deal_id=999999)
    project.refresh_from_db()
    assert (project.account_id, project.deal_id) == (mine.pk, deal.pk)
    assert Project.objects.filter(name="越权").count() == 0


def test_status_changes_are_announced_with_from_and_to(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    project_update(access=access_for(pm), project=project, status=ProjectStatus.ACTIVE)
    event = OutboxEvent.objects.get(name=events.PROJECT_STATUS_CHANGED)
    assert event.payload == {"project_id": project.pk, "from": "planning", "to": "active"}


def test_team_members_get_read_access_and_lose_it_when_they_leave(tenant):
    pm = pm_member(tenant)
    foreman = make_member(tenant, "foreman")
    project = make_project(tenant, member=pm, team=[foreman.user])
    assert Project.objects.restrict(access_for(foreman)).filter(pk=project.pk).exists()
    project_update(access=access_for(pm), project=project, team=[])
    assert not Project.objects.restrict(access_for(foreman)).filter(pk=project.pk).exists()
    assert not RecordShare.objects.filter(user=foreman.user).exists()


def test_status_updates_keep_history_and_set_health(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm)
    project_status_update_add(access=access_for(pm), project=project, text="材料延误", health=Health.AT_RISK)
    project_status_update_add(access=access_for(pm), project=project, text="已追回", health=Health.ON_TRACK)
    project.refresh_from_db()
    assert project.health == Health.ON_TRACK
    assert project.status_updates.count() == 2


def test_bad_dates_and_duplicate_codes_are_refused_with_field_errors(tenant):
    pm = pm_member(tenant)
    access = access_for(pm)
    with pytest.raises(ApplicationError) as caught:
        project_create(access=access, name="X", start_date=date(2025, 3, 3), contract_finish=date(2025, 1, 1))
    assert "contract_finish" in caught.value.errors
    project_create(access=access, name="X", start_date=date(2025, 3, 3), code="HZ-01")
    with pytest.raises(ApplicationError) as caught:
        project_create(access=access, name="Y", start_date=date(2025, 3, 3), code="HZ-01")
    assert caught.value.errors


def test_sales_cannot_create_projects(tenant):
    sales = make_member(tenant, "sales")
    with pytest.raises(ApplicationError):
        project_create(access=access_for(sales), name="X", start_date=date(2025, 3, 3))
