"""Choices of the feedback app: surveys, their answers and recoveries, service requests."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SurveyLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating 1–5")
    CHOICE = "choice", _("Single choice")
    TEXT = "text", _("Text")


class SurveyChannel(models.TextChoices):
    EMAIL = "email", pgettext_lazy("channel", "Email")
    IM = "im", _("IM link")
    LINK = "link", _("Link only")


class SurveyStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class SkipReason(models.TextChoices):
    NO_CONTACT = "no_contact", _("The account has no contact to ask")
    NO_ADDRESS = "no_address", _("The contact has no email address or IM")
    UNSUBSCRIBED = "unsubscribed", _("The contact unsubscribed from surveys")
    QUIET_PERIOD = "quiet_period", _("The contact was surveyed within the quiet period")
    ALREADY_SENT = "already_sent", _("A survey about this project was already sent")


class NpsCategory(models.TextChoices):
    PROMOTER = "promoter", _("Promoter")
    PASSIVE = "passive", _("Passive")
    DETRACTOR = "detractor", _("Detractor")


class RecoveryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Sending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RequestChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", pgettext_lazy("channel", "Email")
    WECHAT = "wechat", _("WeChat")
    VISIT = "visit", _("Visit")
    SURVEY = "survey", _("Survey")
    OTHER = "other", _("Other")


class RequestCategory(models.TextChoices):
    FAULT = "fault", _("Fault or repair")
    WARRANTY = "warranty", _("Warranty claim")
    QUESTION = "question", _("Question")
    COMPLAINT = "complaint", _("Complaint")
    CHANGE = "change", _("Change request")
    OTHER = "other", _("Other")


class RequestPriority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_REQUEST_STATUSES = (
    RequestStatus.NEW,
    RequestStatus.ASSIGNED,
    RequestStatus.IN_PROGRESS,
    RequestStatus.WAITING,
)
