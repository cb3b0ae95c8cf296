"""Properties of schedules of random networks (hypothesis), and a check against a plain integer CPM."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.scheduling.engine.calendar import always_on_calendar, calendar_from_workdays, working_time
from tandem.scheduling.engine.cpm import Scheduler
from tandem.scheduling.engine.model import Calendar, ConstraintType, Link, LinkType, Project, Task

HOLIDAYS = calendar_from_workdays(
    {
        **{date(2024, 10, d): False for d in range(1, 8)},
        date(2024, 9, 29): True,
        date(2024, 10, 12): True,
        **{date(2024, 2, d): False for d in range(10, 18)},
        date(2024, 2, 4): True,
        date(2024, 2, 18): True,
    }
)
CALENDARS = {"standard": Calendar(), "cn": HOLIDAYS, "always": always_on_calendar("always")}
FROM_FINISH = {LinkType.FS: True, LinkType.FF: True, LinkType.SS: False, LinkType.SF: False}
TO_FINISH = {LinkType.FF: True, LinkType.SF: True, LinkType.FS: False, LinkType.SS: False}


@st.composite
def networks(draw, calendar_ids=("standard", "cn")):
    size = draw(st.integers(1, 25))
    durations = draw(st.lists(st.sampled_from([0, 30, 240, 480, 960, 1440, 2400]), min_size=size, max_size=size))
    edges = draw(
        st.lists(
            st.tuples(
                st.integers(0, size - 1),
                st.integers(0, size - 1),
                st.sampled_from(list(LinkType)),
                st.sampled_from([0, 0, 0, -480, -120, 90, 480, 960]),
            ),
            max_size=2 * size,
        )
    )
    links = [Link(str(min(a, b)), str(max(a, b)), kind, lag) for a, b, kind, lag in edges if a != b]
    start = draw(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2024, 12, 31)))
    calendar = draw(st.sampled_from(calendar_ids))
    return Project(
        start=start.replace(second=0, microsecond=0),
        tasks=[Task(str(i), d) for i, d in enumerate(durations)],
        links=links,
        calendars=CALENDARS,
        default_calendar=calendar,
    )


def _end(row, finish: bool, late: bool = False):
    if late:
        return row.late_finish if finish else row.late_start
    return row.early_finish if finish else row.early_start


@settings(max_examples=300, deadline=None)
@given(networks())
def test_schedule_invariants(project):
    scheduler = Scheduler(project)
    rows = scheduler.run()
    cal = working_time(project.calendars[project.default_calendar])
    count = lambda moment: cal.working_minutes(project.start, moment)  # noqa: E731
    finish = max(count(row.early_finish) for row in rows.values())
    for task in project.tasks:
        row = rows[task.id]
        assert row.early_start <= row.late_start and row.early_finish <= row.late_finish
        assert row.early_start >= cal.next_working(project.start) or task.duration == 0
        assert count(row.early_finish) - count(row.early_start) == task.duration
        assert count(row.late_finish) - count(row.late_start) == task.duration
        assert 0 <= row.free_float <= row.total_float
        assert row.total_float == count(row.late_start) - count(row.early_start)
        assert count(row.late_finish) <= finish
    for link in project.links:
        pred, succ = rows[link.predecessor], rows[link.successor]
        for late in (False, True):
            gap = count(_end(succ, TO_FINISH[link.type], late)) - count(_end(pred, FROM_FINISH[link.type], late))
            assert gap >= link.lag, (link, late)

    # Critical tasks form chains from a task at the project start to a task at the project finish.
    critical = {task_id for task_id, row in rows.items() if row.critical}
    assert critical

    def tight(link: Link) -> bool:
        pred, succ = rows[link.predecessor], rows[link.successor]
        bound = count(_end(pred, FROM_FINISH[link.type])) + link.lag
        return bound == count(_end(succ, TO_FINISH[link.type]))

    for task_id in critical:
        row = rows[task_id]
        driven = any(
            link.successor == task_id and link.predecessor in critical and tight(link) for link in project.links
        )
        assert driven or count(row.early_start) == 0, task_id
        drives = any(
            link.predecessor == task_id and link.successor in critical and tight(link) for link in project.links
        )
        assert drives or count(row.early_finish) == finish

    chain = scheduler.longest_path()
    assert chain and all(task_id in critical for task_id in chain)
    assert count(rows[chain[-1]].early_finish) == finish
    assert count(rows[chain[0]].early_start) == 0
    for first, second in zip(chain, chain[1:], strict=False):
        assert any(l.predecessor == first and l.successor == second and tight(l) for l in project.links)  # noqa: E741


@settings(max_examples=200, deadline=None)
@given(networks(calendar_ids=("always",)))
def test_matches_a_plain_integer_cpm_on_a_24_hour_calendar(project):
    rows = Scheduler(project).run()
    order = [task.id for task in project.tasks]  # links always go from a lower to a higher index
    duration = {task.id: task.duration for task in project.tasks}
    es: dict[str, int] = {}
    ef: dict[str, int] = {}
    for task_id in order:
        start = 0
        for link in project.links:
            if link.successor == task_id:
                base = (ef if FROM_FINISH[link.type] else es)[link.predecessor] + link.lag
                start = max(start, base - duration[task_id] if TO_FINISH[link.type] else base)
        es[task_id], ef[task_id] = start, start + duration[task_id]
    finish = max(ef.values())
    lf: dict[str, int] = {}
    ls: dict[str, int] = {}
    for task_id in reversed(order):
        late = finish
        for link in project.links:
            if link.predecessor == task_id:
                base = (lf if TO_FINISH[link.type] else ls)[link.successor] - link.lag
                late = min(late, base if FROM_FINISH[link.type] else base + duration[task_id])
        lf[task_id], ls[task_id] = late, late - duration[task_id]
    minutes = lambda moment: round((moment - project.start) / timedelta(minutes=1))  # noqa: E731
    for task_id in order:
        row = rows[task_id]
        assert (minutes(row.early_start), minutes(row.early_finish)) == (es[task_id], ef[task_id])
        assert (minutes(row.late_start), minutes(row.late_finish)) == (ls[task_id], lf[task_id])
        assert row.total_float == ls[task_id] - es[task_id]


@st.composite
def constrained_networks(draw):
    project = draw(networks())
    cal = working_time(project.calendars[project.default_calendar])
    for task in project.tasks:
        constraint = draw(st.sampled_from([ConstraintType.ASAP] * 4 + list(ConstraintType)))
        if constraint not in (ConstraintType.ASAP, ConstraintType.ALAP):
            offset = draw(st.integers(-2400, 9600))
            task.constraint_date = cal.add(project.start, offset) if offset else project.start
        task.constraint = constraint
    if draw(st.booleans()):
        project.finish_deadline = cal.add(project.start, draw(st.integers(0, 9600)))
    return project


@settings(max_examples=300, deadline=None)
@given(constrained_networks())
def test_constrained_schedules_keep_durations_links_and_constraints(project):
    rows = Scheduler(project).run()
    cal = working_time(project.calendars[project.default_calendar])
    count = lambda moment: cal.working_minutes(project.start, moment)  # noqa: E731
    pinned = {t.id for t in project.tasks if t.constraint in (ConstraintType.MSO, ConstraintType.MFO)}
    for task in project.tasks:
        row = rows[task.id]
        assert count(row.early_finish) - count(row.early_start) == task.duration
        assert count(row.late_finish) - count(row.late_start) == task.duration
        assert row.free_float >= 0 and row.critical == (row.total_float <= 0)
        when = task.constraint_date and count(task.constraint_date)
        if task.constraint is ConstraintType.SNET:
            assert count(row.early_start) >= when
        elif task.constraint is ConstraintType.FNET:
            assert count(row.early_finish) >= when
        elif task.constraint is ConstraintType.MSO:
            assert count(row.early_start) == when and count(row.late_start) <= when
        elif task.constraint is ConstraintType.MFO:
            assert count(row.early_finish) == when and count(row.late_finish) <= when
        elif task.constraint is ConstraintType.SNLT:
            assert count(row.late_start) <= when
        elif task.constraint is ConstraintType.FNLT:
            assert count(row.late_finish) <= when
    for link in project.links:
        if link.successor in pinned:
            continue
        pred, succ = rows[link.predecessor], rows[link.successor]
        gap = count(_end(succ, TO_FINISH[link.type])) - count(_end(pred, FROM_FINISH[link.type]))
        assert gap >= link.lag, link
