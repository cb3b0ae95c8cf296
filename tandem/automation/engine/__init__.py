"""The rule engine, one module per job: `triggers` (which rules a change or an event fires, and the runs it writes),
`runner` (a run's steps, retries and waits) and `schedules` (date-relative and cron time triggers); `watched` keeps
the record types each tenant's rules watch, so that a write nobody watches costs nothing.

Flow: a committed change → outbox event → `triggers.on_event` (in the dispatcher's transaction, once per event)
finds the rules it fires and writes a `Run` per rule with its condition result and one `ActionRun` per action →
after commit `runner.execute(run)` runs the steps in order, each in its own transaction together with its status,
as the rule's owner, one causal step deeper. A temporary failure is retried with backoff; a permanent one fails
the run unless the step continues on failure; K failed runs in a row disable the rule and tell its owner. Runs are
unique per (rule version, dedup key), which is what makes time triggers fire once even when two workers scan at
the same moment.
"""
