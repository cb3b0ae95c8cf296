"""Event names the projects app emits (payloads are JSON-safe dicts)."""

PROJECT_CREATED = "projects.project.created"  # {project_id, number, name, owner_id, template_id?}
PROJECT_UPDATED = "projects.project.updated"  # {project_id, changed: [field, ...]}
PROJECT_STATUS_CHANGED = "projects.project.status_changed"  # {project_id, from, to}
PROJECT_COMPLETED = "projects.project.completed"  # {project_id, number, owner_id, account_id, completed_at}
PROJECT_DELETED = "projects.project.deleted"  # {project_id}
TASK_CREATED = "projects.task.created"  # {project_id, task_id, name}
TASK_UPDATED = "projects.task.updated"  # {project_id, task_id, changed: [field, ...]}
TASK_MOVED = "projects.task.moved"  # {project_id, task_id, parent_id, position}
TASK_COMPLETED = "projects.task.completed"  # {project_id, task_id, name}
TASK_DELETED = "projects.task.deleted"  # {project_id, task_id, name}
PROJECT_IMPORTED = "projects.project.imported"  # {project_id, format, tasks, links}
BASELINE_SAVED = "projects.baseline.saved"  # {project_id, baseline_id, number}

ALL = [
    PROJECT_CREATED,
    PROJECT_UPDATED,
    PROJECT_STATUS_CHANGED,
    PROJECT_COMPLETED,
    PROJECT_DELETED,
    TASK_CREATED,
    TASK_UPDATED,
    TASK_MOVED,
    TASK_COMPLETED,
    TASK_DELETED,
    PROJECT_IMPORTED,
    BASELINE_SAVED,
]
