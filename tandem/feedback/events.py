"""Names of the domain events the feedback app emits (payloads are JSON-safe dicts of ids and values)."""

SURVEY_SENT = "feedback.survey.sent"
# payload: response_id, survey_id, account_id, project_id, contact_id, score, category, comment
RESPONSE_SUBMITTED = "feedback.response.submitted"
RECOVERY_OPENED = "feedback.recovery.opened"
RECOVERY_CLOSED = "feedback.recovery.closed"
REQUEST_CREATED = "feedback.request.created"
REQUEST_STATUS_CHANGED = "feedback.request.status_changed"
REQUEST_OVERDUE = "feedback.request.overdue"

ALL = (
    SURVEY_SENT,
    RESPONSE_SUBMITTED,
    RECOVERY_OPENED,
    RECOVERY_CLOSED,
    REQUEST_CREATED,
    REQUEST_STATUS_CHANGED,
    REQUEST_OVERDUE,
)
