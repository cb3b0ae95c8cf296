"""Models of the crm app."""
