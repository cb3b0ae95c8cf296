"""Shared record features every registered object type gets: the recycle bin, numbering rules, owner
transfer, sharing and attachments. Their models stay in core (tables, migrations and the `core.*`
permission codes are core's); the services here write the audit trail, which core cannot import."""
