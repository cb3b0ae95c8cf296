"""Event names the resources app emits (payloads are JSON-safe dicts)."""

RESOURCE_CREATED = "resources.resource.created"  # {resource_id, name, kind}
RESOURCE_UPDATED = "resources.resource.updated"  # {resource_id, changed: [field, ...]}
ALLOCATION_CHANGED = "resources.allocation.changed"  # {project_id, task_id, resource_ids}
LEAVE_CHANGED = "resources.leave.changed"  # {resource_id, start, end}
# {conflict_id, resource_id, resource_name, start, end, peak_load, score, task_id, task_name, project_id,
#  project_name, account_tier, url}
CONFLICT_DETECTED = "resources.conflict.detected"
CONFLICT_RESOLVED = "resources.conflict.resolved"  # {conflict_id, resource_id, resolution}
STAFF_REQUESTED = "resources.staff.requested"  # {request_id, project_id, task_id, skill_id, hours, start, end}
LEVELING_ACCEPTED = "resources.leveling.accepted"  # {proposal_id, project_ids, moved: n}

ALL = [
    RESOURCE_CREATED,
    RESOURCE_UPDATED,
    ALLOCATION_CHANGED,
    LEAVE_CHANGED,
    CONFLICT_DETECTED,
    CONFLICT_RESOLVED,
    STAFF_REQUESTED,
    LEVELING_ACCEPTED,
]
