"""Choices of the calendars app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExceptionSource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", _("Chinese public holidays (chinesecalendar)")
    MANUAL = "manual", _("Entered by hand")
    MSPDI = "mspdi", _("Imported from MS Project")
    FILE = "file", _("Imported from a holiday file")
