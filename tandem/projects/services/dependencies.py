"""Dependencies between tasks: add, change, remove, refusing loops with a message that names them."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, check_tenant, full_clean, require
from tandem.projects.choices import LinkType
from tandem.projects.models import Dependency, Task
from tandem.projects.services.scheduling import cycle_message, project_reschedule

MAX_LAG = 5 * 365 * 24 * 60


def find_path(edges: dict[int, set[int]], start: int, goal: int) -> list[int] | None:
    """A path start → … → goal through `edges`, or None (iterative DFS: deep networks must not overflow)."""
    stack, came_from = [start], {start: None}
    while stack:
        node = stack.pop()
        if node == goal:
            path = [node]
            while came_from[path[-1]] is not None:
                path.append(came_from[path[-1]])
            return path[::-1]
        for nxt in edges.get(node, ()):
            if nxt not in came_from:
                came_from[nxt] = node
                stack.append(nxt)
    return None


def _refuse_cycle(project_id: int, predecessor: Task, successor: Task, *, ignore: int | None = None) -> None:
    """A new link pred → succ closes a loop when succ already reaches pred; the tree counts too."""
    edges: dict[int, set[int]] = defaultdict(set)
    links = Dependency.objects.filter(project_id=project_id)
    if ignore is not None:
        links = links.exclude(pk=ignore)
    for p, s in links.values_list("predecessor_id", "successor_id"):
        edges[p].add(s)
    path = find_path(edges, successor.pk, predecessor.pk)
    if path is None:
        if predecessor.pk in _ancestors(successor) or successor.pk in _ancestors(predecessor):
            message = _("A task cannot depend on its own summary task or sub-task.")
            raise ApplicationError(message, errors={"predecessor": [message]}, code="summary_link")
        return
    names = dict(Task.objects.filter(pk__in=path).values_list("pk", "name"))
    message = cycle_message([names[pk] for pk in [predecessor.pk, *path]])
    raise ApplicationError(message, errors={"predecessor": [message]}, code="cycle")


def find_cycle(edges: dict, nodes) -> list | None:
    """One loop in a whole link set (a node list that starts and ends on the same node), or None."""
    state: dict = {}
    for root in nodes:
        if root in state:
            continue
        stack = [(root, iter(edges.get(root, ())))]
        state[root] = 1
        path = [root]
        while stack:
            node, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(edges.get(nxt, ()))))
                path.append(nxt)
    return None


def _ancestors(task: Task) -> set[int]:
    parents = dict(Task.objects.filter(project_id=task.project_id).values_list("pk", "parent_id"))
    out, node = set(), parents.get(task.pk)
    while node is not None and node not in out:
        out.add(node)
        node = parents.get(node)
    return out


def _check(predecessor: Task, successor: Task, type: str, lag: int) -> None:
    errors = {}
    if predecessor.project_id != successor.project_id:
        errors["successor"] = [_("Both tasks must belong to the same project.")]
    if predecessor.pk == successor.pk:
        errors["successor"] = [_("A task cannot depend on itself.")]
    if type not in LinkType.values:
        errors["type"] = [_("Use FS, SS, FF or SF.")]
    if not -MAX_LAG <= lag <= MAX_LAG:
        errors["lag"] = [_("The lag must be within five years.")]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), errors=errors)


@transaction.atomic
def dependency_add(
    *, access, predecessor: Task, successor: Task, type: str = LinkType.FS, lag: int = 0, reschedule: bool = True
) -> Dependency:
    """Link two tasks of one project (lag in working minutes, negative = lead); loops are refused."""
    require(access, "projects.add_dependency")
    check_tenant(access, predecessor, successor)
    _check(predecessor, successor, type, lag)
    if Dependency.objects.filter(predecessor=predecessor, successor=successor).exists():
        message = _("These tasks are linked already.")
        raise ApplicationError(message, errors={"successor": [message]}, code="duplicate")
    _refuse_cycle(predecessor.project_id, predecessor, successor)
    link = Dependency(
        tenant_id=predecessor.tenant_id,
        project_id=predecessor.project_id,
        predecessor=predecessor,
        successor=successor,
        type=type,
        lag=lag,
        created_by=actor_of(access),
    )
    full_clean(link, exclude=["created_by"])
    link.save()
    audit_record(obj=link, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(link))
    if reschedule:
        project_reschedule(project=predecessor.project)
    return link


@transaction.atomic
def dependency_update(*, access, dependency: Dependency, type: str | None = None, lag: int | None = None) -> Dependency:
    """Change a link's type or lag; the schedule follows."""
    require(access, "projects.change_dependency")
    check_tenant(access, dependency)
    before = snapshot(dependency)
    dependency.type = type if type is not None else dependency.type
    dependency.lag = lag if lag is not None else dependency.lag
    _check(dependency.predecessor, dependency.successor, dependency.type, dependency.lag)
    full_clean(dependency)
    dependency.save()
    audit_record(
        obj=dependency, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(dependency)
    )
    project_reschedule(project=dependency.project)
    return dependency


@transaction.atomic
def dependency_remove(*, access, dependency: Dependency) -> None:
    """Remove a link; the schedule follows."""
    require(access, "projects.delete_dependency")
    check_tenant(access, dependency)
    project = dependency.project
    audit_record(obj=dependency, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(dependency))
    dependency.delete()
    project_reschedule(project=project)
