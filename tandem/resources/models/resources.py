"""Resources (资源): people, linked to a member or not, and crews (班组) of N people; their skills and leave."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel
from tandem.resources.choices import LeaveKind, ResourceKind


class Skill(TenantModel):
    """A skill a resource can have at a level (电工, 弱电调试, 项目管理 …)."""

    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="resources_skill_unique_name")]

    def __str__(self) -> str:
        return self.name


class Resource(TenantModel):
    """A person or a crew that work is allocated to.

    Capacity per working day is the working hours of its calendar (its own, else the member's resource calendar,
    else the tenant's default) times `headcount`, unless `hours_per_day` caps a person's day; leave takes it away.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices, default=ResourceKind.PERSON)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=40, blank=True)
    # A member is one person resource in each organisation they belong to.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        verbose_name=_("member"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        verbose_name=_("department"),
    )
    headcount = models.PositiveSmallIntegerField(
        _("headcount"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("People in a crew; 1 for a person."),
    )
    hours_per_day = models.DecimalField(
        _("hours per day"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
        help_text=_("Leave empty to work the calendar's hours."),
    )
    calendar = models.ForeignKey(
        "calendars.WorkCalendar",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("work calendar"),
    )
    cost_rate = models.DecimalField(_("cost rate (per hour)"), max_digits=10, decimal_places=2, default=0)
    bill_rate = models.DecimalField(_("bill rate (per hour)"), max_digits=10, decimal_places=2, default=0)
    skills = models.ManyToManyField(Skill, through="ResourceSkill", related_name="resources", verbose_name=_("skills"))
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="resources_resource_unique_name"),
            models.UniqueConstraint(
                fields=["tenant", "user"], condition=Q(user__isnull=False), name="resources_resource_unique_member"
            ),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="resources_resource_headcount"),
        ]
        indexes = [models.Index(fields=["tenant", "is_active"], name="resources_resource_active_idx")]

    def __str__(self) -> str:
        return self.name


class ResourceSkill(TenantModel):
    """A resource's skill at a level from 1 (basic) to 5 (expert)."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="skill_levels", verbose_name=_("resource")
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="levels", verbose_name=_("skill"))
    level = models.PositiveSmallIntegerField(
        _("level"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("resource skill")
        verbose_name_plural = _("resource skills")
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "resource", "skill"], name="resources_skill_unique_pair"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="resources_skill_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} {self.level}"


class Leave(TenantModel):
    """Dates a resource does not work (whole days), or works fewer hours (`hours_off` a day)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="leaves", verbose_name=_("resource"))
    kind = models.CharField(_("kind"), max_length=10, choices=LeaveKind.choices, default=LeaveKind.LEAVE)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    hours_off = models.DecimalField(
        _("hours off a day"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
        help_text=_("Leave empty for whole days."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        ordering = ["start", "id"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="resources_leave_dates")]
        indexes = [models.Index(fields=["tenant", "resource", "start"], name="resources_leave_start_idx")]

    def __str__(self) -> str:
        return f"{self.resource} {self.start}–{self.end}"
