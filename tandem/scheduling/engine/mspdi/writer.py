"""Writing MS Project XML (MSPDI) that Project opens: elements in the schema's order, the default
namespace, a project summary row, calendars, and the computed dates and slack."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from xml.etree.ElementTree import Element, SubElement, tostring

from tandem.scheduling.engine.calendar import working_time
from tandem.scheduling.engine.cpm import schedule as compute_schedule
from tandem.scheduling.engine.model import Calendar, Link, Project, Task, TaskSchedule
from tandem.scheduling.engine.mspdi.calendars import write_calendar
from tandem.scheduling.engine.mspdi.document import (
    CONSTRAINT_CODES,
    COST,
    LINK_CODES,
    MATERIAL,
    NAMESPACE,
    WORK,
    MspdiAssignment,
    MspdiDocument,
    MspdiResource,
)
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


def _number(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") or "0"


def write(
    source: MspdiDocument | Project,
    *,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    schedule: Mapping[str, TaskSchedule] | None = None,
    resources: Sequence[MspdiResource] | None = None,
    assignments: Sequence[MspdiAssignment] | None = None,
    calendars: Mapping[str, Calendar] | None = None,
    calendar_names: Mapping[str, str] | None = None,
    ignore_resource_calendars: Collection[str] = (),
) -> bytes:
    """MSPDI bytes for a parsed document or an engine project (`names` by task id; dates are computed
    unless `schedule` is given). A network that cannot be scheduled raises ScheduleError.

    `resources` and `assignments` (a document's own by default) become <Resources> and <Assignments>:
    an assignment's `task_uid` is the engine task id as a number, a resource's `calendar_uid` the engine
    calendar id as a number; `calendars` adds calendars the tasks do not use (resource calendars). Each
    resource with a calendar gets its own calendar derived from the project calendar, as Project keeps them.
    `ignore_resource_calendars`: task ids whose calendar already says when they are worked."""
    names_of_calendars: dict[str, str] = dict(calendar_names or {})
    wbs: dict[str, str] = {}
    extra: dict[str, Calendar] = dict(calendars or {})
    written_calendar: dict[str, str | None] | None = None
    if isinstance(source, MspdiDocument):
        project = source.to_project()
        names = {**source.names(), **(names or {})}
        title = title or source.title or source.name
        names_of_calendars = {str(uid): name for uid, name in source.calendar_names.items()} | names_of_calendars
        wbs = {str(task.uid): task.wbs for task in source.tasks if task.wbs}
        resources = source.resources if resources is None else resources
        assignments = source.assignments if assignments is None else assignments
        # The file's own calendars, and each task's own calendar (not the one its resources made it run on).
        extra = {str(uid): calendar for uid, calendar in source.calendars.items()} | extra
        written_calendar = {
            str(t.uid): str(t.calendar_uid) if t.calendar_uid in source.calendars else None for t in source.tasks
        }
        ignore_resource_calendars = {str(t.uid) for t in source.tasks if t.ignore_resource_calendar} | set(
            ignore_resource_calendars
        )
    else:
        project = source
    names = names or {}
    resources = list(resources or ())
    assignments = list(assignments or ())
    dates = dict(schedule) if schedule is not None else compute_schedule(project)
    own_calendar = {
        task.id: (written_calendar.get(task.id) if written_calendar is not None else task.calendar)
        for task in project.tasks
    }
    used = {project.default_calendar} | {c for c in own_calendar.values() if c}
    only_resources = {str(r.calendar_uid) for r in resources if r.calendar_uid is not None and r.type == WORK} - used
    written: dict[str, Calendar] = {}
    for cal_id, calendar in {**project.calendars, **extra}.items():
        if cal_id in used or (cal_id in extra and cal_id not in only_resources):
            written[cal_id] = calendar
    calendar_uids = {cal_id: n for n, cal_id in enumerate(written, start=1)}
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
    calendars_element = _sub(root, "Calendars")
    default_uid = calendar_uids[project.default_calendar]
    for cal_id, calendar in written.items():
        label = names_of_calendars.get(cal_id, cal_id)
        write_calendar(calendars_element, calendar_uids[cal_id], label, calendar, _sub)
    # Resource calendars: one derived calendar per resource, named after it.
    resource_calendar_uid: dict[int, int] = {}
    next_uid = len(calendar_uids) + 1
    for resource in resources:
        cal_id = None if resource.calendar_uid is None else str(resource.calendar_uid)
        if resource.type != WORK or cal_id is None or cal_id not in {**project.calendars, **extra}:
            continue
        calendar = {**project.calendars, **extra}[cal_id]
        # Every day of the base's exceptions is written too, so nothing of the base shows through.
        kept = {d: calendar.week[d.weekday()] for d in default.exceptions} | dict(calendar.exceptions)
        write_calendar(
            calendars_element,
            next_uid,
            resource.name,
            replace(calendar, exceptions=kept),
            _sub,
            base_uid=default_uid,
        )
        resource_calendar_uid[resource.uid] = next_uid
        next_uid += 1

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
    work_of: dict[str, int] = {}
    for assignment in assignments:
        work_of[str(assignment.task_uid)] = work_of.get(str(assignment.task_uid), 0) + assignment.work
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
        if task.id in work_of:
            _sub(element, "Work", format_duration(work_of[task.id]))
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
        own = own_calendar[task.id]
        if not own and task.id in ignore_resource_calendars:
            own = project.default_calendar  # pinned to the project calendar, whatever its resources work
        _sub(element, "CalendarUID", str(calendar_uids[own]) if own else "-1")
        if task.constraint_date is not None:
            _sub(element, "ConstraintDate", format_moment(task.constraint_date))
        if own and task.id in ignore_resource_calendars:
            _sub(element, "IgnoreResourceCalendar", "1")
        for link in links_into.get(task.id, []):
            pred = _sub(element, "PredecessorLink")
            _sub(pred, "PredecessorUID", str(uids[link.predecessor]))
            _sub(pred, "Type", str(LINK_CODES[link.type]))
            _sub(pred, "CrossProject", "0")
            _sub(pred, "LinkLag", str(link.lag * 10))
            _sub(pred, "LagFormat", "7")
    _write_resources(root, resources, resource_calendar_uid)
    _write_assignments(root, assignments, uids, dates, resources)
    data: bytes = tostring(root, encoding="UTF-8", xml_declaration=True, default_namespace=NAMESPACE)
    return data


def _write_resources(root: Element, resources: list[MspdiResource], calendar_uid: Mapping[int, int]) -> None:
    element = _sub(root, "Resources")
    placeholder = _sub(element, "Resource")  # Project's own first row
    _sub(placeholder, "UID", "0")
    _sub(placeholder, "ID", "0")
    _sub(placeholder, "Type", "1")
    _sub(placeholder, "IsNull", "0")
    for n, resource in enumerate(resources, start=1):
        row = _sub(element, "Resource")
        _sub(row, "UID", str(resource.uid))
        _sub(row, "ID", str(resource.id or n))
        _sub(row, "Name", resource.name)
        _sub(row, "Type", str(resource.type))
        _sub(row, "IsNull", "0")
        if resource.initials:
            _sub(row, "Initials", resource.initials)
        if resource.material_label and resource.type == MATERIAL:
            _sub(row, "MaterialLabel", resource.material_label)
        if resource.code:
            _sub(row, "Code", resource.code)
        if resource.group:
            _sub(row, "Group", resource.group)
        if resource.email:
            _sub(row, "EmailAddress", resource.email)
        if resource.type == WORK:
            _sub(row, "MaxUnits", f"{resource.max_units:.2f}")
        _sub(row, "StandardRate", _number(resource.standard_rate))
        _sub(row, "StandardRateFormat", "2")  # per hour
        _sub(row, "OvertimeRate", _number(resource.overtime_rate))
        _sub(row, "OvertimeRateFormat", "2")
        _sub(row, "CostPerUse", _number(resource.cost_per_use * 100))
        if resource.uid in calendar_uid:
            _sub(row, "CalendarUID", str(calendar_uid[resource.uid]))
        if resource.notes:
            _sub(row, "Notes", resource.notes)
        _sub(row, "IsGeneric", "1" if resource.is_generic else "0")
        _sub(row, "IsInactive", "1" if resource.is_inactive else "0")
        _sub(row, "IsCostResource", "1" if resource.type == COST else "0")
        _sub(row, "IsBudget", "1" if resource.is_budget else "0")


def _write_assignments(
    root: Element,
    assignments: list[MspdiAssignment],
    uids: Mapping[str, int],
    dates: Mapping[str, TaskSchedule],
    resources: list[MspdiResource],
) -> None:
    element = _sub(root, "Assignments")
    known = {resource.uid for resource in resources}
    taken: set[int] = set()
    fresh = max((a.uid for a in assignments), default=0) + 1
    for assignment in assignments:
        task_id = str(assignment.task_uid)
        if task_id == "0" and task_id not in uids:
            uids = {**uids, "0": 0}  # the project summary row: Project's budget resources are assigned to it
        if task_id not in uids or assignment.resource_uid not in known:
            continue
        uid = assignment.uid
        if uid <= 0 or uid in taken:
            uid, fresh = fresh, fresh + 1
        taken.add(uid)
        row = dates.get(task_id)
        start = assignment.start or (row.early_start if row else None)
        finish = assignment.finish or (row.early_finish if row else None)
        out = _sub(element, "Assignment")
        _sub(out, "UID", str(uid))
        _sub(out, "TaskUID", str(uids[task_id]))
        _sub(out, "ResourceUID", str(assignment.resource_uid))
        _sub(out, "PercentWorkComplete", str(round(assignment.percent_work_complete)))
        _sub(out, "ActualWork", format_duration(assignment.actual_work))
        if finish is not None:
            _sub(out, "Finish", format_moment(finish))
        _sub(out, "RegularWork", format_duration(assignment.regular_work or assignment.work))
        _sub(out, "RemainingWork", format_duration(assignment.remaining_work))
        if start is not None:
            _sub(out, "Start", format_moment(start))
        _sub(out, "Units", _number(assignment.units, 4))  # 0.3333 = 33.33 %, as allocations keep it
        _sub(out, "Work", format_duration(assignment.work))
