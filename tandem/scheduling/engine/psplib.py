"""A reader for PSPLIB single-mode instances (`.sm`) and their solution lists, shared by the tests and the bench.

Pure text parsing, and `leveling_input` to state an instance in the engine's terms; no scheduling here.
Jobs keep their PSPLIB numbers as strings ("1" is the supersource, the last one the supersink).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tandem.scheduling.engine.calendar import always_on_calendar
from tandem.scheduling.engine.leveling import Demand, Resource
from tandem.scheduling.engine.model import Link, Project, Task

DAY = 1440  # one PSPLIB period is one day of an always-on calendar, so no calendar can hide an error
START = datetime(2024, 1, 1)


@dataclass(frozen=True)
class Instance:
    name: str  # file stem, e.g. "j3010_1"
    parameter: int  # the parameter set (the "10" of j3010_1)
    number: int  # the instance within the set (the "1")
    mpm_time: int  # the critical-path length the file states
    durations: dict[str, int]  # job -> periods
    links: list[tuple[str, str]]  # (predecessor, successor), finish-to-start without lag
    requests: dict[str, tuple[int, ...]]  # job -> units of each renewable resource
    capacities: tuple[int, ...]  # renewable resource availabilities


def _section(text: str, title: str) -> list[str]:
    return text.split(title)[1].split("*****")[0].strip().splitlines()


def read(path: Path) -> Instance:
    text = path.read_text()
    info = text.split("PROJECT INFORMATION:")[1].splitlines()
    mpm_time = int(info[2].split()[5])  # pronr. #jobs rel.date duedate tardcost MPM-Time
    links = []
    for line in _section(text, "PRECEDENCE RELATIONS:")[1:]:
        job, _modes, count, *successors = line.split()
        if len(successors) != int(count):
            raise ValueError(f"{path.name}: job {job} lists {len(successors)} successors, says {count}")
        links.extend((job, successor) for successor in successors)
    durations: dict[str, int] = {}
    requests: dict[str, tuple[int, ...]] = {}
    for line in _section(text, "REQUESTS/DURATIONS:")[2:]:
        job, _mode, duration, *units = line.split()
        durations[job] = int(duration)
        requests[job] = tuple(int(u) for u in units)
    capacities = tuple(int(c) for c in _section(text, "RESOURCEAVAILABILITIES:")[1].split())
    stem = path.stem
    digits = stem[3:]  # "j3010_1" -> "10_1"
    parameter, number = digits.split("_")
    return Instance(stem, int(parameter), int(number), mpm_time, durations, links, requests, capacities)


def read_makespans(path: Path) -> dict[tuple[int, int], int]:
    """(parameter, instance) -> makespan from a solution list (j30opt.sm, j30hrs.sm, j60hrs.sm, …).

    Rows are `parameter instance makespan …` after the header; anything else is skipped.
    """
    result: dict[tuple[int, int], int] = {}
    for line in path.read_text().splitlines():
        fields = line.split()
        if len(fields) >= 3 and all(f.isdigit() for f in fields[:3]):
            result[int(fields[0]), int(fields[1])] = int(fields[2])
    return result


def leveling_input(instance: Instance) -> tuple[Project, list[Resource], list[Demand]]:
    """The instance as a project on an always-on calendar (a period = a day), its resources and demands."""
    project = Project(
        start=START,
        tasks=[Task(job, days * DAY) for job, days in instance.durations.items()],
        links=[Link(pred, succ) for pred, succ in instance.links],
        calendars={"24x7": always_on_calendar()},
        default_calendar="24x7",
    )
    resources = [Resource(f"R{r + 1}", capacity) for r, capacity in enumerate(instance.capacities)]
    demands = [
        Demand(job, f"R{r + 1}", units)
        for job, requests in instance.requests.items()
        for r, units in enumerate(requests)
        if units
    ]
    return project, resources, demands
