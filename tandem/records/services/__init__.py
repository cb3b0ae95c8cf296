"""Writes of the shared record features, each audited in the caller's transaction."""
