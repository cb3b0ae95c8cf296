"""Writing MS Project XML (MSPDI) that Project opens: elements in the schema's order, the default
namespace, a project summary row, calendars, and the computed dates and slack."""

from __future__ import annotations

from collections.abc import Mapping
from xml.etree.ElementTree import Element, SubElement, tostring

from tandem.scheduling.engine.calendar import working_time
from tandem.scheduling.engine.cpm import schedule as compute_schedule
from tandem.scheduling.engine.model import Calendar, Link, Project, Task, TaskSchedule
from tandem.scheduling.engine.mspdi.calendars import write_calendar
from tandem.scheduling.engine.mspdi.document import CONSTRAINT_CODES, LINK_CODES, NAMESPACE, MspdiDocument
from tandem.scheduling.engine.mspdi.values import format_duration, format_moment


def _sub(parent: Element, tag: str, value: str | None = None) -> Element:
    element = SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if value is not None:
        element.text = value
    return element


def _uids(project: Project) -> dict[str, int]:
    """Task ids that are distinct positive integers are kept as UIDs (so a round trip keeps them)."""
    ids = [task.id for task in project.tasks]
    if all(i.isdigit() and int(i) > 0 and i == str(int(i)) for i in ids) and len(set(ids)) == len(ids):
        return {i: int(i) for i in ids}
    return {task.id: n for n, task in enumerate(project.tasks, start=1)}


def _outline_order(project: Project) -> list[tuple[Task, int, str]]:
    """Tasks depth-first (parents before children, list order among siblings) with level and outline number."""
    children: dict[str | None, list[Task]] = {}
    ids = {task.id for task in project.tasks}
    for task in project.tasks:
        children.setdefault(task.parent if task.parent in ids else None, []).append(task)
    ordered: list[tuple[Task, int, str]] = []
    stack: list[tuple[Task, int, str]] = [
        (task, 1, str(n)) for n, task in reversed(list(enumerate(children.get(None, []), start=1)))
    ]
    while stack:
        task, level, number = stack.pop()
        ordered.append((task, level, number))
        kids = children.get(task.id, [])
        stack.extend((kid, level + 1, f"{number}.{n}") for n, kid in reversed(list(enumerate(kids, start=1))))
    return ordered


def _day_hours(calendar: Calendar) -> tuple[str, str, int]:
    """Default start and finish time and minutes per day, from the first working weekday."""
    compiled = working_time(calendar)
    for weekday in range(7):
        spans = compiled.weekday_intervals(weekday)
        if spans:
            start, end = spans[0][0], spans[-1][1] % 1440
            minutes = sum(hi - lo for lo, hi in spans)
            return f"{start // 60:02d}:{start % 60:02d}:00", f"{end // 60:02d}:{end % 60:02d}:00", minutes
    return "08:00:00", "17:00:00", 480


