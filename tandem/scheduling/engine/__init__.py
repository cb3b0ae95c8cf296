"""Pure-Python scheduling engine: calendars, CPM, MSPDI. No Django imports anywhere below here."""

from tandem.scheduling.engine.model import (
    Calendar,
    ConstraintType,
    Link,
    LinkType,
    Project,
    ScheduleError,
    Task,
    TaskSchedule,
)

__all__ = ["Calendar", "ConstraintType", "Link", "LinkType", "Project", "ScheduleError", "Task", "TaskSchedule"]
