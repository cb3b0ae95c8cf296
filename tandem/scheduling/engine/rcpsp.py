"""The integer core of resource leveling: the resource-constrained project scheduling problem in periods.

Every link is a minimum start-to-start distance `S[j] ≥ S[i] + lag` (FS, SS, FF and SF with their lags all
convert to one, durations being fixed), every activity has a release period (the earliest-start bounds) and
renewable resources have a capacity per period. `leveling.py` builds a `Problem` from a `Project`; this module
knows nothing of dates.

* `serial` / `serial_backward`: the serial schedule generation scheme, forwards (each activity of a
  precedence-feasible list at its earliest resource-feasible start) and backwards (as late as possible under a
  makespan), on a free-capacity array per resource (O(1) lookup of a period).
* `parallel`: the parallel scheme (time-incrementing; at each decision point the eligible activities in rule order).
* `justify`: forward–backward improvement (double justification): right-justify, then left-justify.
* `genetic`: Hartmann's activity-list GA (two-point crossover, adjacent-swap mutation, ranking selection) with
  the serial scheme as decoder and every schedule justified, within a budget of generated schedules.

Project priority dominates everywhere: among activities eligible at the same step, a higher priority goes
first whatever the rule or the list says, so a higher-priority project is placed before a lower one competes.
"""

from __future__ import annotations

import heapq
import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Problem:
    duration: list[int]
    preds: list[list[tuple[int, int]]]  # (predecessor, minimum start-to-start distance)
    succs: list[list[tuple[int, int]]]
    demand: list[list[tuple[int, int]]]  # (resource index, units) with units > 0
    capacity: list[list[int]]  # resource -> capacity of every period of the horizon
    release: list[int]
    priority: list[int]
    horizon: int
    rank: list[int] = field(default_factory=list)  # position in a topological order
    changes: list[int] = field(default_factory=list)  # periods where some capacity changes

    def __post_init__(self) -> None:
        n = len(self.duration)
        indegree = [len(p) for p in self.preds]
        ready = [j for j in range(n) if not indegree[j]]
        order: list[int] = []
        while ready:
            i = ready.pop()
            order.append(i)
            for j, _lag in self.succs[i]:
                indegree[j] -= 1
                if not indegree[j]:
                    ready.append(j)
        self.rank = [0] * n
        for position, j in enumerate(order):
            self.rank[j] = position
        self.changes = sorted(
            {t for row in self.capacity for t in range(1, len(row)) if row[t] != row[t - 1]} | {self.horizon}
        )
        self.uniform_priority = len(set(self.priority)) <= 1
        lags = [(i, j, lag) for j in range(n) for i, lag in self.preds[j]]
        # Sorting by start (forward) or by finish (backward) is a topological order when every distance is at
        # least 0, resp. at least the predecessor's duration minus the successor's (true of FS links, lag ≥ 0).
        self.forward_sortable = all(lag >= 0 for _i, _j, lag in lags)
        dur = self.duration
        self.backward_sortable = all(lag >= dur[i] - dur[j] for i, j, lag in lags)
        self.adjacent = {(i, j) for i, j, _lag in lags}

    @property
    def size(self) -> int:
        return len(self.duration)


def makespan(problem: Problem, starts: Sequence[int]) -> int:
    return max((s + d for s, d in zip(starts, problem.duration, strict=True)), default=0)


def earliest_starts(problem: Problem) -> list[int]:
    """Resource-free earliest starts (the CPM forward pass in periods)."""
    starts = list(problem.release)
    for j in sorted(range(problem.size), key=problem.rank.__getitem__):
        for i, lag in problem.preds[j]:
            if starts[i] + lag > starts[j]:
                starts[j] = starts[i] + lag
    return starts


def latest_starts(problem: Problem, finish: int) -> list[int]:
    """Resource-free latest starts under a makespan (the CPM backward pass)."""
    dur = problem.duration
    starts = [finish - d for d in dur]
    for i in sorted(range(problem.size), key=problem.rank.__getitem__, reverse=True):
        for j, lag in problem.succs[i]:
            if starts[j] - lag < starts[i]:
                starts[i] = starts[j] - lag
    return starts


def priority_order(problem: Problem, key: Sequence[float], *, backward: bool = False) -> list[int]:
    """A precedence-feasible list: repeatedly the eligible activity of highest priority, then smallest key."""
    before, after = (problem.succs, problem.preds) if backward else (problem.preds, problem.succs)
    waiting = [len(b) for b in before]
    prio = problem.priority
    heap = [(-prio[j], key[j], j) for j in range(problem.size) if not waiting[j]]
    heapq.heapify(heap)
    order: list[int] = []
    while heap:
        j = heapq.heappop(heap)[2]
        order.append(j)
        for k, _lag in after[j]:
            waiting[k] -= 1
            if not waiting[k]:
                heapq.heappush(heap, (-prio[k], key[k], k))
    return order


