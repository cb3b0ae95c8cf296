"""Calendar writes tell the apps that schedule on calendars (registered in `tandem.calendars.usage`) what
changed, in the same transaction: working time, the people on a calendar, and whether a calendar may go."""

from datetime import date

import pytest

from tandem.calendars import usage
from tandem.calendars.models import WorkCalendar
from tandem.calendars.services.calendars import (
    calendar_create,
    calendar_delete,
    calendar_exception_remove,
    calendar_exception_set,
    calendar_resources_set,
    calendar_seed_holidays,
    calendar_update,
)
from tandem.core.errors import ApplicationError
from tandem.testing.kit import access_for, make_member


class Recorder:
    """A registered use that records what it is told and answers `in_use` as asked."""

    def __init__(self, busy=False):
        self.busy, self.changed, self.moved = busy, [], []

    def use(self) -> usage.CalendarUse:
        return usage.CalendarUse(
            in_use=lambda *, calendar: self.busy,
            working_time_changed=lambda *, calendar: self.changed.append(calendar.pk),
            people_moved=lambda *, tenant_id, user_ids: self.moved.append((tenant_id, sorted(user_ids))),
        )


@pytest.fixture
def recorder(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(usage, "_USES", [recorder.use()])
    return recorder


@pytest.fixture
def admin(tenant):
    return make_member(tenant, "admin")


def test_changes_of_working_time_are_told_and_renames_are_not(tenant, admin, recorder):
    access = access_for(admin)
    calendar = calendar_create(access=access, name="六天制", seed_holidays=False)
    assert recorder.changed == []
    calendar_update(access=access, calendar=calendar, name="六天工作制")
    assert recorder.changed == []
    calendar_update(access=access, calendar=calendar, week=[[["08:00", "17:00"]]] * 6 + [[]])
    exception = calendar_exception_set(access=access, calendar=calendar, date=date(2031, 5, 2), is_working=False)
    calendar_exception_remove(access=access, exception=exception)
    calendar_seed_holidays(access=access, calendar=calendar)
    assert recorder.changed == [calendar.pk] * 4


def test_people_moved_onto_or_off_a_calendar_are_told(tenant, admin, recorder):
    access = access_for(admin)
    foreman, welder = make_member(tenant, "foreman"), make_member(tenant, "foreman")
    six = calendar_create(access=access, name="六天制", seed_holidays=False)
    other = calendar_create(access=access, name="另一日历", seed_holidays=False)
    calendar_resources_set(access=access, calendar=six, users=[foreman.user, welder.user])
    calendar_resources_set(access=access, calendar=six, users=[foreman.user, welder.user])  # no change
    calendar_resources_set(access=access, calendar=other, users=[welder.user])
    assert recorder.moved == [
        (tenant.pk, sorted([foreman.user_id, welder.user_id])),
        (tenant.pk, [welder.user_id]),
    ]
    calendar_delete(access=access, calendar=six)  # the foreman goes back to the projects' calendars
    assert recorder.moved[-1] == (tenant.pk, [foreman.user_id])
    calendar_delete(access=access, calendar=other)
    assert recorder.moved[-1] == (tenant.pk, [welder.user_id])
    spare = calendar_create(access=access, name="闲置日历", seed_holidays=False)
    calendar_delete(access=access, calendar=spare)  # nobody worked it: nothing to tell
    assert len(recorder.moved) == 4


def test_a_calendar_a_use_still_needs_is_not_deleted(tenant, admin, recorder):
    access = access_for(admin)
    calendar = calendar_create(access=access, name="在用日历", seed_holidays=False)
    recorder.busy = True
    with pytest.raises(ApplicationError) as refused:
        calendar_delete(access=access, calendar=calendar)
    assert refused.value.code == "in_use" and WorkCalendar.objects.filter(pk=calendar.pk).exists()
    recorder.busy = False
    calendar_delete(access=access, calendar=calendar)
    assert not WorkCalendar.objects.filter(pk=calendar.pk).exists()


def test_without_a_registered_use_calendars_work_on_their_own(tenant, admin, monkeypatch):
    monkeypatch.setattr(usage, "_USES", [])
    access = access_for(admin)
    calendar = calendar_create(access=access, name="独立日历", seed_holidays=False)
    calendar_exception_set(access=access, calendar=calendar, date=date(2031, 5, 2), is_working=False)
    calendar_resources_set(access=access, calendar=calendar, users=[admin.user])
    calendar_delete(access=access, calendar=calendar)
    assert usage.counted_relation() == ""
    assert not WorkCalendar.objects.filter(pk=calendar.pk).exists()
