"""MSPDI resources, assignments and resource calendars: read, scheduled on, written back.

The corpus files with resources (../shared/data/mspdi-corpus) store the dates Project computed with its
resources' calendars; each file is scheduled here and every stored date, slack and critical flag compared.
Files that do not match in full say why in MATCHES, and the count must stay exactly as written there, so a
change in either direction is noticed.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time
from xml.etree.ElementTree import fromstring

import pytest

from tandem.scheduling.engine import model as mspdi_model
from tandem.scheduling.engine import mspdi
from tandem.scheduling.engine.cpm import schedule
from tandem.scheduling.engine.model import Calendar
from tandem.scheduling.engine.mspdi import document as mspdi_document
from tandem.scheduling.engine.mspdi.document import MATERIAL, WORK, intersect_calendars, union_calendar
from tandem.scheduling.tests.conftest import SHARED_DATA, dt, shared_data

CORPUS = SHARED_DATA / "mspdi-corpus"
NS = "{http://schemas.microsoft.com/project}"
FIELDS = ("EarlyStart", "EarlyFinish", "LateStart", "LateFinish", "TotalSlack", "FreeSlack", "Critical")
BEFORE_START = (
    "the tasks start before the project's StartDate (a start-no-earlier-than constraint or a manual task in "
    "the past, which Project lets through); the engine starts no task before the project start"
)
# file -> (fields matching, fields compared, why the rest differ)
MATCHES = {
    **{f"assignment-assignments-project{v}-mspdi.xml": (11, 28, BEFORE_START) for v in (2002, 2003, 2007, 2010)},
    **{f"assignment-assignments-project{v}-mspdi.xml": (11, 28, BEFORE_START) for v in (2013, 2016, 2019)},
    **{f"assignment-flags-project{v}-mspdi.xml": (63, 147, BEFORE_START) for v in (2003, 2007, 2010, 2013)},
    **{f"assignment-flags-project{v}-mspdi.xml": (63, 147, BEFORE_START) for v in (2016, 2019)},
    "mspdiassignmentcustom.xml": (14, 14, ""),
    "mspdiassignmentfields.xml": (14, 14, ""),
    "mspdiresource.xml": (
        22,
        28,
        "a contoured task ends at 09:08:24 (the engine counts whole minutes), and a finished task's actual "
        "start on a Saturday is moved to Monday",
    ),
    "mspditimephased.xml": (
        191,
        287,
        "split tasks and edited work contours (timephased data) end later than their duration, and Project's "
        "stored late dates end before the project finish",
    ),
}


def _value(row, field: str) -> str:
    if field in ("TotalSlack", "FreeSlack"):
        return str((row.total_float if field == "TotalSlack" else row.free_float) * 10)
    if field == "Critical":
        return "1" if row.critical else "0"
    attribute = {"EarlyStart": "early_start", "EarlyFinish": "early_finish", "LateStart": "late_start"}
    return getattr(row, attribute.get(field, "late_finish")).isoformat()


def matches(document, expected: dict) -> tuple[int, int]:
    rows = schedule(document.to_project(include_project_summary=True))
    blank = {str(task.uid) for task in document.tasks if task.is_null}
    matched = compared = 0
    for task in expected["tasks"]:
        if task["UID"] in blank:
            continue
        for field in FIELDS:
            if task.get(field) is None:
                continue
            compared += 1
            row = rows.get(task["UID"])
            matched += row is not None and _value(row, field) == task[field]
    return matched, compared


def _expected(name: str) -> dict:
    return json.loads((CORPUS / "expected" / name.replace(".xml", ".expected.json")).read_text())


def test_every_corpus_file_with_assignments_is_listed():
    folder = shared_data("mspdi-corpus")
    with_assignments = {path.name for path in folder.glob("*.xml") if mspdi.read(path).assignments}
    assert with_assignments == set(MATCHES)


@pytest.mark.parametrize("name", sorted(MATCHES))
def test_corpus_dates_with_resource_calendars(name):
    path = shared_data("mspdi-corpus", name)
    document = mspdi.read(path)
    matched, compared, reason = MATCHES[name]
    assert matches(document, _expected(name)) == (matched, compared), reason


def test_resources_and_assignments_are_read():
    document = mspdi.read(shared_data("mspdi-corpus", "mspdiresource.xml"))
    by_name = {r.name: r for r in document.resources}
    assert sorted(by_name) == ["Brian Leach", "Concrete", "Jon Iles", "Wade Golden"]  # not the UID 0 placeholder
    wade = by_name["Wade Golden"]
    assert (wade.type, wade.initials, wade.group, wade.code, wade.max_units) == (WORK, "WG", "Steelray", "10", 1.0)
    assert (wade.standard_rate, wade.overtime_rate, wade.calendar_uid) == (50.0, 100.0, 3)
    concrete = by_name["Concrete"]
    assert (concrete.type, concrete.material_label, concrete.cost_per_use) == (MATERIAL, "ton", 500.0)
    first = document.assignments[0]
    assert (first.task_uid, first.resource_uid, first.units, first.work, first.regular_work) == (2, 1, 1.0, 1440, 1440)
    assert (first.start, first.finish) == (dt("2006-08-25 08:00"), dt("2006-08-29 17:00"))
    # Task 4 was done: its work is all actual.
    done = next(a for a in document.assignments if a.task_uid == 4)
    assert (done.actual_work, done.remaining_work, done.percent_work_complete) == (960, 0, 100.0)


def test_unassigned_placeholders_are_left_out():
    document = mspdi.read(shared_data("mspdi-corpus", "task-links-project2013-mspdi.xml"))
    assert document.resources == [] and document.assignments == []


def test_a_task_runs_when_any_of_its_resources_work():
    """Task A has two day-shift people and one on the night shift: Project spans it over the union of their
    calendars (48 working hours from Friday 08:00 end on Wednesday 08:00), not over the project calendar."""
    document = mspdi.read(shared_data("mspdi-corpus", "mspdiresource.xml"))
    rows = schedule(document.to_project())
    assert (rows["2"].early_start, rows["2"].early_finish) == (dt("2006-08-25 08:00"), dt("2006-08-30 08:00"))
    alone = schedule(replace(document, assignments=[]).to_project())
    assert alone["2"].early_finish == dt("2006-09-01 17:00")  # without its resources: the standard week
    with_resources = matches(document, _expected("mspdiresource.xml"))
    without = matches(replace(document, assignments=[]), _expected("mspdiresource.xml"))
    assert with_resources[0] > without[0]


NIGHT = Calendar(id="n", week=(((time(22), time(0)),),) * 5 + ((), ()), exceptions={date(2024, 10, 9): ()})
DAY = Calendar(id="d", week=(((time(8), time(12)), (time(13), time(17))),) * 6 + ((),))


def test_union_and_intersection_of_calendars():
    both = union_calendar([NIGHT, DAY], "u")
    assert both.week[0] == ((time(8), time(12)), (time(13), time(17)), (time(22), time(0)))
    assert both.week[5] == ((time(8), time(12)), (time(13), time(17)))
    assert both.exceptions == {date(2024, 10, 9): ((time(8), time(12)), (time(13), time(17)))}
    common = intersect_calendars(DAY, Calendar(id="am", week=(((time(7), time(10)),),) * 7), "i")
    assert common.week[0] == ((time(8), time(10)),) and common.week[6] == ()


def _round_trip(name: str):
    document = mspdi.read(shared_data("mspdi-corpus", name))
    return document, mspdi.read(mspdi.write(document))


def _resource_view(document) -> list:
    calendars = document.calendars
    return [
        (
            r.name,
            r.type,
            r.initials,
            r.group,
            r.code,
            r.material_label,
            r.max_units,
            r.standard_rate,
            r.overtime_rate,
            r.cost_per_use,
            r.notes,
            r.is_budget,
            (calendars[r.calendar_uid].week, calendars[r.calendar_uid].exceptions)
            if r.calendar_uid in calendars and r.type == WORK
            else None,
        )
        for r in document.resources
    ]


@pytest.mark.parametrize("name", sorted(MATCHES))
def test_resources_and_assignments_survive_a_round_trip(name):
    before, after = _round_trip(name)
    assert _resource_view(after) == _resource_view(before)
    uid = {r.uid: r.name for r in before.resources}
    uid_after = {r.uid: r.name for r in after.resources}

    def assignments(document, names) -> list:
        return [
            (a.task_uid, names[a.resource_uid], a.units, a.work, a.regular_work, a.actual_work, a.remaining_work)
            for a in document.assignments
        ]

    assert assignments(after, uid_after) == assignments(before, uid)
    assert schedule(after.to_project()) == schedule(before.to_project())


def test_written_resources_are_shaped_like_projects():
    root = fromstring(mspdi.write(mspdi.read(shared_data("mspdi-corpus", "mspdiresource.xml"))))
    tags = [child.tag.removeprefix(NS) for child in root]
    assert tags.index("Tasks") < tags.index("Resources") < tags.index("Assignments")
    resources = root.findall(f"{NS}Resources/{NS}Resource")
    assert resources[0].findtext(f"{NS}UID") == "0"  # Project's own placeholder row comes first
    wade = next(r for r in resources if r.findtext(f"{NS}Name") == "Wade Golden")
    calendar_uid = wade.findtext(f"{NS}CalendarUID")
    calendar = next(c for c in root.iter(f"{NS}Calendar") if c.findtext(f"{NS}UID") == calendar_uid)
    # A resource calendar is derived from the project calendar and named after its resource.
    assert (calendar.findtext(f"{NS}Name"), calendar.findtext(f"{NS}IsBaseCalendar")) == ("Wade Golden", "0")
    assert calendar.findtext(f"{NS}BaseCalendarUID") == root.findtext(f"{NS}CalendarUID")
    assert wade.findtext(f"{NS}StandardRate") == "50" and wade.findtext(f"{NS}StandardRateFormat") == "2"
    concrete = next(r for r in resources if r.findtext(f"{NS}Name") == "Concrete")
    assert concrete.findtext(f"{NS}CostPerUse") == "50000"  # hundredths, as Project stores currency
    task_a = next(t for t in root.iter(f"{NS}Task") if t.findtext(f"{NS}UID") == "2")
    assert task_a.findtext(f"{NS}CalendarUID") == "-1"  # its own calendar, not the union it ran on
    assert task_a.findtext(f"{NS}Work") == "PT72H0M0S"


def _file(resources: str, assignments: str) -> bytes:
    return (
        '<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2025-03-03T08:00:00</StartDate>'
        "<Tasks><Task><UID>1</UID><Name>机房布线</Name><Duration>PT16H0M0S</Duration></Task></Tasks>"
        f"<Resources>{resources}</Resources><Assignments>{assignments}</Assignments></Project>"
    ).encode()


LI = "<Resource><UID>1</UID><Name>李工</Name><Type>1</Type><MaxUnits>1.00</MaxUnits></Resource>"


@pytest.mark.parametrize(
    ("resources", "assignments", "detail"),
    [
        (LI + LI, "", "resource UID 1 appears twice"),
        ("<Resource><Name>李工</Name></Resource>", "", "a resource has no UID"),
        (LI, "<Assignment><UID>1</UID><ResourceUID>1</ResourceUID></Assignment>", "no UID, TaskUID or ResourceUID"),
        (
            LI,
            "<Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID><Units>lots</Units></Assignment>",
            "Units",
        ),
        (
            LI,
            "<Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID><Work>8 hours</Work></Assignment>",
            "Work",
        ),
        (LI.replace("1.00", "many"), "", "MaxUnits"),
    ],
)
def test_broken_resources_are_refused_as_malformed(resources, assignments, detail):
    with pytest.raises(mspdi_model.ScheduleError) as caught:
        mspdi.read(_file(resources, assignments))
    assert caught.value.code == "malformed" and detail in str(caught.value)


def test_an_assignment_to_something_not_in_the_file_is_dropped_with_a_warning():
    document = mspdi.read(
        _file(
            LI,
            "<Assignment><UID>7</UID><TaskUID>9</TaskUID><ResourceUID>1</ResourceUID></Assignment>"
            "<Assignment><UID>8</UID><TaskUID>1</TaskUID><ResourceUID>4</ResourceUID></Assignment>"
            "<Assignment><UID>9</UID><TaskUID>1</TaskUID><ResourceUID>-65535</ResourceUID></Assignment>"
            "<Assignment><UID>10</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID><Units>0.5</Units>"
            "<Work>PT8H0M0S</Work></Assignment>",
        )
    )
    assert [(a.uid, a.units, a.work) for a in document.assignments] == [(10, 0.5, 480)]
    assert len([w for w in document.warnings if "not in the file" in w]) == 2


def test_an_engine_project_is_written_with_its_resources_and_their_calendars():
    project = mspdi_model.Project(
        start=dt("2025-03-03 08:00"),
        tasks=[mspdi_model.Task("11", 960), mspdi_model.Task("12", 480)],
        links=[mspdi_model.Link("11", "12")],
        calendars={"5": DAY, "6": NIGHT},
        default_calendar="5",
    )
    crew = mspdi_document.MspdiResource(uid=40, name="弱电班组", max_units=5.0, calendar_uid=6, standard_rate=120.0)
    li = mspdi_document.MspdiResource(uid=41, name="李工", calendar_uid=5)
    body = mspdi.write(
        project,
        names={"11": "机房布线", "12": "弱电调试"},
        resources=[crew, li],
        assignments=[
            mspdi_document.MspdiAssignment(uid=0, task_uid=11, resource_uid=40, units=5.0, work=4800),
            mspdi_document.MspdiAssignment(uid=0, task_uid=12, resource_uid=41, units=1 / 3, work=160),
        ],
        calendars={"6": NIGHT},
        ignore_resource_calendars={"11", "12"},
    )
    document = mspdi.read(body)
    assert [(r.name, r.max_units, r.standard_rate) for r in document.resources] == [
        ("弱电班组", 5.0, 120.0),
        ("李工", 1.0, 0.0),
    ]
    assert [(a.uid, a.task_uid, a.units, a.work) for a in document.assignments] == [
        (1, 11, 5.0, 4800),
        (2, 12, 0.3333, 160),
    ]
    night = document.calendars[document.resources[0].calendar_uid]
    assert (night.week, night.exceptions) == (NIGHT.week, NIGHT.exceptions)
    # The tasks keep the project calendar in Project too (their resources' calendars are ignored).
    assert schedule(document.to_project()) == schedule(project)
