"""Resource leveling on PSPLIB: every j30 and j60 instance through the product's engine (`leveling.level`).

Each instance becomes a `Project` on an always-on calendar (a period = a day), its resources and demands
(`tandem.scheduling.engine.psplib.leveling_input`), and is leveled with the default method (serial SGS with
LFT, then the activity-list GA with every schedule justified) at each budget of generated schedules, seed 0.
Reports, per set and budget: the mean % above the reference (j30: the proven optimum, `j30opt.sm`; j60: the
critical-path bound, the MPM-Time of each file), the % of instances at the optimum (j30) or at the best known
makespan (j60: `j60hrs.sm`), and the CPU seconds per instance (mean and max, `time.process_time`). A schedule
is only counted after the independent checker (`feasibility.check`) finds it feasible; asserts nothing else.

    .venv/bin/python bench/leveling.py [--budgets 1000,5000] [--sets j30,j60] [--sample N] [--seed 0]

`--sample N` levels N instances per set spread over the 48 parameter sets (instance numbers in turn) instead
of all 480; the default runs every instance (about 10 CPU minutes at both budgets; longer on a loaded machine).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from children import cpu_model  # noqa: E402

from tandem.scheduling.engine import psplib  # noqa: E402
from tandem.scheduling.engine.feasibility import check  # noqa: E402
from tandem.scheduling.engine.leveling import level  # noqa: E402

PSPLIB = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "psplib"
GOALS = {("j30", 1000): (0.5, 1.0), ("j60", 1000): (12.0, 3.0)}  # (mean %, CPU s per instance)


def instances(name: str, sample: int | None) -> list[Path]:
    folder = PSPLIB / name
    if sample is None:
        return sorted(folder.glob("*.sm"), key=lambda p: tuple(int(x) for x in p.stem[3:].split("_")))
    return [folder / f"{name}{1 + (k * 48) // sample}_{1 + k % 10}.sm" for k in range(sample)]


def run_set(name: str, budget: int, sample: int | None, seed: int) -> dict:
    if name == "j30":
        reference = best = psplib.read_makespans(PSPLIB / "solutions" / "j30opt.sm")
    else:
        reference, best = None, psplib.read_makespans(PSPLIB / "solutions" / "j60hrs.sm")
    deviations, at_best, seconds, infeasible, generated = [], 0, [], 0, []
    for path in instances(name, sample):
        instance = psplib.read(path)
        project, resources, demands = psplib.leveling_input(instance)
        started = time.process_time()
        result = level(project, resources, demands, budget=budget, seed=seed)
        seconds.append(time.process_time() - started)
        if check(project, resources, demands, result.start, result.finish):
            infeasible += 1
            continue
        length = result.makespan // psplib.DAY
        key = (instance.parameter, instance.number)
        ref = reference[key] if reference is not None else instance.mpm_time
        deviations.append((length - ref) / ref * 100)
        at_best += length <= best[key]
        generated.append(result.schedules)
    count = len(seconds)
    return {
        "set": name,
        "budget": budget,
        "instances": count,
        "mean": sum(deviations) / max(1, len(deviations)),
        "at_best": at_best / count * 100,
        "cpu": sum(seconds) / count,
        "cpu_max": max(seconds),
        "schedules": sum(generated) / max(1, len(generated)),
        "infeasible": infeasible,
    }


def table(rows: list[dict]) -> str:
    head = (
        f"{'set':4} {'ref':9} {'instances':>9} {'budget':>7} {'mean %':>7} {'% at opt/best':>13} "
        f"{'CPU s/inst':>10} {'max s':>6} {'schedules':>9} {'infeasible':>10}  goal"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        goal = GOALS.get((row["set"], row["budget"]))
        verdict = ""
        if goal is not None:
            met = row["mean"] <= goal[0] and row["cpu"] <= goal[1]
            verdict = f"{'meets' if met else 'MISSES'} ≤ {goal[0]:g} %, ≤ {goal[1]:g} s"
        lines.append(
            f"{row['set']:4} {'optimum' if row['set'] == 'j30' else 'CPM bound':9} {row['instances']:9d} "
            f"{row['budget']:7d} {row['mean']:7.2f} {row['at_best']:13.1f} {row['cpu']:10.3f} {row['cpu_max']:6.2f} "
            f"{row['schedules']:9.0f} {row['infeasible']:10d}  {verdict}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budgets", default="1000,5000", help="comma-separated budgets of generated schedules")
    parser.add_argument("--sets", default="j30,j60")
    parser.add_argument("--sample", type=int, default=None, help="instances per set (default: all 480)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not PSPLIB.exists():
        print(f"bench: PSPLIB not found at {PSPLIB}; leveling benchmark skipped")
        return 0
    budgets = [int(b) for b in args.budgets.split(",") if b]
    sets = [s for s in args.sets.split(",") if s]
    what = "every instance" if args.sample is None else f"a sample of {args.sample} instances per set"
    print(f"bench: resource leveling on PSPLIB {', '.join(sets)}, {what}, budgets {budgets}, seed {args.seed}\n")
    wall = time.monotonic()
    load = os.getloadavg()[0]
    rows = []
    for name in sets:
        for budget in budgets:
            rows.append(run_set(name, budget, args.sample, args.seed))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    print()
    print(table(rows))
    print(
        "\nmethod:     serial SGS with LFT, then Hartmann's activity-list GA (population 20–40 by budget, "
        "two-point crossover, adjacent-swap mutation 5 %),\n            every schedule double-justified; "
        "the budget counts every SGS pass; a run stops early at the critical-path bound"
    )
    print(f"machine:    {os.cpu_count()} CPUs, {cpu_model()}, {platform.system()} {platform.release()}")
    print(f"python:     {platform.python_version()}")
    print(f"load:       1-minute average {load:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"wall time:  {time.monotonic() - wall:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
