"""Import each MS Project file, schedule it, and compare with the dates and slack MS Project computed.

`expected/NAME.expected.json` lists per task what Project saved: early/late start and finish, TotalSlack
and FreeSlack (tenths of a minute) and Critical. Every field of every task is one comparison. Blank rows
(IsNull) are not tasks: the engine does not schedule them, while Project stores placeholder dates for
them; those comparisons are marked xfail(strict=True) so a change in either direction is noticed.
"""

from __future__ import annotations

import json

import pytest

from tandem.scheduling.engine import mspdi
from tandem.scheduling.engine.cpm import longest_path, schedule
from tandem.scheduling.tests.conftest import SHARED_DATA, shared_data

MSPDI = SHARED_DATA / "mspdi"
FIELDS = ("EarlyStart", "EarlyFinish", "LateStart", "LateFinish", "TotalSlack", "FreeSlack", "Critical")
_schedules: dict[str, dict] = {}  # file name -> schedule, computed once per file


def _cases() -> list:
    if not MSPDI.exists():
        return []
    cases = []
    for path in sorted(MSPDI.glob("*.xml")):
        expected = json.loads((MSPDI / "expected" / f"{path.stem}.expected.json").read_text())
        document = mspdi.read(path)
        blank = {str(task.uid) for task in document.tasks if task.is_null}
        for task in expected["tasks"]:
            for field in FIELDS:
                marks = []
                if task["UID"] in blank:
                    marks = [
                        pytest.mark.xfail(
                            strict=True,
                            reason="blank row (IsNull): not a task, so not scheduled; Project saves placeholder dates",
                        )
                    ]
                cases.append(pytest.param(path.name, task["UID"], field, task[field], marks=marks))
    return cases


def _rows(file_name: str) -> dict:
    if file_name not in _schedules:
        document = mspdi.read(MSPDI / file_name)
        _schedules[file_name] = schedule(document.to_project(include_project_summary=True))
    return _schedules[file_name]


def _value(row, field: str) -> str:
    if field in ("TotalSlack", "FreeSlack"):
        return str((row.total_float if field == "TotalSlack" else row.free_float) * 10)
    if field == "Critical":
        return "1" if row.critical else "0"
    attribute = {"EarlyStart": "early_start", "EarlyFinish": "early_finish", "LateStart": "late_start"}
    return getattr(row, attribute.get(field, "late_finish")).isoformat()


def test_mspdi_data_is_present():
    if not MSPDI.exists():
        pytest.skip(f"MS Project files not found at {MSPDI} (expected ../shared/data/mspdi beside the project root)")
    assert len(list(MSPDI.glob("*.xml"))) == 7


@pytest.mark.parametrize(("file_name", "uid", "field", "expected"), _cases())
def test_matches_microsoft_project(file_name: str, uid: str, field: str, expected: str):
    rows = _rows(file_name)
    assert uid in rows, f"task UID {uid} was not scheduled"
    assert _value(rows[uid], field) == expected


def test_the_critical_path_of_the_task_links_file():
    document = mspdi.read(shared_data("mspdi", "task-links-project2013-mspdi.xml"))
    assert longest_path(document.to_project()) == ["9", "10"]


def test_every_file_has_its_expected_values():
    folder = shared_data("mspdi")
    expected = {path.name.removesuffix(".expected.json") for path in (folder / "expected").glob("*.json")}
    assert expected == {path.stem for path in folder.glob("*.xml")}
