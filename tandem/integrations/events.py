"""Names of the events the integrations app emits (payloads are JSON-safe dicts of ids and counts)."""

IMPORT_COMPLETED = "integrations.import.completed"

ALL = (IMPORT_COMPLETED,)
