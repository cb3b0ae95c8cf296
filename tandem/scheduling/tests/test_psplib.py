"""CPM length of all 960 PSPLIB j30/j60 networks equals the MPM-Time each file states.

One period is one day of a 24-hour calendar (1440 working minutes), so calendars cannot hide an error.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tandem.scheduling.engine import psplib
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
    instance = psplib.read(path)
    mpm_time, durations, links = instance.mpm_time, instance.durations, instance.links
    rows = schedule(project_of(durations, links))
    length = max(row.early_finish for row in rows.values()) - START
    assert length == timedelta(days=mpm_time)
    assert all(row.total_float >= 0 for row in rows.values())
    assert rows["1"].critical and rows[str(len(durations))].critical  # supersource and supersink
