"""Compiles a `Project` into the integer-indexed network that the CPM passes walk.

Leaf tasks become one node each. A summary task becomes milestone nodes that stand for its start and
its finish: links into a summary hold back its start node, which holds back every child (SS 0); every
child holds back the finish node (FF 0), and links out of a summary leave from the node of the end
they name. Finish-type links (FF, SF) into a summary hold back every child's finish through a third,
lazily made node. So a network with summaries stays linear in size, and the passes need no special case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tandem.scheduling.engine.calendar import WorkingTime, working_time
from tandem.scheduling.engine.model import ConstraintType, LinkType, Project, ScheduleError, Task

FS, SS, FF, SF = (
    0,
    1,
    2,
    3,
)  # link kinds: bit 1 set = binds the successor's finish; even = from the predecessor's finish
KIND = {LinkType.FS: FS, LinkType.SS: SS, LinkType.FF: FF, LinkType.SF: SF}

Edge = tuple[int, int, int]  # (other node, kind, lag in working minutes)


@dataclass
class Summary:
    """A summary task: its start and finish nodes and its direct children (task ids), for the roll-up."""

    task_id: str
    calendar: int
    start_node: int
    finish_node: int
    children: list[str]


@dataclass
class Network:
    task_ids: list[str] = field(default_factory=list)  # node -> id of the task it belongs to
    duration: list[int] = field(default_factory=list)
    calendar: list[int] = field(default_factory=list)  # node -> index into `calendars`
    special: list[Task | None] = field(default_factory=list)  # node -> task with a constraint or progress
    preds: list[list[Edge]] = field(default_factory=list)
    succs: list[list[Edge]] = field(default_factory=list)
    calendars: list[WorkingTime] = field(default_factory=list)
    node_of: dict[str, int] = field(default_factory=dict)  # leaf task id -> node
    summaries: list[Summary] = field(default_factory=list)  # children before parents
    order: list[int] = field(default_factory=list)  # a topological order of the nodes

    def add_node(self, task_id: str, duration: int, calendar: int, special: Task | None = None) -> int:
        self.task_ids.append(task_id)
        self.duration.append(duration)
        self.calendar.append(calendar)
        self.special.append(special)
        self.preds.append([])
        self.succs.append([])
        return len(self.task_ids) - 1

    def add_edge(self, pred: int, succ: int, kind: int, lag: int) -> None:
        self.preds[succ].append((pred, kind, lag))
        self.succs[pred].append((succ, kind, lag))


def _is_special(task: Task) -> bool:
    return task.constraint is not ConstraintType.ASAP or task.actual_start is not None or task.actual_finish is not None


def _hierarchy(tasks: dict[str, Task]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Children of every parent, and the depth of every parent; unknown parents and parent loops raise."""
    children: dict[str, list[str]] = {}
    for task in tasks.values():
        if task.parent is not None:
            if task.parent not in tasks:
                raise ScheduleError(
                    f"task {task.id!r} has unknown parent {task.parent!r}", code="unknown_task", detail=[task.parent]
                )
            children.setdefault(task.parent, []).append(task.id)
    depth: dict[str, int] = {}
    for task_id in children:  # a loop of parents runs through parents only
        chain: list[str] = []
        current: str | None = task_id
        while current is not None and current not in depth:
            if current in chain:
                loop = chain[chain.index(current) :]
                raise ScheduleError(
                    f"summary tasks contain each other: {' → '.join([*loop, current])}", code="cycle", detail=loop
                )
            chain.append(current)
            current = tasks[current].parent
        base = -1 if current is None else depth[current]
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset
    return children, depth