def _fresh(problem: Problem) -> list[list[int]]:
    return [row[:] for row in problem.capacity]


def serial(problem: Problem, order: Sequence[int]) -> list[int]:
    """Forward serial SGS: each activity of `order` (precedence-feasible) at its earliest feasible start."""
    dur, preds, demand, release = problem.duration, problem.preds, problem.demand, problem.release
    free = _fresh(problem)
    starts = [0] * len(dur)
    for j in order:
        t = release[j]
        for i, lag in preds[j]:
            if starts[i] + lag > t:
                t = starts[i] + lag
        d = dur[j]
        needs = demand[j]
        if d and needs:
            moved = True
            while moved:
                moved = False
                end = t + d
                for r, q in needs:
                    row = free[r]
                    if min(row[t:end]) < q:
                        k = end - 1
                        while row[k] >= q:
                            k -= 1
                        t = k + 1
                        moved = True
                        break
            end = t + d
            for r, q in needs:
                row = free[r]
                row[t:end] = [x - q for x in row[t:end]]
        starts[j] = t
    return starts


def serial_backward(problem: Problem, order: Sequence[int], finish: int, lower: Sequence[int]) -> list[int] | None:
    """Backward serial SGS: each activity as late as possible with every activity done by `finish`.

    `order` lists successors before predecessors; no activity goes below `lower` (its start in the schedule
    being justified, which is never before its release). None when an activity finds no place there.
    """
    dur, succs, demand = problem.duration, problem.succs, problem.demand
    free = _fresh(problem)
    starts = [0] * len(dur)
    for i in order:
        d = dur[i]
        t = finish - d
        for j, lag in succs[i]:
            if starts[j] - lag < t:
                t = starts[j] - lag
        low = lower[i]
        needs = demand[i]
        if d and needs:
            moved = True
            while moved and t >= low:
                moved = False
                end = t + d
                for r, q in needs:
                    row = free[r]
                    if min(row[t:end]) < q:
                        k = t
                        while row[k] >= q:
                            k += 1
                        t = k - d
                        moved = True
                        break
            if t < low:
                return None
            end = t + d
            for r, q in needs:
                row = free[r]
                row[t:end] = [x - q for x in row[t:end]]
        elif t < low:
            return None
        starts[i] = t
    return starts


def parallel(problem: Problem, key: Sequence[float]) -> list[int]:
    """Parallel SGS: at each decision time the eligible activities that fit, by priority then `key`."""
    n = problem.size
    dur, preds, succs, demand, prio = problem.duration, problem.preds, problem.succs, problem.demand, problem.priority
    free = _fresh(problem)
    starts = [0] * n
    waiting = [len(p) for p in preds]
    earliest = list(problem.release)
    eligible = {j for j in range(n) if not waiting[j]}
    finishes: list[int] = []
    t = done = 0
    while done < n:
        placed = True
        while placed:  # placing one can make a successor at distance 0 eligible at the same decision time
            placed = False
            for j in sorted((j for j in eligible if earliest[j] <= t), key=lambda j: (-prio[j], key[j], j)):
                d = dur[j]
                end = t + d
                if d and any(min(free[r][t:end]) < q for r, q in demand[j]):
                    continue
                for r, q in demand[j] if d else ():
                    row = free[r]
                    row[t:end] = [x - q for x in row[t:end]]
                starts[j] = t
                eligible.discard(j)
                done += 1
                placed = True
                heapq.heappush(finishes, end)
                for k, lag in succs[j]:
                    earliest[k] = max(earliest[k], t + lag)
                    waiting[k] -= 1
                    if not waiting[k]:
                        eligible.add(k)
        while finishes and finishes[0] <= t:
            heapq.heappop(finishes)
        events = [earliest[j] for j in eligible if earliest[j] > t]
        if finishes:
            events.append(finishes[0])
        next_change = bisect_right(problem.changes, t)
        if next_change < len(problem.changes):
            events.append(problem.changes[next_change])
        t = min(events, default=t + 1)
    return starts


def justify(problem: Problem, starts: list[int]) -> tuple[list[int], list[int], int]:
    """Forward–backward improvement: (new starts, the activity list that produced them, schedules generated).

    Right-justifies under the current makespan (successors first, latest finish first), then left-justifies
    (earliest right-justified start first). The result is never worse than `starts`: when a pass does not
    help, the input comes back.
    """
    finish = makespan(problem, starts)
    dur, rank = problem.duration, problem.rank
    if problem.backward_sortable and problem.uniform_priority:
        back_order = sorted(range(problem.size), key=lambda j: (-(starts[j] + dur[j]), -rank[j]))
    else:
        back_order = priority_order(problem, [-(s + d) for s, d in zip(starts, dur, strict=True)], backward=True)
    late = serial_backward(problem, back_order, finish, starts)
    if late is None:
        return starts, _list_of(problem, starts), 1
    if problem.forward_sortable and problem.uniform_priority:
        order = sorted(range(problem.size), key=lambda j: (late[j], rank[j]))
    else:
        order = priority_order(problem, late)
    early = serial(problem, order)
    if makespan(problem, early) <= finish:
        return early, order, 2
    return starts, _list_of(problem, starts), 2


