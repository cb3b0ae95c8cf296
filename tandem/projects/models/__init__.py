"""Models of the projects app."""

from tandem.projects.models.baselines import MAX_BASELINES, Baseline, BaselineTask
from tandem.projects.models.projects import CalendarFeedKey, Project, ProjectStatusUpdate
from tandem.projects.models.tasks import Dependency, Task
from tandem.projects.models.templates import ProjectTemplate, TemplateLink, TemplateTask

__all__ = [
    "MAX_BASELINES",
    "Baseline",
    "BaselineTask",
    "CalendarFeedKey",
    "Dependency",
    "Project",
    "ProjectStatusUpdate",
    "ProjectTemplate",
    "Task",
    "TemplateLink",
    "TemplateTask",
]
