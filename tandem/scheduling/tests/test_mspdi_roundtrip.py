"""Write MSPDI, read it back: the same network and the same schedule; the XML is shaped like Project's own."""

from __future__ import annotations

from datetime import date, time
from xml.etree.ElementTree import fromstring

import pytest

from tandem.scheduling.engine import mspdi
from tandem.scheduling.engine.calendar import calendar_from_workdays
from tandem.scheduling.engine.cpm import schedule
from tandem.scheduling.engine.model import Calendar, ConstraintType, Link, LinkType, Project, Task
from tandem.scheduling.tests.conftest import SHARED_DATA, dt, shared_data

NS = "{http://schemas.microsoft.com/project}"
HOLIDAYS = calendar_from_workdays(
    {**{date(2024, 10, d): False for d in range(1, 8)}, date(2024, 9, 29): True, date(2024, 10, 12): True}, id="cn"
)
NIGHT = Calendar(id="night", week=(((time(18), time(22)),),) * 5 + ((), ()), exceptions={date(2024, 10, 9): ()})


def sample_project() -> Project:
    tasks = [
        Task("1", is_summary=True),
        Task("2", 960, parent="1"),
        Task("3", 480, parent="1", constraint=ConstraintType.SNET, constraint_date=dt("2024-10-08 13:00")),
        Task("4", 0, is_milestone=True),
        Task("5", 240, calendar="night"),
        Task("6", 1440, actual_start=dt("2024-09-26 08:00"), percent_complete=25),
        Task("7", 480, constraint=ConstraintType.FNLT, constraint_date=dt("2024-10-18 17:00")),
    ]
    links = [
        Link("2", "3", LinkType.FS, -240),
        Link("1", "4"),
        Link("4", "5", LinkType.SS, 120),
        Link("6", "7", LinkType.FF, 480),
        Link("5", "7", LinkType.SF, 960),
    ]
    return Project(
        start=dt("2024-09-26 08:00"),
        tasks=tasks,
        links=links,
        calendars={"cn": HOLIDAYS, "night": NIGHT},
        default_calendar="cn",
        status_date=dt("2024-09-30 08:00"),
    )


def network(project: Project) -> tuple:
    """Everything that decides the schedule (a summary's own duration does not: it is rolled up)."""
    parents = {t.parent for t in project.tasks}
    tasks = sorted(
        (
            t.id,
            None if t.id in parents else t.duration,
            t.parent,
            t.constraint,
            t.constraint_date,
            t.actual_start,
            t.actual_finish,
            round(t.percent_complete),
        )
        for t in project.tasks
    )
    links = sorted((link.predecessor, link.successor, link.type, link.lag) for link in project.links)
    calendars = {
        t.id: (
            project.calendars[t.calendar or project.default_calendar].week,
            project.calendars[t.calendar or project.default_calendar].exceptions,
        )
        for t in project.tasks
    }
    return tasks, links, calendars, project.start, project.status_date


def test_write_then_read_gives_the_same_network_and_schedule():
    project = sample_project()
    names = {"1": "基础施工", "2": "挖掘", "3": "浇筑 & <验收>", "4": "里程碑", "5": "夜班", "6": "采购", "7": "交付"}
    data = mspdi.write(project, names=names, title="样板工程")
    document = mspdi.read(data)
    again = document.to_project()
    assert network(again) == network(project)
    assert document.names() == {**names, "0": "样板工程"} and document.title == "样板工程"
    assert schedule(again) == schedule(project)


def test_task_ids_that_are_not_numbers_get_uids_and_keep_their_names():
    project = Project(
        start=dt("2024-09-26 08:00"),
        tasks=[Task("design", 480), Task("build", 960)],
        links=[Link("design", "build")],
    )
    document = mspdi.read(mspdi.write(project))
    assert document.names() == {"0": "Tandem project", "1": "design", "2": "build"}
    before, after = schedule(project), schedule(document.to_project())
    assert after["1"] == before["design"] and after["2"] == before["build"]


@pytest.mark.parametrize("name", sorted(p.name for p in (SHARED_DATA / "mspdi").glob("*.xml")) or ["absent"])
def test_microsoft_project_files_survive_a_round_trip(name):
    original = mspdi.read(shared_data("mspdi", name))
    copy = mspdi.read(mspdi.write(original))
    assert network(copy.to_project()) == network(original.to_project())
    assert schedule(copy.to_project()) == schedule(original.to_project())
    assert copy.names() == {k: v for k, v in original.names().items() if k != "0"} | {"0": copy.names()["0"]}


def _tag_order(element) -> list[str]:
    return [child.tag.removeprefix(NS) for child in element]


def _follows(written: list[str], reference: list[str]) -> bool:
    """`written` uses only tags that Project writes, in Project's order (repeats allowed)."""
    positions = [reference.index(tag) for tag in written]
    return positions == sorted(positions)


def test_the_xml_is_shaped_like_microsoft_projects_own():
    project_order = _tag_order(fromstring(shared_data("mspdi", "mspdinulltasks.xml").read_bytes()))
    reference = fromstring(shared_data("mspdi", "task-links-project2013-mspdi.xml").read_bytes())
    task_order = max((_tag_order(task) for task in reference.iter(f"{NS}Task")), key=len)
    calendar_order = [
        "UID",
        "GUID",
        "Name",
        "IsBaseCalendar",
        "IsBaselineCalendar",
        "BaseCalendarUID",
        "WeekDays",
        "Exceptions",
        "WorkWeeks",
    ]
    written = fromstring(mspdi.write(sample_project()))
    assert written.tag == f"{NS}Project"
    assert _follows([t for t in _tag_order(written) if t != "StatusDate"], project_order)
    for task in written.iter(f"{NS}Task"):
        tags = _tag_order(task)
        assert {"UID", "ID", "Name", "OutlineLevel", "Start", "Finish"} <= set(tags)
        assert _follows([t for t in tags if t not in ("ActualStart", "ActualFinish")], task_order), tags
    for calendar in written.iter(f"{NS}Calendar"):
        assert _follows(_tag_order(calendar), calendar_order)
    links = list(written.iter(f"{NS}PredecessorLink"))
    assert len(links) == 5 and _tag_order(links[0]) == [
        "PredecessorUID",
        "Type",
        "CrossProject",
        "LinkLag",
        "LagFormat",
    ]