def _list_of(problem: Problem, starts: Sequence[int]) -> list[int]:
    if problem.forward_sortable and problem.uniform_priority:
        return sorted(range(problem.size), key=lambda j: (starts[j], problem.rank[j]))
    return priority_order(problem, starts)


def _sampled_list(problem: Problem, lft: Sequence[int], rng: random.Random) -> list[int]:
    """Regret-based biased random sampling on the latest finish times (Hartmann's initial population)."""
    waiting = [len(p) for p in problem.preds]
    prio = problem.priority
    eligible = [j for j in range(problem.size) if not waiting[j]]
    order: list[int] = []
    while eligible:
        top = max(prio[j] for j in eligible)
        pool = [j for j in eligible if prio[j] == top]
        worst = max(lft[j] for j in pool)
        weights = [worst - lft[j] + 1 for j in pool]
        j = rng.choices(pool, weights)[0]
        eligible.remove(j)
        order.append(j)
        for k, _lag in problem.succs[j]:
            waiting[k] -= 1
            if not waiting[k]:
                eligible.append(k)
    return order


def _crossover(mother: list[int], father: list[int], rng: random.Random) -> list[int]:
    """Two-point crossover: mother's head and tail, the middle in father's order (keeps precedence)."""
    n = len(mother)
    a, b = sorted((rng.randrange(n + 1), rng.randrange(n + 1)))
    head, tail = mother[:a], mother[b:]
    taken = set(head)
    taken.update(tail)
    return head + [j for j in father if j not in taken] + tail


def _mutate(problem: Problem, order: list[int], rng: random.Random, rate: float) -> None:
    adjacent = problem.adjacent
    for p in range(len(order) - 1):
        if rng.random() < rate and (order[p], order[p + 1]) not in adjacent:
            order[p], order[p + 1] = order[p + 1], order[p]


@dataclass
class Search:
    starts: list[int]
    generated: int


def genetic(
    problem: Problem,
    first: list[int],
    *,
    budget: int,
    seed: int,
    bound: int,
    population: int | None = None,
    mutation: float = 0.05,
) -> Search:
    """Hartmann's GA on activity lists with every decoded schedule justified; `first` seeds the population.

    The population grows with the budget (one per 40 schedules, from 20 to 40): a small budget buys more
    generations of a smaller pool, which on PSPLIB j60 at 1,000 schedules lands 0.3 points closer to the bound
    than a pool of 40, while at 5,000 the pool of 40 is the better one.

    Stops when `budget` schedules have been generated (every decode and every justification pass counts)
    or a schedule reaches `bound` (a lower bound on the makespan: nothing can beat it).
    """
    if population is None:
        population = min(40, max(20, budget // 40))
    rng = random.Random(seed)
    lft = [s + d for s, d in zip(latest_starts(problem, problem.horizon), problem.duration, strict=True)]
    generated = 0
    best: tuple[int, list[int]] | None = None
    pool: list[tuple[int, int, list[int]]] = []  # (makespan, birth, activity list)
    seen: set[tuple[int, ...]] = set()  # schedules in the pool once: copies would crowd out diversity

    def evaluate(order: list[int]) -> bool:
        nonlocal generated, best
        if not problem.uniform_priority:
            position = [0] * problem.size
            for p, j in enumerate(order):
                position[j] = p
            order = priority_order(problem, position)
        starts = serial(problem, order)
        generated += 1
        if generated + 2 <= budget:  # a justification is two passes: both must fit in the budget
            starts, order, cost = justify(problem, starts)
            generated += cost
        length = makespan(problem, starts)
        signature = tuple(starts)
        if signature not in seen:
            seen.add(signature)
            pool.append((length, generated, order))
        if best is None or length < best[0]:
            best = (length, starts)
        return length <= bound or generated + 1 > budget

    stop = evaluate(first)
    while not stop and len(pool) < population:
        stop = evaluate(_sampled_list(problem, lft, rng))
    while not stop:
        pool.sort(key=lambda entry: (entry[0], entry[1]))
        del pool[population:]
        parents = [entry[2] for entry in pool]
        rng.shuffle(parents)
        for mother, father in zip(parents[0::2], parents[1::2], strict=False):
            for a, b in ((mother, father), (father, mother)):
                child = _crossover(a, b, rng)
                _mutate(problem, child, rng, mutation)
                stop = evaluate(child)
                if stop:
                    break
            if stop:
                break
    assert best is not None
    return Search(best[1], generated)
