"""Where projects' migration 0001 finds `default_week`, the default of the work calendar's week it names.

The work calendar models live in `tandem.calendars`; a historical migration keeps importing the callables its
fields reference for as long as it exists, and migrations are never edited.
"""

from tandem.calendars.models import default_week

__all__ = ["default_week"]
