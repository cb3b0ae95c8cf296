"""Choices of the projects app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Health(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class TaskKind(models.TextChoices):
    NORMAL = "normal", _("Normal")
    DESIGN = "design", _("Design")
    PROCUREMENT = "procurement", _("Procurement")
    INSTALLATION = "installation", _("Installation")
    INSPECTION = "inspection", _("Inspection")
    REVIEW = "review", _("Review")
    ACCEPTANCE = "acceptance", _("Acceptance")


class DurationUnit(models.TextChoices):
    DAYS = "days", _("Days")
    HOURS = "hours", _("Hours")


class ConstraintType(models.TextChoices):
    """Mirrors `tandem.scheduling.engine.model.ConstraintType`."""

    ASAP = "ASAP", _("As soon as possible")
    ALAP = "ALAP", _("As late as possible")
    SNET = "SNET", _("Start no earlier than")
    SNLT = "SNLT", _("Start no later than")
    FNET = "FNET", _("Finish no earlier than")
    FNLT = "FNLT", _("Finish no later than")
    MSO = "MSO", _("Must start on")
    MFO = "MFO", _("Must finish on")


DATED_CONSTRAINTS = frozenset(set(ConstraintType.values) - {ConstraintType.ASAP, ConstraintType.ALAP})


class LinkType(models.TextChoices):
    """Mirrors `tandem.scheduling.engine.model.LinkType`."""

    FS = "FS", _("Finish to start")
    SS = "SS", _("Start to start")
    FF = "FF", _("Finish to finish")
    SF = "SF", _("Start to finish")


class TemplateSource(models.TextChoices):
    MANUAL = "manual", _("Built by hand")
    PROJECT = "project", _("Saved from a project")


class WarningKind(models.TextChoices):
    LATE_START = "late_start", _("Started late")
    NOT_STARTED = "not_started", _("Should have started")
    NEGATIVE_FLOAT = "negative_float", _("Negative float")
    MILESTONE_LATE = "milestone_late", _("Milestone past its baseline")
    PROJECT_LATE = "project_late", _("Finish past the contract date")


class TaskStatus(models.TextChoices):
    """A task's state on the kanban, derived from % complete and the actual dates."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class TaskType(models.TextChoices):
    """What stays fixed when people are added or removed (MS Project's task type)."""

    FIXED_DURATION = "fixed_duration", _("Fixed duration")
    EFFORT_DRIVEN = "effort_driven", _("Effort-driven (fixed work)")
