"""Critical path method: early and late dates, total and free float, the critical chain.

Semantics follow Microsoft Project where it is documented or observable in its files:

* lags are working minutes on the **successor's** calendar; a positive lag ends as early as possible
  (Friday 17:00), a lead on a start as late as possible (Monday 08:00); a start snaps forward to
  working time, a finish back; a zero lag keeps the instant (an SF successor may finish at 08:00);
* every task starts no earlier than the project start (and, when there is a status date, work not yet
  started starts no earlier than it); the backward pass starts from the latest early finish, or from
  `finish_deadline` when given;
* SNET/FNET hold back the early dates, SNLT/FNLT cap the late ones; MSO/MFO pin the early date to the
  constraint date whatever the links say and cap the late date too, so a conflict shows as negative float;
  ALAP tasks are moved to their late dates (their float is used up) and their successors follow;
* progress: a finished task keeps its actual dates and constrains nothing backwards; a started task
  keeps its actual start and the remaining work resumes at the status date (or right after the work
  done, whichever is later);
* total float = min(LS − ES, LF − EF) in working minutes of the task's calendar (LF − EF for a started
  task); free float = the slack to the nearest successor's early date (or to the project's early finish),
  never negative and never above total float; critical = total float ≤ `critical_threshold`
  (finished tasks are never critical);
* summary tasks are rolled up from their children: earliest start, latest finish.

Everything runs on integer keys (see `calendar.py`), so the passes are integer arithmetic; a link
between tasks on different calendars converts through absolute time.
"""

from __future__ import annotations

from tandem.scheduling.engine.calendar import WorkingTime, absolute_minute
from tandem.scheduling.engine.model import ConstraintType, Project, ScheduleError, Task, TaskSchedule
from tandem.scheduling.engine.network import FF, FS, Network, Summary, compile_network

_NEG = -(1 << 62)
_POS = 1 << 62
_START_CONSTRAINTS = (ConstraintType.SNET, ConstraintType.SNLT, ConstraintType.MSO)


def _convert(key: int, source: WorkingTime, target: WorkingTime) -> int:
    return target.key_of_minute(source.minute_of_key(key))


