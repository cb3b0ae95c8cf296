"""Resources, skills and leave written through their services: validated, all-or-nothing, audited, with events."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from tandem.accounts.models import Department
from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.core.models import OutboxEvent
from tandem.resources import events
from tandem.resources.models import Leave, Resource, ResourceSkill, Skill
from tandem.resources.services import resources as services
from tandem.resources.tests.factories import make_leave, make_resource, make_skill
from tandem.testing.kit import access_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def pm(tenant):
    return make_member(tenant, "pm", display_name="周经理")


@pytest.fixture
def access(pm):
    return access_for(pm)


def _events(name):
    return list(OutboxEvent.objects.filter(name=name).order_by("created_at"))


def test_a_crew_is_created_with_its_skills_audited_and_announced(tenant, access):
    department = Department.objects.create(tenant=tenant, name="工程部")
    wiring, commissioning = make_skill(tenant, "综合布线"), make_skill(tenant, "弱电调试")
    crew = services.resource_create(
        access=access,
        kind="crew",
        name="布线一班",
        code="BX-01",
        headcount=5,
        hours_per_day=Decimal("8"),
        department=department,
        cost_rate=Decimal("80"),
        bill_rate=Decimal("150"),
        skills=[(wiring, 4), services.SkillLevel(commissioning, 2)],
    )
    assert crew.headcount == 5 and crew.department == department
    assert {(r.skill.name, r.level) for r in crew.skill_levels.all()} == {("综合布线", 4), ("弱电调试", 2)}
    entry = AuditEntry.objects.get(object_type="resources.resource", object_id=str(crew.pk))
    assert entry.action == "create" and entry.after["skill_levels"] == {"综合布线": 4, "弱电调试": 2}
    (event,) = _events(events.RESOURCE_CREATED)
    assert event.payload == {"resource_id": crew.pk, "name": "布线一班", "kind": "crew"}


def test_bad_input_changes_nothing(tenant, other_tenant, access):
    skill = make_skill(tenant, "电工")
    foreign = make_skill(other_tenant, "电工")
    make_resource(tenant, "李工")
    cases = [
        ({"name": "李工"}, "name"),  # the name is taken
        ({"name": ""}, "name"),
        ({"name": "王工", "headcount": 3}, "headcount"),  # a person is one person
        ({"name": "王工", "hours_per_day": Decimal("25")}, "hours_per_day"),
        ({"name": "王工", "skills": [(skill, 6)]}, "skills[0]"),
        ({"name": "王工", "skills": [(skill, 3), (skill, 4)]}, "skills[1]"),
        ({"name": "王工", "skills": [(skill, 3), (foreign, 3)]}, "skills[1]"),
        ({"name": "班组", "kind": "crew", "headcount": 0}, "headcount"),
    ]
    for fields, field in cases:
        with pytest.raises(ApplicationError) as refused:
            services.resource_create(access=access, **fields)
        assert field in refused.value.errors, (fields, refused.value.errors)
    assert list(Resource.objects.values_list("name", flat=True)) == ["李工"]
    assert not ResourceSkill.objects.exists() and not _events(events.RESOURCE_CREATED)


def test_a_member_links_to_one_resource_only(tenant, access):
    engineer = make_member(tenant, "pm", display_name="李工")
    first = services.resource_create(access=access, name="李工", user=engineer.user)
    with pytest.raises(ApplicationError) as refused:
        services.resource_create(access=access, name="李工（二号）", user=engineer.user)
    assert "李工" in refused.value.errors["user"][0]
    other = services.resource_create(access=access, name="王工")
    with pytest.raises(ApplicationError):
        services.resource_update(access=access, resource=other, user=engineer.user)
    with pytest.raises(ApplicationError) as crew:
        services.resource_create(access=access, name="安装班", kind="crew", headcount=4, user=make_member(tenant).user)
    assert "user" in crew.value.errors
    assert Resource.objects.get(user=engineer.user) == first and Resource.objects.count() == 2


def test_an_outsider_cannot_be_linked(tenant, other_tenant, access):
    outsider = make_member(other_tenant, "pm")
    with pytest.raises(ApplicationError) as refused:
        services.resource_create(access=access, name="外包张工", user=outsider.user)
    assert "user" in refused.value.errors and not Resource.objects.exists()


def test_an_update_replaces_the_skills_and_reports_what_changed(tenant, access):
    cabling, cctv, power = make_skill(tenant, "综合布线"), make_skill(tenant, "监控安装"), make_skill(tenant, "强电")
    resource = services.resource_create(access=access, name="李工", skills=[(cabling, 3), (cctv, 2)])
    services.resource_update(
        access=access, resource=resource, hours_per_day=Decimal("6"), skills=[(cabling, 5), (power, 1)]
    )
    assert {(r.skill.name, r.level) for r in resource.skill_levels.all()} == {("综合布线", 5), ("强电", 1)}
    (event,) = _events(events.RESOURCE_UPDATED)
    assert event.payload == {"resource_id": resource.pk, "changed": ["hours_per_day", "skill_levels"]}
    services.resource_update(access=access, resource=resource, notes="")  # nothing changes: no row, no event
    assert len(_events(events.RESOURCE_UPDATED)) == 1

    with pytest.raises(ApplicationError):
        services.resource_update(access=access, resource=resource, name="新名字", skills=[(cabling, 0)])
    resource.refresh_from_db()
    assert resource.name == "李工" and resource.skill_levels.get(skill=cabling).level == 5


def test_deactivating_keeps_the_resource_and_says_so(tenant, access):
    resource = make_resource(tenant, "李工")
    services.resource_deactivate(access=access, resource=resource)
    resource.refresh_from_db()
    assert resource.is_active is False
    assert _events(events.RESOURCE_UPDATED)[0].payload["changed"] == ["is_active"]


def test_writes_need_the_permission(tenant):
    sales = access_for(make_member(tenant, "sales"))
    with pytest.raises(PermissionDenied):
        services.resource_create(access=sales, name="李工")
    with pytest.raises(PermissionDenied):
        services.skill_create(access=sales, name="电工")
    with pytest.raises(PermissionDenied):
        services.leave_create(
            access=sales, resource=make_resource(tenant), start=date(2026, 5, 6), end=date(2026, 5, 6)
        )


def test_a_record_of_another_tenant_is_not_found(other_tenant, access):
    with pytest.raises(ApplicationError):
        services.resource_update(access=access, resource=make_resource(other_tenant), name="改名")


def test_resource_for_member_gets_or_creates_and_avoids_a_taken_name(tenant):
    engineer = make_member(tenant, "pm", display_name="李工", username="ligong")
    make_resource(tenant, "李工")  # an unlinked person of the same name
    created = services.resource_for_member(tenant_id=tenant.pk, user=engineer.user)
    assert created.user == engineer.user and created.name == "李工 (ligong)" and created.kind == "person"
    assert services.resource_for_member(tenant_id=tenant.pk, user=engineer.user) == created
    assert len(_events(events.RESOURCE_CREATED)) == 1


def test_resource_for_member_refuses_a_stranger(tenant, other_tenant):
    stranger = make_member(other_tenant)
    with pytest.raises(ApplicationError):
        services.resource_for_member(tenant_id=tenant.pk, user=stranger.user)
    assert not Resource.objects.filter(tenant=tenant).exists()


def test_a_member_of_two_organisations_is_a_resource_in_each_and_linked_once_in_each(tenant, other_tenant):
    here = make_member(tenant, "pm", display_name="周工", username="zhougong")
    there = make_member(other_tenant, "pm", username="zhougong")
    assert here.user == there.user
    mine = services.resource_for_member(tenant_id=tenant.pk, user=here.user)
    theirs = services.resource_for_member(tenant_id=other_tenant.pk, user=there.user)
    assert mine != theirs and mine.user == theirs.user == here.user
    with pytest.raises(ApplicationError) as twice:
        services.resource_create(access=access_for(here), name="周工二号", user=here.user)
    assert "user" in twice.value.errors
    assert Resource.objects.filter(tenant=tenant, user=here.user).count() == 1


def test_skills_are_unique_and_one_in_use_cannot_be_deleted(tenant, access):
    skill = services.skill_create(access=access, name=" 弱电调试 ", description="楼宇智能化")
    assert skill.name == "弱电调试"
    with pytest.raises(ApplicationError) as taken:
        services.skill_create(access=access, name="弱电调试")
    assert "name" in taken.value.errors
    services.skill_update(access=access, skill=skill, name="弱电系统调试")
    make_resource(tenant, "李工", skills=[("弱电系统调试", 4)])
    with pytest.raises(ApplicationError) as in_use:
        services.skill_delete(access=access, skill=skill)
    assert "1 resource" in in_use.value.message and Skill.objects.filter(pk=skill.pk).exists()
    unused = services.skill_create(access=access, name="焊工")
    services.skill_delete(access=access, skill=unused)
    assert not Skill.objects.filter(pk=unused.pk).exists()
    assert AuditEntry.objects.filter(object_type="resources.skill", action="delete").count() == 1


def test_leave_is_recorded_and_announced_with_its_dates(tenant, access):
    resource = make_resource(tenant, "李工")
    leave = services.leave_create(
        access=access, resource=resource, kind="leave", start=date(2026, 5, 6), end=date(2026, 5, 8), note="年假"
    )
    assert leave.created_by == access.membership.user
    (event,) = _events(events.LEAVE_CHANGED)
    assert event.payload == {"resource_id": resource.pk, "start": "2026-05-06", "end": "2026-05-08"}

    services.leave_update(access=access, leave=leave, start=date(2026, 5, 7), end=date(2026, 5, 12))
    # The conflicts hear of the old days and the new ones.
    assert _events(events.LEAVE_CHANGED)[-1].payload == {
        "resource_id": resource.pk,
        "start": "2026-05-06",
        "end": "2026-05-12",
    }
    services.leave_delete(access=access, leave=leave)
    assert not Leave.objects.exists()
    assert _events(events.LEAVE_CHANGED)[-1].payload["start"] == "2026-05-07"
    assert AuditEntry.objects.filter(object_type="resources.leave").count() == 3


def test_overlapping_leave_and_bad_dates_are_refused(tenant, pm, access):
    resource = make_resource(tenant, "李工")
    make_leave(resource, pm, date(2026, 5, 6), date(2026, 5, 8))
    colleague = make_resource(tenant, "王工")
    for start, end, field in [
        (date(2026, 5, 8), date(2026, 5, 10), "start"),  # overlaps its last day
        (date(2026, 5, 1), date(2026, 5, 20), "start"),  # covers it
        (date(2026, 5, 12), date(2026, 5, 11), "end"),
        (date(2026, 1, 1), date(2027, 6, 1), "end"),
        (None, date(2026, 5, 11), "start"),
    ]:
        with pytest.raises(ApplicationError) as refused:
            services.leave_create(access=access, resource=resource, start=start, end=end)
        assert field in refused.value.errors, (start, end)
    with pytest.raises(ApplicationError) as inside:
        services.leave_create(access=access, resource=resource, start=date(2026, 5, 7), end=date(2026, 5, 7))
    assert "2026-05-06" in inside.value.message and "2026-05-08" in inside.value.message
    with pytest.raises(ApplicationError):
        services.leave_create(
            access=access, resource=resource, start=date(2026, 6, 1), end=date(2026, 6, 1), hours_off=Decimal("30")
        )
    assert Leave.objects.count() == 1 and not _events(events.LEAVE_CHANGED)
    # The same days are free for a colleague, and the next day for the same person.
    services.leave_create(access=access, resource=colleague, start=date(2026, 5, 6), end=date(2026, 5, 8))
    services.leave_create(access=access, resource=resource, start=date(2026, 5, 9), end=date(2026, 5, 9))
    # Moving a leave onto another one is refused too, and leaves it where it was.
    later = Leave.objects.get(resource=resource, start=date(2026, 5, 9))
    with pytest.raises(ApplicationError):
        services.leave_update(access=access, leave=later, start=date(2026, 5, 8))
    later.refresh_from_db()
    assert later.start == date(2026, 5, 9)
