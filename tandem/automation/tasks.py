"""Background work of automation: rule runs, time triggers, webhook deliveries, channel messages."""

from tandem.automation.webhook_tasks import *  # noqa: F401,F403