class Scheduler:
    """A compiled network that can be rescheduled cheaply after duration changes (`set_duration` + `run`)."""

    def __init__(self, project: Project):
        self.project = project
        self.net: Network = compile_network(project)
        n = len(self.net.task_ids)
        self.es = [0] * n
        self.ef = [0] * n
        self.ls = [0] * n
        self.lf = [0] * n
        self._finished = [False] * n
        self._started = [False] * n
        self._rollup_nodes = {summary.finish_node for summary in self.net.summaries}

    def set_duration(self, task_id: str, minutes: int) -> None:
        """Change one leaf task's duration before the next `run()`; cheaper than compiling the project again."""
        if minutes < 0:
            raise ScheduleError(f"task {task_id!r} has a negative duration", code="invalid", detail=[task_id])
        node = self.net.node_of.get(task_id)
        if node is None:
            raise ScheduleError(f"no leaf task {task_id!r}", code="unknown_task", detail=[task_id])
        self.net.duration[node] = minutes

    # -- helpers ---------------------------------------------------------------------------------

    def _constraint_key(self, task: Task, cal: WorkingTime) -> int:
        if task.constraint_date is None:
            raise ScheduleError(
                f"task {task.id!r}: constraint {task.constraint.value} needs a constraint date",
                code="constraint",
                detail=[task.id],
            )
        return cal.key_of(task.constraint_date, 1 if task.constraint in _START_CONSTRAINTS else 0)

    def _status_count(self, cal: WorkingTime) -> int | None:
        status = self.project.status_date
        return None if status is None else cal.count_at(absolute_minute(status))

    # -- forward pass ----------------------------------------------------------------------------

    def _forward(self, alap_late: bool) -> None:
        net = self.net
        cals, cal_of, dur, preds, special = net.calendars, net.calendar, net.duration, net.preds, net.special
        es, ef, ls, lf = self.es, self.ef, self.ls, self.lf
        start0 = [cal.key_of(self.project.start, 1) for cal in cals]
        status = self.project.status_date
        if status is not None:
            start0 = [max(k, cal.key_of(status, 1)) for k, cal in zip(start0, cals, strict=True)]
        for j in net.order:
            c = cal_of[j]
            sb = start0[c]
            fb = _NEG
            for i, kind, lag in preds[j]:
                base = ef[i] if kind in (FS, FF) else es[i]
                if cal_of[i] != c:
                    base = _convert(base, cals[cal_of[i]], cals[c])
                if lag > 0:
                    base = ((base >> 1) + lag) << 1
                elif lag < 0:
                    base = (((base >> 1) + lag) << 1) | (kind < FF)
                if kind < FF:
                    if base > sb:
                        sb = base
                elif base > fb:
                    fb = base
            task = special[j]
            if task is not None:
                self._forward_special(j, task, cals[c], sb, fb)
                if alap_late and task.constraint is ConstraintType.ALAP and not self._started[j] and ls[j] > es[j]:
                    es[j], ef[j] = ls[j], lf[j]
                continue
            d = dur[j]
            if d:
                s = sb | 1
                t = (((fb >> 1) - d) << 1) | 1
                if t > s:
                    s = t
                f = ((s >> 1) + d) << 1
                es[j] = s
                ef[j] = fb if fb > f else f
            else:
                es[j] = ef[j] = sb if sb > fb else fb

    def _forward_special(self, j: int, task: Task, cal: WorkingTime, sb: int, fb: int) -> None:
        d = self.net.duration[j]
        es, ef = self.es, self.ef
        self._finished[j] = task.actual_finish is not None
        self._started[j] = task.actual_start is not None or task.actual_finish is not None
        if task.actual_finish is not None:
            f = cal.key_of(task.actual_finish, 0)
            s = cal.key_of(task.actual_start, 1) if task.actual_start is not None else (((f >> 1) - d) << 1) | 1
            es[j], ef[j] = min(s, f), f
            return
        if task.actual_start is not None:
            s = cal.key_of(task.actual_start, 1)
            done = round(d * min(max(task.percent_complete, 0.0), 100.0) / 100.0)
            resume = (s >> 1) + done
            status = self._status_count(cal)
            if status is not None and status > resume and done < d:
                resume = status
            f = (resume + d - done) << 1 if d else s
            es[j], ef[j] = s, max(f, fb)
            return
        constraint = task.constraint
        if constraint is ConstraintType.MSO:
            s = self._constraint_key(task, cal)
            es[j] = s | 1 if d else s
            ef[j] = ((s >> 1) + d) << 1 if d else s
            return
        if constraint is ConstraintType.MFO:
            f = self._constraint_key(task, cal)
            ef[j] = f
            es[j] = (((f >> 1) - d) << 1) | 1 if d else f
            return
        if constraint is ConstraintType.SNET:
            sb = max(sb, self._constraint_key(task, cal))
        elif constraint is ConstraintType.FNET:
            fb = max(fb, self._constraint_key(task, cal))
        if d:
            s = max(sb | 1, (((fb >> 1) - d) << 1) | 1)
            f = ((s >> 1) + d) << 1
            es[j], ef[j] = s, max(f, fb)
        else:
            es[j] = ef[j] = max(sb, fb)

    # -- backward pass ---------------------------------------------------------------------------

    def _finish_minute(self) -> int:
        """The absolute minute the backward pass starts from: the deadline, or the latest early finish."""
        if self.project.finish_deadline is not None:
            return absolute_minute(self.project.finish_deadline)
        return self._early_finish_minute()

    def _early_finish_minute(self) -> int:
        net = self.net
        cals, cal_of, ef = net.calendars, net.calendar, self.ef
        if not ef:
            return absolute_minute(self.project.start)
        best_key_per_cal: dict[int, int] = {}
        for j, key in enumerate(ef):
            c = cal_of[j]
            if key > best_key_per_cal.get(c, _NEG):
                best_key_per_cal[c] = key
        return max(cals[c].minute_of_key(key) for c, key in best_key_per_cal.items())

    def _anchor_keys(self, minute: int) -> list[int]:
        return [cal.key_of_minute(minute) for cal in self.net.calendars]

    def _backward(self) -> None:
        net = self.net
        cals, cal_of, dur, succs, special = net.calendars, net.calendar, net.duration, net.succs, net.special
        ls, lf, finished = self.ls, self.lf, self._finished
        anchor = self._anchor_keys(self._finish_minute())
        for i in reversed(net.order):
            c = cal_of[i]
            lfb = anchor[c]
            lsb = _POS
            for j, kind, lag in succs[i]:
                if finished[j]:
                    continue
                base = lf[j] if kind >= FF else ls[j]
                if lag:
                    base = (((base >> 1) - lag) << 1) | (kind & 1)  # lands on the natural side of the pred's end
                if cal_of[j] != c:
                    base = _convert(base, cals[cal_of[j]], cals[c])
                if kind in (FS, FF):
                    if base < lfb:
                        lfb = base
                elif base < lsb:
                    lsb = base
            task = special[i]
            if task is not None:
                self._backward_special(i, task, cals[c], lsb, lfb)
                continue
            d = dur[i]
            if d:
                f = lfb & ~1
                t = ((lsb >> 1) + d) << 1
                if t < f:
                    f = t
                lf[i] = f
                ls[i] = (((f >> 1) - d) << 1) | 1
            else:
                ls[i] = lf[i] = lsb if lsb < lfb else lfb

    def _backward_special(self, i: int, task: Task, cal: WorkingTime, lsb: int, lfb: int) -> None:
        d = self.net.duration[i]
        es, ef, ls, lf = self.es, self.ef, self.ls, self.lf
        if self._finished[i]:
            ls[i], lf[i] = es[i], ef[i]
            return
        if self._started[i]:
            f = lfb & ~1 if d else lfb
            lf[i] = f
            ls[i] = (((es[i] >> 1) + (f >> 1) - (ef[i] >> 1)) << 1) | 1
            return
        constraint = task.constraint
        if constraint in (ConstraintType.SNLT, ConstraintType.MSO):
            lsb = min(lsb, self._constraint_key(task, cal))
        elif constraint in (ConstraintType.FNLT, ConstraintType.MFO):
            lfb = min(lfb, self._constraint_key(task, cal))
        if d:
            f = min(lfb & ~1, ((lsb >> 1) + d) << 1)
            lf[i] = f
            ls[i] = (((f >> 1) - d) << 1) | 1
        else:
            ls[i] = lf[i] = min(lsb, lfb)

    # -- floats and results ----------------------------------------------------------------------

    def _floats(self, project_finish: list[int]) -> tuple[list[int], list[int]]:
        """Total and free float of every node, in working minutes (one pass, inlined: it runs per node)."""
        net = self.net
        cals, cal_of, succs, rollup = net.calendars, net.calendar, net.succs, self._rollup_nodes
        es, ef, ls, lf, finished, started = self.es, self.ef, self.ls, self.lf, self._finished, self._started
        totals = [0] * len(es)
        frees = [0] * len(es)
        for i in range(len(es)):
            if finished[i]:
                continue
            efc = ef[i] >> 1
            total = (lf[i] >> 1) - efc
            if not started[i]:
                start_float = (ls[i] >> 1) - (es[i] >> 1)
                if start_float < total:
                    total = start_float
            totals[i] = total
            c = cal_of[i]
            free = _POS
            for j, kind, lag in succs[i]:
                if j in rollup:
                    continue  # a summary's own finish node: structure, not a successor
                base = ef[i] if kind in (FS, FF) else es[i]
                if cal_of[j] != c:
                    base = _convert(base, cals[c], cals[cal_of[j]])
                slack = ((es[j] if kind < FF else ef[j]) >> 1) - (base >> 1) - lag
                if slack < free:
                    free = slack
            if free == _POS:
                free = (project_finish[c] >> 1) - efc
            if free > total:
                free = total
            frees[i] = free if free > 0 else 0
        return totals, frees

    def _total_float(self, i: int) -> int:
        if self._finished[i]:
            return 0
        finish_float = (self.lf[i] >> 1) - (self.ef[i] >> 1)
        if self._started[i]:
            return finish_float
        return min((self.ls[i] >> 1) - (self.es[i] >> 1), finish_float)

    def run(self) -> dict[str, TaskSchedule]:
        """Schedule the network; returns the schedule of every task, summaries included, by task id."""
        net = self.net
        self._finished = [False] * len(net.task_ids)
        self._started = [False] * len(net.task_ids)
        self._forward(alap_late=False)
        self._backward()
        if any(t is not None and t.constraint is ConstraintType.ALAP for t in net.special):
            self._forward(alap_late=True)
        cals = net.calendars
        finish_keys = self._anchor_keys(self._early_finish_minute())  # the project's early finish, per calendar
        threshold = self.project.critical_threshold
        result: dict[str, TaskSchedule] = {}
        es, ef, ls, lf, cal_of, finished = self.es, self.ef, self.ls, self.lf, net.calendar, self._finished
        totals, frees = self._floats(finish_keys)
        for task_id, i in net.node_of.items():
            cal = cals[cal_of[i]]
            memo, to_datetime = cal.datetimes, cal.datetime_of_key  # most keys repeat: read the memo first
            total = totals[i]
            early_start, early_finish, late_start, late_finish = es[i], ef[i], ls[i], lf[i]
            # Same working count, other side of a break (Friday 17:00 vs Monday 08:00): show the early instant.
            if late_start < early_start and late_start >> 1 == early_start >> 1:
                late_start = early_start
            if late_finish < early_finish and late_finish >> 1 == early_finish >> 1:
                late_finish = early_finish
            result[task_id] = TaskSchedule(
                early_start=memo.get(early_start) or to_datetime(early_start),
                early_finish=memo.get(early_finish) or to_datetime(early_finish),
                late_start=memo.get(late_start) or to_datetime(late_start),
                late_finish=memo.get(late_finish) or to_datetime(late_finish),
                total_float=total,
                free_float=frees[i],
                critical=total <= threshold and not finished[i],
            )
        done = {task_id: finished[i] for task_id, i in net.node_of.items()}
        for summary in net.summaries:
            done[summary.task_id] = all(done[child] for child in summary.children)
            result[summary.task_id] = self._roll_up(summary, result, frees, threshold, done[summary.task_id])
        return result

    def _roll_up(
        self, summary: Summary, result: dict[str, TaskSchedule], frees: list[int], threshold: int, done: bool
    ) -> TaskSchedule:
        cal = self.net.calendars[summary.calendar]
        rows = [result[child] for child in summary.children]
        start = min(row.early_start for row in rows)
        finish = max(row.early_finish for row in rows)
        late_start = min(row.late_start for row in rows)
        late_finish = max(row.late_finish for row in rows)
        total = min(cal.working_minutes(start, late_start), cal.working_minutes(finish, late_finish))
        free = max(0, min(frees[summary.finish_node], total))
        return TaskSchedule(
            early_start=start,
            early_finish=finish,
            late_start=late_start,
            late_finish=late_finish,
            total_float=total,
            free_float=free,
            critical=total <= threshold and not done,
        )

    # -- the critical chain ----------------------------------------------------------------------

    def longest_path(self) -> list[str]:
        """Leaf task ids of one driving chain, first to last, ending at the task that finishes the project.

        Walks back from the latest early finish through links whose bound equals the successor's early
        date; call after `run()`.
        """
        net = self.net
        if not net.node_of:
            return []
        cals, cal_of, es, ef = net.calendars, net.calendar, self.es, self.ef
        position = {n: p for p, n in enumerate(net.order)}
        node = max(
            net.node_of.values(),
            key=lambda n: (cals[cal_of[n]].minute_of_key(ef[n]), -self._total_float(n), position[n]),
        )
        chain: list[int] = []
        seen: set[int] = set()
        while node not in seen:
            seen.add(node)
            if net.task_ids[node] in net.node_of and net.node_of[net.task_ids[node]] == node:
                chain.append(node)
            driver = None
            for i, kind, lag in net.preds[node]:
                base = ef[i] if kind in (FS, FF) else es[i]
                if cal_of[i] != cal_of[node]:
                    base = _convert(base, cals[cal_of[i]], cals[cal_of[node]])
                target = es[node] if kind < FF else ef[node]
                if (base >> 1) + lag == target >> 1 and (driver is None or self._total_float(i) < driver[1]):
                    driver = (i, self._total_float(i))
            if driver is None:
                break
            node = driver[0]
        chain.reverse()
        return [net.task_ids[n] for n in chain]


def schedule(project: Project) -> dict[str, TaskSchedule]:
    """Early/late dates, floats and criticality of every task (summaries rolled up), keyed by task id."""
    return Scheduler(project).run()


def longest_path(project: Project) -> list[str]:
    """The critical chain: ids of the leaf tasks that drive the project finish, in order."""
    scheduler = Scheduler(project)
    scheduler.run()
    return scheduler.longest_path()


__all__ = ["Scheduler", "longest_path", "schedule"]
