"""Writes of the calendars app: each service checks permission, writes and audits in one transaction."""
