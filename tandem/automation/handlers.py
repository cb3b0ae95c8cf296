"""Event handlers that start rule runs and webhook deliveries, and the audit hook for record triggers."""

import tandem.automation.webhook_dispatch  # noqa: F401  (registers the webhook handler)
from tandem.audit.services import audit
from tandem.automation import engine
from tandem.core.events import on


@on("*")
def start_rule_runs(event) -> None:
    engine.on_event(event)


if engine.record_changed not in audit.record_listeners:
    audit.record_listeners.append(engine.record_changed)
