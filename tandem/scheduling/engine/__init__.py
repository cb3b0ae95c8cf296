"""Pure-Python scheduling engine: calendars, CPM, MSPDI. No Django imports anywhere below here.

`schedule(project)` and `longest_path(project)` are the CPM entry points (`Scheduler` keeps a compiled
network for cheap reschedules); `working_time(calendar)` does working-time arithmetic;
`calendar_from_workdays()` lays holidays and 调休 make-up days over a week. `level(project, resources, demands)`
levels resources (`leveling.py`, search in `rcpsp.py`); `feasibility.check` verifies a leveled schedule.
MS Project XML lives in `tandem.scheduling.engine.mspdi` (`read`, `write`).
"""

from tandem.scheduling.engine.calendar import (
    WorkingTime,
    always_on_calendar,
    calendar_from_workdays,
    working_time,
)
from tandem.scheduling.engine.cpm import Scheduler, longest_path, schedule
from tandem.scheduling.engine.leveling import Demand, LevelingResult, Move, Resource, level
from tandem.scheduling.engine.model import (
    Calendar,
    ConstraintType,
    Link,
    LinkType,
    Project,
    ScheduleError,
    Task,
    TaskSchedule,
    Violation,
)

__all__ = [
    "Calendar",
    "ConstraintType",
    "Demand",
    "LevelingResult",
    "Link",
    "LinkType",
    "Move",
    "Project",
    "Resource",
    "ScheduleError",
    "Scheduler",
    "Task",
    "TaskSchedule",
    "Violation",
    "WorkingTime",
    "always_on_calendar",
    "calendar_from_workdays",
    "level",
    "longest_path",
    "schedule",
    "working_time",
]
