"""Serializers of the crm API, one module per group of entities: what clients send (`…Input`, parsed and
shape-checked only; the services decide the rest) and what they read (`…Output`, field rules applied)."""
