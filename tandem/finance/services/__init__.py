"""Writes of the finance app (the project cost center), one module a sub-domain: budgets and their lines, cost
codes, change orders, commitments, actual costs, alerts and snapshots."""
