"""Projects API views, one module per entity: every write goes through a service."""
