"""Models of the resources app: people and crews with skills, leave, allocations to tasks, the conflicts their
loads cause, staff requests, leveling proposals and the tenant's settings."""

from tandem.resources.models.allocations import Allocation
from tandem.resources.models.conflicts import Conflict, ResourceSettings, StaffRequest
from tandem.resources.models.leveling import LevelingProposal
from tandem.resources.models.resources import Leave, Resource, ResourceSkill, Skill

__all__ = [
    "Allocation",
    "Conflict",
    "Leave",
    "LevelingProposal",
    "Resource",
    "ResourceSettings",
    "ResourceSkill",
    "Skill",
    "StaffRequest",
]
