"""Scheduling engine benchmark: CPM on random layered networks with a Chinese holiday calendar.

Builds networks of 1k, 10k and 100k tasks with about 1.5 links per task (mostly FS, some SS/FF/SF, some
lags and leads), schedules each in full, and reports the time, the peak memory the schedule allocated
(tracemalloc, measured in a separate run because tracing slows Python down) and the time to reschedule
the 10k network after one duration change, both with a fresh `schedule()` and with a compiled
`Scheduler`. Needs no database. Prints a table; asserts nothing.

    .venv/bin/python bench/engine.py [--sizes 1000,10000,100000] [--repeat 3] [--seed 7]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tandem.scheduling.engine.calendar import calendar_from_workdays  # noqa: E402
from tandem.scheduling.engine.cpm import Scheduler, schedule  # noqa: E402
from tandem.scheduling.engine.model import Link, LinkType, Project, Task  # noqa: E402

TARGETS = {10_000: 0.3, 100_000: 4.0}  # seconds, from shared/PERFORMANCE.md


def chinese_style_workdays(first_year: int, last_year: int) -> dict[date, bool]:
    """Holiday weeks and 调休 make-up weekend days shaped like the State Council's yearly notice (the real
    table comes from `chinesecalendar`; the benchmark only needs the same density of exceptions)."""
    days: dict[date, bool] = {}
    for year in range(first_year, last_year + 1):
        days[date(year, 1, 1)] = False
        spring = date(year, 2, 10) + timedelta(days=(year * 11) % 19 - 9)  # moves like the lunar new year
        for offset in range(8):
            days[spring + timedelta(days=offset)] = False
        days[spring - timedelta(days=2)] = True
        days[spring + timedelta(days=9)] = True
        for start, length in ((date(year, 4, 4), 3), (date(year, 5, 1), 5), (date(year, 6, 10), 3)):
            for offset in range(length):
                days[start + timedelta(days=offset)] = False
        days[date(year, 4, 27)] = True
        for offset in range(7):
            days[date(year, 10, 1) + timedelta(days=offset)] = False
        days[date(year, 9, 28)] = True
        days[date(year, 10, 11)] = True
    return days


def network(size: int, seed: int = 7) -> Project:
    """A layered DAG: layers of ~100 tasks, each task linked from ~1.5 tasks in the three layers before it."""
    rng = random.Random(seed)
    width = 100
    tasks = [Task(f"t{i}", duration=rng.choice((0, 240, 480, 960, 1440, 2400, 4800))) for i in range(size)]
    links: list[Link] = []
    kinds = [LinkType.FS] * 16 + [LinkType.SS] * 2 + [LinkType.FF] * 1 + [LinkType.SF] * 1
    target_links = int(size * 1.5)
    later = list(range(width, size))
    for _ in range(target_links):
        succ = rng.choice(later) if later else rng.randrange(1, size)
        layer = succ // width
        pred_layer = max(0, layer - rng.randint(1, 3))
        pred = pred_layer * width + rng.randrange(width)
        if pred >= succ:
            continue
        lag = 0 if rng.random() < 0.8 else rng.choice((-480, -240, 240, 480, 960, 2400))
        links.append(Link(f"t{pred}", f"t{succ}", rng.choice(kinds), lag))
    calendar = calendar_from_workdays(chinese_style_workdays(2024, 2100), id="cn")
    return Project(
        start=datetime(2025, 1, 6, 9), tasks=tasks, links=links, calendars={"cn": calendar}, default_calendar="cn"
    )


def best_of(repeat: int, call) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def peak_memory(call) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run(sizes: list[int], repeat: int, seed: int) -> list[tuple[str, int, int, float, float | None, str]]:
    rows = []
    for size in sizes:
        project = network(size, seed)
        schedule(project)  # compile the calendar tables once, as a long-running process would have
        seconds = best_of(repeat if size <= 10_000 else max(1, repeat - 1), lambda p=project: schedule(p))
        peak = peak_memory(lambda p=project: schedule(p))
        target = TARGETS.get(size)
        rows.append(("full schedule", size, len(project.links), seconds, peak / 1e6, _verdict(seconds, target)))
        if size == 10_000:
            victim = project.tasks[size // 2]

            def change_and_schedule(p: Project = project, task: Task = victim) -> None:
                task.duration += 480
                schedule(p)

            seconds = best_of(repeat, change_and_schedule)
            rows.append(("reschedule, 1 duration change", size, len(project.links), seconds, None, ""))
            compiled = Scheduler(project)
            compiled.run()

            def change_and_rerun(s: Scheduler = compiled, task: Task = victim) -> None:
                task.duration += 480
                s.set_duration(task.id, task.duration)
                s.run()

            seconds = best_of(repeat, change_and_rerun)
            rows.append(("  … with a compiled Scheduler", size, len(project.links), seconds, None, ""))
    return rows


def _verdict(seconds: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"{'meets' if seconds < target else 'MISSES'} < {target:g} s"


def table(rows: list[tuple[str, int, int, float, float | None, str]]) -> str:
    lines = [f"{'engine operation':32} {'tasks':>8} {'links':>8} {'seconds':>9} {'peak MB':>8}  target", "-" * 80]
    for operation, tasks, links, seconds, peak, verdict in rows:
        peak_text = f"{peak:8.1f}" if peak is not None else " " * 8
        lines.append(f"{operation:32} {tasks:8d} {links:8d} {seconds:9.3f} {peak_text}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated network sizes")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per size (the best is reported)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(f"bench: CPM engine, sizes {sizes}, best of {args.repeat}, seed {args.seed}\n", flush=True)
    print(table(run(sizes, args.repeat, args.seed)))
    print(
        "\nnetwork:    layered DAG (100 tasks a layer), ~1.5 links a task (80 % FS, 10 % SS, 5 % FF, 5 % SF; "
        "20 % with a lag or lead),\n            one calendar: 08–12/13–17 Mon–Fri with Chinese-style holidays "
        "and make-up workdays 2024–2100"
    )
    print(f"python:     {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
