"""Service requests (客服工单): a customer's problem or question, who handles it and the SLA clock on it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import AutomationAuthored, OwnedModel, SoftDeleteModel, TenantModel
from tandem.feedback.choices import RequestCategory, RequestChannel, RequestPriority, RequestStatus

# What a person sets on a service request: the form, the services and the API take the list from here.
REQUEST_FIELDS = (
    "account",
    "contact",
    "project",
    "channel",
    "category",
    "priority",
    "subject",
    "description",
)


class ServiceRequest(TenantModel, OwnedModel, SoftDeleteModel, AutomationAuthored):
    """A service request (客服工单) from a customer, owned by the person handling it (the assignee).

    The first-response and resolution deadlines count working hours of the tenant's calendar from the moment it
    was opened, by its priority's SLA; `first_response_at` is the first status change or reply after that.
    """

    number = models.CharField(_("number"), max_length=40, blank=True, editable=False)
    account = models.ForeignKey(
        "crm.Account", on_delete=models.CASCADE, related_name="service_requests", verbose_name=_("account")
    )
    contact = models.ForeignKey(
        "crm.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("contact"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("project"),
    )
    survey_response = models.ForeignKey(
        "feedback.SurveyResponse",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("survey response"),
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=RequestChannel.choices, default=RequestChannel.PHONE
    )
    category = models.CharField(
        _("category"), max_length=20, choices=RequestCategory.choices, default=RequestCategory.QUESTION
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=RequestPriority.choices, default=RequestPriority.NORMAL
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW)
    resolution = models.TextField(_("resolution"), blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "number"], condition=~models.Q(number=""), name="feedback_request_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "priority"], name="feedback_request_status_idx"),
            models.Index(fields=["tenant", "account", "status"], name="feedback_request_account_idx"),
            models.Index(fields=["tenant", "resolve_due_at"], name="feedback_request_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}".strip()
