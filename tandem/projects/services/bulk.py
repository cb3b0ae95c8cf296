"""Creating a whole WBS at once (templates, MS Project import): a constant number of queries, one reschedule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tandem.core.errors import ApplicationError
from tandem.core.services import full_clean
from tandem.projects.models import Dependency, Project, Task
from tandem.projects.services.dependencies import find_cycle
from tandem.projects.services.scheduling import cycle_message, project_reschedule
from tandem.projects.services.tasks import _validate, wbs_renumber

_ROOT = object()


@dataclass
class TaskSpec:
    key: object
    name: str
    parent_key: object = None
    assignee_ids: list[int] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # further Task fields: duration, kind, constraint_type, ...


@dataclass
class LinkSpec:
    predecessor_key: object
    successor_key: object
    type: str = "FS"
    lag: int = 0


def wbs_bulk_create(*, project: Project, actor, tasks: list[TaskSpec], links: list[LinkSpec]) -> dict[object, Task]:
    """Create tasks (parents before children, in the order given) and links, then schedule once."""
    by_key: dict[object, Task] = {}
    depth: dict[object, int] = {}
    specs = {spec.key: spec for spec in tasks}
    if len(specs) != len(tasks):
        raise ApplicationError(_("Two tasks share one key."), code="duplicate_key")

    def level(spec: TaskSpec) -> int:
        seen, node, n = set(), spec, 0
        while node.parent_key is not None:
            if node.key in seen or node.parent_key not in specs:
                raise ApplicationError(_("The task tree is broken (a missing or looping parent)."), code="bad_tree")
            seen.add(node.key)
            node, n = specs[node.parent_key], n + 1
        return n

    for spec in tasks:
        depth[spec.key] = level(spec)
    order = {spec.key: index for index, spec in enumerate(tasks)}
    # Into an empty project the WBS order, codes, levels and summary flags are known before the insert;
    # otherwise the whole tree is renumbered afterwards.
    outline = None if Task.objects.filter(project=project).exists() else _outline(tasks)
    # Level by level, so every parent has its id before its children are inserted.
    for current in sorted(set(depth.values())):
        batch = []
        for spec in tasks:
            if depth[spec.key] != current:
                continue
            task = Task(
                tenant_id=project.tenant_id,
                project=project,
                parent=by_key[spec.parent_key] if spec.parent_key is not None else None,
                name=spec.name.strip()[:300] or "-",
                created_by=actor,
                sort_order=order[spec.key],
                **spec.values,
            )
            _validate(task)
            # Validated in Python only: the tenant, project, parent, creator and calendar are the caller's own
            # (no query a row), and the table's check constraints (% complete ≤ 100, a date for a dated
            # constraint, not its own parent) are what the field validators and _validate() enforce on a new row.
            full_clean(
                task,
                exclude=["tenant", "project", "parent", "created_by", "calendar"],
                validate_unique=False,
                validate_constraints=False,
            )
            if outline is not None:
                for name, value in outline[spec.key].items():
                    setattr(task, name, value)
            by_key[spec.key] = task
            batch.append(task)
        Task.objects.bulk_create(batch, batch_size=500)
    through = Task.assignees.through
    Task.assignees.through.objects.bulk_create(
        [through(task_id=by_key[s.key].pk, user_id=uid) for s in tasks for uid in dict.fromkeys(s.assignee_ids)],
        batch_size=500,
    )
    edges: dict[int, set[int]] = defaultdict(set)
    rows, seen = [], set()
    for link in links:
        pred, succ = by_key.get(link.predecessor_key), by_key.get(link.successor_key)
        if pred is None or succ is None or pred.pk == succ.pk or (pred.pk, succ.pk) in seen:
            continue
        seen.add((pred.pk, succ.pk))
        edges[pred.pk].add(succ.pk)
        rows.append(
            Dependency(
                tenant_id=project.tenant_id,
                project=project,
                predecessor=pred,
                successor=succ,
                type=link.type,
                lag=link.lag,
                created_by=actor,
            )
        )
    cycle = find_cycle(edges, list(edges))
    if cycle:
        names = {t.pk: t.name for t in by_key.values()}
        message = cycle_message([names[pk] for pk in cycle])
        raise ApplicationError(message, code="cycle")
    Dependency.objects.bulk_create(rows, batch_size=500)
    if outline is None:
        wbs_renumber(project=project)
    project_reschedule(project=project)
    return by_key


def _outline(tasks: list[TaskSpec]) -> dict[object, dict]:
    """Each task's sort order, WBS code, level and summary flag: what wbs_renumber() stores for the new tree
    (siblings in the order given, numbered depth first)."""
    children: dict[object, list[TaskSpec]] = defaultdict(list)
    for spec in tasks:
        children[_ROOT if spec.parent_key is None else spec.parent_key].append(spec)
    out: dict[object, dict] = {}
    counter = 0
    stack = [(iter(children.get(_ROOT, ())), "", 1)]
    index_of: list[int] = [0]
    while stack:
        siblings, prefix, level = stack[-1]
        spec = next(siblings, None)
        if spec is None:
            stack.pop()
            index_of.pop()
            continue
        index_of[-1] += 1
        counter += 1
        number = f"{prefix}{index_of[-1]}"
        below = children.get(spec.key)
        out[spec.key] = {
            "sort_order": counter,
            "outline_number": number,
            "outline_level": level,
            "is_summary": bool(below),
        }
        if below:
            stack.append((iter(below), f"{number}.", level + 1))
            index_of.append(0)
    return out
