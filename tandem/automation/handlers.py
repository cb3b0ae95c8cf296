"""Event handlers that start rule runs and webhook deliveries."""
