"""Background work of automation: rule runs, time triggers, webhook deliveries, channel messages."""
