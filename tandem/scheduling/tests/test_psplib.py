"""CPM length of all 960 PSPLIB j30/j60 networks equals the MPM-Time each file states.

One period is one day of a 24-hour calendar (1440 working minutes), so calendars cannot hide an error.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tandem.scheduling.engine.calendar import always_on_calendar
from tandem.scheduling.engine.cpm import schedule
from tandem.scheduling.engine.model import Link, Project, Task
from tandem.scheduling.tests.conftest import SHARED_DATA

PSPLIB = SHARED_DATA / "psplib"
SETS = ("j30", "j60")
CALENDAR = always_on_calendar()
START = datetime(2024, 1, 1)


def instances() -> list[Path]:
    return sorted(path for name in SETS for path in (PSPLIB / name).glob("*.sm")) if PSPLIB.exists() else []


def parse(path: Path) -> tuple[int, dict[str, int], list[tuple[str, str]]]:
    """(MPM-Time, duration of each job, precedence pairs) from a single-mode .sm file."""
    text = path.read_text()
    info = text.split("PROJECT INFORMATION:")[1].splitlines()
    mpm_time = int(info[2].split()[5])  # pronr. #jobs rel.date duedate tardcost MPM-Time
    relations = text.split("PRECEDENCE RELATIONS:")[1].split("*****")[0].strip().splitlines()[1:]
    links = []
    for line in relations:
        job, _modes, count, *successors = line.split()
        assert len(successors) == int(count), line
        links.extend((job, successor) for successor in successors)
    requests = text.split("REQUESTS/DURATIONS:")[1].split("*****")[0].strip().splitlines()[2:]
    durations = {fields[0]: int(fields[2]) for fields in (line.split() for line in requests)}
    return mpm_time, durations, links


def project_of(durations: dict[str, int], links: list[tuple[str, str]]) -> Project:
    return Project(
        start=START,
        tasks=[Task(job, days * 1440) for job, days in durations.items()],
        links=[Link(pred, succ) for pred, succ in links],
        calendars={"24x7": CALENDAR},
        default_calendar="24x7",
    )


def test_psplib_data_is_present():
    if not PSPLIB.exists():
        pytest.skip(f"PSPLIB not found at {PSPLIB} (expected ../shared/data/psplib beside the project root)")
    assert len(instances()) == 960


@pytest.mark.parametrize("path", instances(), ids=lambda path: path.stem)
def test_cpm_length_equals_mpm_time(path: Path):
    mpm_time, durations, links = parse(path)
    rows = schedule(project_of(durations, links))
    length = max(row.early_finish for row in rows.values()) - START
    assert length == timedelta(days=mpm_time)
    assert all(row.total_float >= 0 for row in rows.values())
    assert rows["1"].critical and rows[str(len(durations))].critical  # supersource and supersink
