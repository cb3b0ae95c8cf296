"""Writes of the projects app: each service checks permission, writes, audits and emits in one transaction."""
