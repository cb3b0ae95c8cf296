"""Reading MS Project XML safely.

The parser is defusedxml's with DTDs forbidden outright: MSPDI never needs one, and refusing any
<!DOCTYPE> stops external entities (XXE), entity expansion bombs and network fetches before they start.
The size is checked before parsing. Whatever goes wrong surfaces as ScheduleError with a code:
`too_large`, `unsafe_xml` (DTD, entities, external references) or `malformed` (not XML, not MSPDI,
or a value that cannot be read) — never another exception type.
"""

from __future__ import annotations

import os
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from tandem.scheduling.engine.model import ConstraintType, LinkType, ScheduleError
from tandem.scheduling.engine.mspdi.calendars import CalendarReader
from tandem.scheduling.engine.mspdi.document import (
    CONSTRAINTS,
    COST,
    LINK_TYPES,
    MATERIAL,
    UNASSIGNED,
    WORK,
    MspdiAssignment,
    MspdiDocument,
    MspdiLink,
    MspdiResource,
    MspdiTask,
)
from tandem.scheduling.engine.mspdi.values import boolean, duration_minutes, integer, moment, number, text

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_ELAPSED_LAG_FORMATS = {4, 6, 8, 10, 12}  # elapsed minutes, hours, days, weeks, months
_PERCENT_LAG_FORMATS = {19, 20}

Source = bytes | bytearray | str | os.PathLike[str] | BinaryIO


