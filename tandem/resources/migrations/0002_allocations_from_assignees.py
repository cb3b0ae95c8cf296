"""Task assignees become allocations: each assigned member gets a person resource in the tenant (named after
them, unique in the tenant) and an allocation at 100 % on each task they are assigned to, with the task's
duration as its work. Summary tasks and milestones keep their assignees without allocations. The assignees stay
on the tasks, so nothing is lost; running it again adds nothing."""

from collections import defaultdict

from django.db import migrations


def _name(user) -> str:
    full = f"{user.first_name} {user.last_name}".strip()
    return (user.display_name or full or user.username)[:100]


def allocations_from_assignees(apps, schema_editor):
    Task = apps.get_model("projects", "Task")
    Resource = apps.get_model("resources", "Resource")
    Allocation = apps.get_model("resources", "Allocation")
    through = Task.assignees.through

    pairs = defaultdict(list)  # tenant → [(task, user)]
    rows = (
        through.objects.filter(task__is_summary=False, task__is_milestone=False)
        .select_related("task", "user")
        .order_by("task__tenant_id", "task_id", "user_id")
    )
    for row in rows.iterator(chunk_size=2000):
        pairs[row.task.tenant_id].append((row.task, row.user))

    linked = dict(Resource.objects.filter(user__isnull=False).values_list("user_id", "tenant_id"))
    for tenant_id, items in pairs.items():
        resources = {r.user_id: r for r in Resource.objects.filter(tenant_id=tenant_id, user__isnull=False)}
        names = set(Resource.objects.filter(tenant_id=tenant_id).values_list("name", flat=True))
        unlinked = {r.name: r for r in Resource.objects.filter(tenant_id=tenant_id, user__isnull=True, kind="person")}
        allocated = set(Allocation.objects.filter(tenant_id=tenant_id).values_list("task_id", "resource_id"))
        new = []
        for task, user in items:
            resource = resources.get(user.pk)
            if resource is None:
                name = _name(user)
                elsewhere = linked.get(user.pk) not in (None, tenant_id)
                if elsewhere and name in unlinked:  # the user's linked resource is in another tenant
                    resource = unlinked[name]
                else:
                    candidate, n = name, 1
                    while candidate in names:
                        n += 1
                        candidate = f"{name[:90]} ({n})"
                    resource = Resource.objects.create(
                        tenant_id=tenant_id,
                        kind="person",
                        name=candidate,
                        user=None if elsewhere else user,
                        headcount=1,
                    )
                    names.add(candidate)
                    if elsewhere:
                        unlinked[name] = resource
                    else:
                        linked[user.pk] = tenant_id
                resources[user.pk] = resource
            if (task.pk, resource.pk) in allocated:
                continue
            allocated.add((task.pk, resource.pk))
            new.append(
                Allocation(
                    tenant_id=tenant_id,
                    resource=resource,
                    task=task,
                    project_id=task.project_id,
                    units=100,
                    work=task.duration or 0,
                    created_by_id=task.created_by_id,
                )
            )
        Allocation.objects.bulk_create(new, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(allocations_from_assignees, migrations.RunPython.noop)]
