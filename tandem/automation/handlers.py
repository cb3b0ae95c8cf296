"""Event handlers that start rule runs and webhook deliveries."""

import tandem.automation.webhook_dispatch  # noqa: F401  (registers the webhook handler)
