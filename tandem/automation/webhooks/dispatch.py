"""The outbox handler (registered in `AutomationConfig.ready()`) that turns every committed event into webhook
deliveries, sent after commit."""

from tandem.automation.webhooks import services


def create_webhook_deliveries(event) -> None:
    """Runs once per event (the outbox records it); the deliveries are sent once this transaction commits."""
    deliveries = services.deliveries_for_event(event)
    services.enqueue_on_commit([d.pk for d in deliveries])
