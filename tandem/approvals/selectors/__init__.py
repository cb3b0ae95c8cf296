"""Reads of the approvals app, already tenant- and permission-scoped."""