def write(
    source: MspdiDocument | Project,
    *,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    schedule: Mapping[str, TaskSchedule] | None = None,
) -> bytes:
    """MSPDI bytes for a parsed document or an engine project (`names` by task id; dates are computed
    unless `schedule` is given). A network that cannot be scheduled raises ScheduleError."""
    calendar_names: dict[str, str] = {}
    wbs: dict[str, str] = {}
    if isinstance(source, MspdiDocument):
        project = source.to_project()
        names = {**source.names(), **(names or {})}
        title = title or source.title or source.name
        calendar_names = {str(uid): name for uid, name in source.calendar_names.items()}
        wbs = {str(task.uid): task.wbs for task in source.tasks if task.wbs}
    else:
        project = source
    names = names or {}
    dates = dict(schedule) if schedule is not None else compute_schedule(project)
    calendar_uids = {cal_id: n for n, cal_id in enumerate(project.calendars, start=1)}
    default = project.calendars[project.default_calendar]
    start_time, finish_time, minutes_per_day = _day_hours(default)
    finish = max((row.early_finish for row in dates.values()), default=project.start)

    root = Element(f"{{{NAMESPACE}}}Project")
    _sub(root, "SaveVersion", "14")
    _sub(root, "Name", title or "Tandem project")
    _sub(root, "Title", title or "Tandem project")
    _sub(root, "ScheduleFromStart", "1")
    _sub(root, "StartDate", format_moment(project.start))
    _sub(root, "FinishDate", format_moment(finish))
    _sub(root, "CriticalSlackLimit", str(project.critical_threshold // max(minutes_per_day, 1)))
    _sub(root, "CalendarUID", str(calendar_uids[project.default_calendar]))
    _sub(root, "DefaultStartTime", start_time)
    _sub(root, "DefaultFinishTime", finish_time)
    _sub(root, "MinutesPerDay", str(minutes_per_day))
    _sub(root, "MinutesPerWeek", str(sum(working_time(default).weekday_minutes())))
    _sub(root, "DaysPerMonth", "20")
    _sub(root, "DurationFormat", "7")
    if project.status_date is not None:
        _sub(root, "StatusDate", format_moment(project.status_date))
    calendars = _sub(root, "Calendars")
    for cal_id, calendar in project.calendars.items():
        write_calendar(calendars, calendar_uids[cal_id], calendar_names.get(cal_id, cal_id), calendar, _sub)

    tasks = _sub(root, "Tasks")
    uids = _uids(project)
    summary = _sub(tasks, "Task")
    _sub(summary, "UID", "0")
    _sub(summary, "ID", "0")
    _sub(summary, "Name", title or "Tandem project")
    _sub(summary, "Manual", "0")
    _sub(summary, "IsNull", "0")
    _sub(summary, "OutlineNumber", "0")
    _sub(summary, "OutlineLevel", "0")
    _sub(summary, "Start", format_moment(project.start))
    _sub(summary, "Finish", format_moment(finish))
    _sub(summary, "Summary", "1")
    links_into: dict[str, list[Link]] = {}
    for link in project.links:
        links_into.setdefault(link.successor, []).append(link)
    parents = {task.parent for task in project.tasks if task.parent}
    for row_id, (task, level, number) in enumerate(_outline_order(project), start=1):
        row = dates[task.id]
        calendar_id = task.calendar or project.default_calendar
        cal = working_time(project.calendars[calendar_id])
        is_summary = task.id in parents
        duration = cal.working_minutes(row.early_start, row.early_finish) if is_summary else task.duration
        element = _sub(tasks, "Task")
        _sub(element, "UID", str(uids[task.id]))
        _sub(element, "ID", str(row_id))
        _sub(element, "Name", names.get(task.id, task.id))
        _sub(element, "Manual", "0")
        _sub(element, "IsNull", "0")
        _sub(element, "WBS", wbs.get(task.id, number))
        _sub(element, "OutlineNumber", number)
        _sub(element, "OutlineLevel", str(level))
        _sub(element, "Start", format_moment(row.early_start))
        _sub(element, "Finish", format_moment(row.early_finish))
        _sub(element, "Duration", format_duration(duration))
        _sub(element, "DurationFormat", "7")
        _sub(element, "Milestone", "1" if task.is_milestone or (duration == 0 and not is_summary) else "0")
        _sub(element, "Summary", "1" if is_summary else "0")
        _sub(element, "Critical", "1" if row.critical else "0")
        _sub(element, "EarlyStart", format_moment(row.early_start))
        _sub(element, "EarlyFinish", format_moment(row.early_finish))
        _sub(element, "LateStart", format_moment(row.late_start))
        _sub(element, "LateFinish", format_moment(row.late_finish))
        _sub(element, "FreeSlack", str(row.free_float * 10))
        _sub(element, "TotalSlack", str(row.total_float * 10))
        _sub(element, "PercentComplete", str(round(task.percent_complete)))
        if task.actual_start is not None:
            _sub(element, "ActualStart", format_moment(task.actual_start))
        if task.actual_finish is not None:
            _sub(element, "ActualFinish", format_moment(task.actual_finish))
        _sub(element, "ConstraintType", str(CONSTRAINT_CODES[task.constraint]))
        _sub(element, "CalendarUID", str(calendar_uids[task.calendar]) if task.calendar else "-1")
        if task.constraint_date is not None:
            _sub(element, "ConstraintDate", format_moment(task.constraint_date))
        for link in links_into.get(task.id, []):
            pred = _sub(element, "PredecessorLink")
            _sub(pred, "PredecessorUID", str(uids[link.predecessor]))
            _sub(pred, "Type", str(LINK_CODES[link.type]))
            _sub(pred, "CrossProject", "0")
            _sub(pred, "LinkLag", str(link.lag * 10))
            _sub(pred, "LagFormat", "7")
    data: bytes = tostring(root, encoding="UTF-8", xml_declaration=True, default_namespace=NAMESPACE)
    return data