def compile_network(project: Project) -> Network:
    """Index the project's tasks, calendars and links, and order the nodes; a cycle raises ScheduleError."""
    tasks: dict[str, Task] = {}
    for task in project.tasks:
        if task.id in tasks:
            raise ScheduleError(f"task id {task.id!r} is used twice", code="duplicate_task", detail=[task.id])
        if task.duration < 0:
            raise ScheduleError(f"task {task.id!r} has a negative duration", code="invalid", detail=[task.id])
        tasks[task.id] = task
    children, depth = _hierarchy(tasks)

    net = Network()
    calendar_index: dict[str, int] = {}
    for cal_id, calendar in project.calendars.items():
        calendar_index[cal_id] = len(net.calendars)
        net.calendars.append(working_time(calendar))
    if project.default_calendar not in calendar_index:
        raise ScheduleError(
            f"the project's default calendar {project.default_calendar!r} is not among its calendars",
            code="unknown_calendar",
            detail=[project.default_calendar],
        )

    def calendar_of(task: Task) -> int:
        cal_id = task.calendar or project.default_calendar
        if cal_id not in calendar_index:
            raise ScheduleError(
                f"task {task.id!r} uses unknown calendar {cal_id!r}", code="unknown_calendar", detail=[cal_id]
            )
        return calendar_index[cal_id]

    summary_of: dict[str, Summary] = {}
    node_of = net.node_of
    task_ids, durations, calendars, specials = net.task_ids, net.duration, net.calendar, net.special
    preds, succs = net.preds, net.succs
    default_index = calendar_index[project.default_calendar]
    for task in tasks.values():
        cal = calendar_of(task) if task.calendar else default_index
        if task.id in children:
            start = net.add_node(task.id, 0, cal)
            finish = net.add_node(task.id, 0, cal)
            net.add_edge(start, finish, SS, 0)
            summary_of[task.id] = Summary(task.id, cal, start, finish, children[task.id])
        else:  # the common case, inlined: it runs once per task
            node_of[task.id] = len(task_ids)
            task_ids.append(task.id)
            durations.append(task.duration)
            calendars.append(cal)
            specials.append(task if _is_special(task) else None)
            preds.append([])
            succs.append([])

    # Which node a link leaves from or arrives at, by the end of the task it names.
    start_in = dict(node_of)
    finish_out = dict(node_of)
    start_in.update((task_id, summary.start_node) for task_id, summary in summary_of.items())
    finish_out.update((task_id, summary.finish_node) for task_id, summary in summary_of.items())
    finish_in_nodes: dict[str, int] = {}

    def finish_in(task_id: str) -> int:
        """The node a finish-type link into this task binds: the task itself, or a summary's fan-out node."""
        summary = summary_of.get(task_id)
        if summary is None:
            return node_of[task_id]
        node = finish_in_nodes.get(task_id)
        if node is None:
            node = finish_in_nodes[task_id] = net.add_node(task_id, 0, summary.calendar)
            for child in summary.children:
                net.add_edge(node, finish_in(child), FF, 0)
        return node

    for summary in summary_of.values():
        for child in summary.children:
            net.add_edge(summary.start_node, start_in[child], SS, 0)
            net.add_edge(finish_out[child], summary.finish_node, FF, 0)

    try:
        for link in project.links:
            link_type = link.type  # identity tests first: hashing an enum member runs Python code
            kind = (
                FS
                if link_type is LinkType.FS
                else SS
                if link_type is LinkType.SS
                else FF
                if link_type is LinkType.FF
                else SF
                if link_type is LinkType.SF
                else KIND[link_type]
            )
            lag = link.lag
            pred = finish_out[link.predecessor] if kind in (FS, FF) else start_in[link.predecessor]
            succ = start_in[link.successor] if kind < FF else finish_in(link.successor)
            preds[succ].append((pred, kind, lag))
            succs[pred].append((succ, kind, lag))
    except KeyError:
        _raise_bad_links(project, tasks)

    net.summaries = sorted(summary_of.values(), key=lambda s: -depth[s.task_id])
    net.order = topological_order(net)
    return net


def _raise_bad_links(project: Project, tasks: dict[str, Task]) -> None:
    for link in project.links:
        if link.type not in KIND:
            raise ScheduleError(f"unknown link type {link.type!r}", code="invalid", detail=[link.type])
    unknown = sorted({end for link in project.links for end in (link.predecessor, link.successor) if end not in tasks})
    raise ScheduleError(f"links name unknown tasks: {', '.join(unknown)}", code="unknown_task", detail=unknown)


def topological_order(net: Network) -> list[int]:
    """Kahn's algorithm, iterative; a cycle raises ScheduleError(code="cycle") naming the tasks in it."""
    succs = net.succs
    indegree = [len(p) for p in net.preds]
    ready = [node for node, count in enumerate(indegree) if count == 0]
    order: list[int] = []
    append = order.append
    while ready:
        node = ready.pop()
        append(node)
        for succ, _kind, _lag in succs[node]:
            indegree[succ] -= 1
            if indegree[succ] == 0:
                ready.append(succ)
    if len(order) < len(indegree):
        cycle = _find_cycle(net, indegree)
        raise ScheduleError(f"dependency cycle: {' → '.join([*cycle, cycle[0]])}", code="cycle", detail=cycle)
    return order


def _find_cycle(net: Network, indegree: list[int]) -> list[str]:
    """Walk back through unordered predecessors (every unordered node has one) until a node repeats."""
    node = next(n for n, count in enumerate(indegree) if count > 0)
    seen: dict[int, int] = {}
    path: list[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(pred for pred, _kind, _lag in net.preds[node] if indegree[pred] > 0)
    loop = path[seen[node] :]
    loop.reverse()  # walked against the links; name the cycle in link order
    names: list[str] = []
    for member in loop:
        name = net.task_ids[member]
        if not names or names[-1] != name:
            names.append(name)
    if len(names) > 1 and names[0] == names[-1]:
        names.pop()
    return names