def _load(source: Source, max_bytes: int) -> bytes:
    too_large = ScheduleError(
        f"the file is larger than the {max_bytes:,} bytes allowed", code="too_large", detail=max_bytes
    )
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str):
        try:
            data = source.encode("utf-8")
        except UnicodeError as exc:
            raise ScheduleError(f"the text is not valid Unicode: {exc}", code="malformed") from exc
    elif isinstance(source, os.PathLike):
        try:
            if os.stat(source).st_size > max_bytes:
                raise too_large
            with open(source, "rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise ScheduleError(f"cannot read {os.fspath(source)!r}: {exc.strerror}", code="unreadable") from exc
    else:
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    return data


def _parse(data: bytes) -> Element:
    try:
        root: Element = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ScheduleError(
            f"the file uses XML features that are refused for safety ({type(exc).__name__}): "
            "DTDs, entities and external references are not allowed in MS Project XML",
            code="unsafe_xml",
        ) from exc
    except ParseError as exc:
        raise ScheduleError(f"not well-formed XML: {exc}", code="malformed") from exc
    except (ValueError, LookupError, UnicodeError, RecursionError) as exc:  # e.g. an unknown encoding
        raise ScheduleError(f"not readable XML: {exc}", code="malformed") from exc
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.split("}", 1)[1]
    if root.tag != "Project":
        raise ScheduleError(
            f"not an MS Project XML file: the root element is <{root.tag}>, not <Project>", code="malformed"
        )
    return root


def read(source: Source, *, max_bytes: int = DEFAULT_MAX_BYTES) -> MspdiDocument:
    """Parse MSPDI from bytes, XML text (str), a path (os.PathLike) or a binary file object."""
    root = _parse(_load(source, max_bytes))
    try:
        return _document(root)
    except ScheduleError:
        raise
    except (ValueError, TypeError, OverflowError, KeyError) as exc:  # a value we failed to anticipate
        raise ScheduleError(f"the file could not be read: {exc}", code="malformed") from exc


def _document(root: Element) -> MspdiDocument:
    start = moment(root, "StartDate", "Project/StartDate")
    if start is None:
        raise ScheduleError("the project has no StartDate", code="malformed", detail="Project/StartDate")
    minutes_per_day = integer(root, "MinutesPerDay", "Project/MinutesPerDay") or 480
    if not 0 < minutes_per_day <= 1440:
        raise ScheduleError(f"MinutesPerDay {minutes_per_day} is out of range", code="malformed")
    calendars = CalendarReader()
    for element in root.findall("Calendars/Calendar"):
        calendars.read(element)
    document = MspdiDocument(
        start=start,
        calendars=calendars.resolve(),
        calendar_names=calendars.names,
        calendar_uid=integer(root, "CalendarUID", "Project/CalendarUID"),
        name=text(root, "Name") or "",
        title=text(root, "Title") or "",
        finish=moment(root, "FinishDate", "Project/FinishDate"),
        status_date=moment(root, "StatusDate", "Project/StatusDate"),
        minutes_per_day=minutes_per_day,
        critical_slack_limit=integer(root, "CriticalSlackLimit", "Project/CriticalSlackLimit") or 0,
    )
    seen: set[int] = set()
    for element in root.findall("Tasks/Task"):
        task = _task(element, minutes_per_day, document.warnings)
        if task.uid in seen:
            raise ScheduleError(f"task UID {task.uid} appears twice", code="malformed", detail=task.uid)
        seen.add(task.uid)
        document.tasks.append(task)
    _outline(document.tasks)
    _check_links(document)
    _resources(root, document)
    return document


def _resources(root: Element, document: MspdiDocument) -> None:
    """<Resources> and <Assignments>. The placeholder resource (UID 0, no name) and the "unassigned"
    assignments Project writes for tasks without resources are left out; an assignment to a task or
    resource that is not in the file is dropped with a warning."""
    minutes_per_day = document.minutes_per_day
    seen: set[int] = set()
    for element in root.findall("Resources/Resource"):
        uid = integer(element, "UID", "Resource/UID")
        if uid is None:
            raise ScheduleError("a resource has no UID", code="malformed", detail="Resource/UID")
        if uid in seen:
            raise ScheduleError(f"resource UID {uid} appears twice", code="malformed", detail=uid)
        seen.add(uid)
        where = f"resource UID {uid}"
        name = text(element, "Name") or ""
        if boolean(element, "IsNull") or (uid == 0 and not name):
            continue
        kind = integer(element, "Type", f"{where}: Type")
        kind = COST if boolean(element, "IsCostResource") or kind == COST else MATERIAL if kind == MATERIAL else WORK
        max_units = number(element, "MaxUnits", f"{where}: MaxUnits")
        calendar_uid = integer(element, "CalendarUID", f"{where}: CalendarUID")
        document.resources.append(
            MspdiResource(
                uid=uid,
                id=integer(element, "ID", f"{where}: ID"),
                name=name or f"#{uid}",
                type=kind,
                initials=text(element, "Initials") or "",
                group=text(element, "Group") or "",
                code=text(element, "Code") or "",
                email=text(element, "EmailAddress") or "",
                material_label=text(element, "MaterialLabel") or "",
                max_units=1.0 if max_units is None else max(max_units, 0.0),
                calendar_uid=None if calendar_uid in (None, -1) else calendar_uid,
                standard_rate=number(element, "StandardRate", f"{where}: StandardRate") or 0.0,
                overtime_rate=number(element, "OvertimeRate", f"{where}: OvertimeRate") or 0.0,
                cost_per_use=(number(element, "CostPerUse", f"{where}: CostPerUse") or 0.0) / 100,
                is_generic=boolean(element, "IsGeneric"),
                is_inactive=boolean(element, "IsInactive"),
                is_budget=boolean(element, "IsBudget"),
                notes=text(element, "Notes") or "",
            )
        )
    resources = {r.uid for r in document.resources}
    tasks = {t.uid for t in document.tasks if not t.is_null}
    seen = set()
    for element in root.findall("Assignments/Assignment"):
        uid = integer(element, "UID", "Assignment/UID")
        task_uid = integer(element, "TaskUID", "Assignment/TaskUID")
        resource_uid = integer(element, "ResourceUID", "Assignment/ResourceUID")
        if uid is None or task_uid is None or resource_uid is None:
            raise ScheduleError(
                "an assignment has no UID, TaskUID or ResourceUID", code="malformed", detail="Assignment"
            )
        if uid in seen:
            raise ScheduleError(f"assignment UID {uid} appears twice", code="malformed", detail=uid)
        seen.add(uid)
        if resource_uid == UNASSIGNED or (resource_uid == 0 and resource_uid not in resources):
            continue
        where = f"assignment UID {uid}"
        if task_uid not in tasks or resource_uid not in resources:
            document.warnings.append(f"{where}: task {task_uid} or resource {resource_uid} is not in the file; ignored")
            continue

        units = number(element, "Units", f"{where}: Units")
        document.assignments.append(
            MspdiAssignment(
                uid=uid,
                task_uid=task_uid,
                resource_uid=resource_uid,
                units=1.0 if units is None else max(units, 0.0),
                work=_work(element, "Work", where, minutes_per_day),
                regular_work=_work(element, "RegularWork", where, minutes_per_day),
                actual_work=_work(element, "ActualWork", where, minutes_per_day),
                remaining_work=_work(element, "RemainingWork", where, minutes_per_day),
                percent_work_complete=number(element, "PercentWorkComplete", f"{where}: PercentWorkComplete") or 0.0,
                start=moment(element, "Start", f"{where}: Start"),
                finish=moment(element, "Finish", f"{where}: Finish"),
            )
        )


def _work(element: Element, tag: str, where: str, minutes_per_day: int) -> int:
    value = text(element, tag)
    return max(duration_minutes(value, f"{where}: {tag}", minutes_per_day), 0) if value else 0


def _task(element: Element, minutes_per_day: int, warnings: list[str]) -> MspdiTask:
    uid = integer(element, "UID", "Task/UID")
    if uid is None:
        raise ScheduleError("a task has no UID", code="malformed", detail="Task/UID")
    where = f"task UID {uid}"
    task = MspdiTask(uid=uid, id=integer(element, "ID", f"{where}: ID"), is_null=boolean(element, "IsNull"))
    if task.is_null:
        return task
    task.name = text(element, "Name") or ""
    level = integer(element, "OutlineLevel", f"{where}: OutlineLevel")
    task.outline_level = (0 if uid == 0 else 1) if level is None else max(level, 0)
    task.outline_number = text(element, "OutlineNumber") or ""
    task.wbs = text(element, "WBS") or ""
    task.is_summary = boolean(element, "Summary")
    task.is_milestone = boolean(element, "Milestone")
    duration = text(element, "Duration")
    task.duration = max(duration_minutes(duration, f"{where}: Duration", minutes_per_day), 0) if duration else 0
    code = integer(element, "ConstraintType", f"{where}: ConstraintType") or 0
    task.constraint = CONSTRAINTS.get(code, ConstraintType.ASAP)
    task.constraint_date = moment(element, "ConstraintDate", f"{where}: ConstraintDate")
    if task.constraint not in (ConstraintType.ASAP, ConstraintType.ALAP) and task.constraint_date is None:
        warnings.append(f"{where}: constraint {task.constraint.value} has no date; scheduled as soon as possible")
        task.constraint = ConstraintType.ASAP
    task.percent_complete = min(max(number(element, "PercentComplete", f"{where}: PercentComplete") or 0.0, 0.0), 100)
    task.actual_start = moment(element, "ActualStart", f"{where}: ActualStart")
    task.actual_finish = moment(element, "ActualFinish", f"{where}: ActualFinish")
    task.start = moment(element, "Start", f"{where}: Start")
    task.finish = moment(element, "Finish", f"{where}: Finish")
    calendar_uid = integer(element, "CalendarUID", f"{where}: CalendarUID")
    task.calendar_uid = None if calendar_uid in (None, -1) else calendar_uid
    task.ignore_resource_calendar = boolean(element, "IgnoreResourceCalendar")
    for link in element.findall("PredecessorLink"):
        parsed = _link(link, where, minutes_per_day, warnings)
        if parsed is not None:
            task.predecessors.append(parsed)
    return task


def _link(element: Element, where: str, minutes_per_day: int, warnings: list[str]) -> MspdiLink | None:
    pred = integer(element, "PredecessorUID", f"{where}: PredecessorUID")
    if pred is None:
        raise ScheduleError(f"{where}: a predecessor link has no PredecessorUID", code="malformed", detail=where)
    if boolean(element, "CrossProject"):
        warnings.append(f"{where}: link from another project ({text(element, 'CrossProjectName')}) ignored")
        return None
    code = integer(element, "Type", f"{where}: link Type")
    link_type = LINK_TYPES.get(1 if code is None else code)
    if link_type is None:
        raise ScheduleError(f"{where}: unknown link Type {code}", code="malformed", detail=where)
    lag_format = integer(element, "LagFormat", f"{where}: LagFormat") or 7
    tenths = integer(element, "LinkLag", f"{where}: LinkLag") or 0
    lag = round(tenths / 10)
    if lag_format in _ELAPSED_LAG_FORMATS:
        # The engine's lags are working time; an elapsed lag is approximated by the working share of a day.
        lag = round(lag * minutes_per_day / 1440)
        warnings.append(f"{where}: elapsed lag on the link from {pred} approximated as {lag} working minutes")
    elif lag_format in _PERCENT_LAG_FORMATS:
        warnings.append(f"{where}: percentage lag on the link from {pred} read as {lag} working minutes")
    return MspdiLink(predecessor_uid=pred, type=LinkType(link_type), lag=lag, lag_format=lag_format)


def _outline(tasks: list[MspdiTask]) -> None:
    """Parents from outline levels, in row order; blank rows do not take part."""
    stack: list[MspdiTask] = []
    for task in tasks:
        if task.is_null:
            continue
        while stack and stack[-1].outline_level >= task.outline_level:
            stack.pop()
        task.parent_uid = stack[-1].uid if stack else None
        stack.append(task)


def _check_links(document: MspdiDocument) -> None:
    real = {task.uid for task in document.tasks if not task.is_null}
    for task in document.tasks:
        kept = []
        for link in task.predecessors:
            if link.predecessor_uid in real:
                kept.append(link)
            else:
                document.warnings.append(
                    f"task UID {task.uid}: predecessor UID {link.predecessor_uid} is not a task here; link ignored"
                )
        task.predecessors = kept
