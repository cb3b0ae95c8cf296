"""Automation: rules, actions and outbound webhooks (issue 5)."""
