"""The events the comments app emits (automation can trigger on them)."""

COMMENT_CREATED = "comments.comment.created"
# One event per mentioned member: a rule can act on "someone was mentioned", the notification once per event.
COMMENT_MENTIONED = "comments.comment.mentioned"
