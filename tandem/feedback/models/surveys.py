"""Surveys (满意度调查): templates, the surveys sent to contacts, their answers, opt-outs and recoveries."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import AutomationAuthored, SoftDeleteModel, TenantModel
from tandem.feedback.choices import (
    BatchStatus,
    NpsCategory,
    RecoveryStatus,
    SkipReason,
    SurveyChannel,
    SurveyLanguage,
    SurveyStatus,
)

MAX_QUESTIONS = 5
MAX_COMMENT = 4000
colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


def logo_path(instance, filename: str) -> str:
    return f"feedback/{instance.tenant_id}/logos/{filename}"


def category_of(score: int) -> str:
    """The NPS group of a 0–10 answer: 9–10 promoters, 7–8 passives, 0–6 detractors."""
    if score >= 9:
        return NpsCategory.PROMOTER
    if score >= 7:
        return NpsCategory.PASSIVE
    return NpsCategory.DETRACTOR


class SurveyTemplate(TenantModel, SoftDeleteModel):
    """What a survey asks, in one language: the 0–10 question, a comment, up to five more questions, the thanks.

    `questions` is a list of {"key", "kind" (rating / choice / text), "label", "choices", "required"}.
    """

    name = models.CharField(_("name"), max_length=100)
    language = models.CharField(
        _("language"), max_length=10, choices=SurveyLanguage.choices, default=SurveyLanguage.ZH_HANS
    )
    intro = models.TextField(_("introduction"), blank=True)
    nps_question = models.CharField(_("recommendation question"), max_length=300)
    comment_label = models.CharField(_("comment prompt"), max_length=300)
    questions = models.JSONField(_("extra questions"), default=list, blank=True)
    thank_you = models.TextField(_("thank-you text"))
    logo = models.FileField(_("logo"), upload_to=logo_path, max_length=300, blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#1f6feb", validators=[colour_validator])
    is_default = models.BooleanField(_("default for its language"), default=False)

    class Meta:
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "name"], condition=Q(deleted_at__isnull=True), name="feedback_template_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SurveyBatch(TenantModel):
    """A bulk send to a filtered list of accounts: queued, then sent by the worker with its progress counted."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("sent by")
    )
    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.PROTECT, related_name="+", verbose_name=_("survey template")
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    total = models.PositiveIntegerField(_("accounts"), default=0)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("survey batch")
        verbose_name_plural = _("survey batches")


class Survey(TenantModel, AutomationAuthored):
    """One survey to one contact about an account (and usually a project): its link, status and timing.

    The link's token is the signed `nonce` (`feedback.services.tokens`): without the server's key the nonce
    opens nothing, and it is never shown in lists, details or the API.
    A survey that was not sent (no address, unsubscribed, quiet period) is kept with its skip reason.
    """

    # Data scope through the account: a salesperson sees the surveys of their own customers.
    owner_field = "account__owner"
    sensitive_fields = {"nonce": "secret", "address": "default"}

    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("survey template")
    )
    account = models.ForeignKey(
        "crm.Account", on_delete=models.CASCADE, related_name="surveys", verbose_name=_("account")
    )
    contact = models.ForeignKey(
        "crm.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("contact"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("project"),
    )
    batch = models.ForeignKey(
        SurveyBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="surveys", verbose_name=_("batch")
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("sent by")
    )
    language = models.CharField(_("language"), max_length=10, choices=SurveyLanguage.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=SurveyChannel.choices, default=SurveyChannel.EMAIL)
    address = models.CharField(_("sent to"), max_length=254, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.SENT)
    skip_reason = models.CharField(_("skip reason"), max_length=20, choices=SkipReason.choices, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    nonce = models.CharField(max_length=64, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(fields=["nonce"], condition=~Q(nonce=""), name="feedback_survey_nonce_unique")
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "sent_at"], name="feedback_survey_status_idx"),
            models.Index(fields=["tenant", "contact", "sent_at"], name="feedback_survey_contact_idx"),
            models.Index(fields=["tenant", "project"], name="feedback_survey_project_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.contact or '—'}"


class SurveyResponse(TenantModel):
    """A contact's answer: the 0–10 score, its NPS group, the comment and the extra answers.

    The account, project, PM, tier and project type are copied at answer time, so insights group by what held
    when the customer answered.
    """

    # Data scope through the account: a salesperson sees the surveys of their own customers.
    owner_field = "account__owner"

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="response", verbose_name=_("survey"))
    account = models.ForeignKey(
        "crm.Account", on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("account")
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("project"),
    )
    contact = models.ForeignKey(
        "crm.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contact")
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project manager"),
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(0), MaxValueValidator(10)])
    category = models.CharField(_("group"), max_length=10, choices=NpsCategory.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=MAX_COMMENT)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    tier = models.CharField(_("tier"), max_length=10, blank=True)
    project_type = models.CharField(_("project type"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=SurveyLanguage.choices)
    submitted_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [models.CheckConstraint(condition=Q(score__lte=10), name="feedback_response_score_range")]
        indexes = [
            models.Index(fields=["tenant", "submitted_at"], name="feedback_response_time_idx"),
            models.Index(fields=["tenant", "account", "submitted_at"], name="feedback_response_account_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.score}"


class SurveyOptOut(TenantModel):
    """An address that asked for no more surveys (the unsubscribe link, or a person on the customer's behalf)."""

    address = models.CharField(_("address"), max_length=254)
    contact = models.ForeignKey(
        "crm.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contact")
    )
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("survey opt-out")
        verbose_name_plural = _("survey opt-outs")
        constraints = [models.UniqueConstraint(fields=["tenant", "address"], name="feedback_optout_unique")]

    def __str__(self) -> str:
        return self.address


class Recovery(TenantModel):
    """The recovery (挽回) after a detractor's answer: the review task, the follow-up, how and when it closed.

    The account's risk flag clears when the recovery closes: on its own once the review task is done and a
    follow-up with the customer is logged, or by hand with a reason.
    """

    # Data scope through the account: a salesperson sees the surveys of their own customers.
    owner_field = "account__owner"

    response = models.OneToOneField(
        SurveyResponse, on_delete=models.CASCADE, related_name="recovery", verbose_name=_("survey response")
    )
    account = models.ForeignKey(
        "crm.Account", on_delete=models.CASCADE, related_name="recoveries", verbose_name=_("account")
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recoveries",
        verbose_name=_("project"),
    )
    review_task = models.ForeignKey(
        "projects.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("review task"),
    )
    follow_up = models.ForeignKey(
        "crm.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up"),
    )
    status = models.CharField(_("status"), max_length=10, choices=RecoveryStatus.choices, default=RecoveryStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    close_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        indexes = [models.Index(fields=["tenant", "status"], name="feedback_recovery_status_idx")]

    def __str__(self) -> str:
        return f"{self.account} · {self.response.score}"
