"""Sane values shared by every app: dates inside the years a project can plausibly have."""

from __future__ import annotations

# No project, contract or calendar of a company alive today starts before 1900 or ends after 2200; a date
# outside is a typo (year 814, 0001-01-01, 9999-12-31) that would break the schedule and the reports.
YEAR_MIN = 1900
YEAR_MAX = 2200
