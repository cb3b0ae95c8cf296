"""A project's tasks and milestones as an iCalendar (RFC 5545) document."""

from __future__ import annotations

from datetime import UTC

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tandem.projects.models import Project, Task


def project_ics(project: Project, tasks: list[Task], *, host: str = "tandem") -> bytes:
    """One event per scheduled task and milestone (summaries are left out: their children say it)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Tandem//Projects//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", str(project))
    stamp = timezone.now().astimezone(UTC)
    for task in tasks:
        if task.is_summary or task.early_start is None or task.early_finish is None:
            continue
        event = Event()
        event.add("uid", f"projects-task-{task.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", task.early_start.astimezone(UTC))
        event.add("dtend", max(task.early_finish, task.early_start).astimezone(UTC))
        prefix = "◆ " if task.is_milestone else ""
        event.add("summary", f"{prefix}{task.outline_number} {task.name}".strip())
        lines = [f"{project.number} {project.name}", f"{task.percent_complete}%"]
        if task.is_critical:
            lines.append(str(_("On the critical path")))
        if task.notes:
            lines.append(task.notes)
        event.add("description", "\n".join(lines))
        if task.is_milestone:
            event.add("categories", ["milestone"])
        if task.percent_complete >= 100:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
