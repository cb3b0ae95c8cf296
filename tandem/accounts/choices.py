from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordProfile(models.TextChoices):
    CN_MLPS3 = "cn-mlps3", _("China MLPS level 3 (≥ 8 chars, 3 classes, 90-day expiry, no reuse of last 5)")
    ASVS = "asvs", _("OWASP ASVS (≥ 12 chars, no composition rules, no expiry)")


class FieldRule(models.TextChoices):
    HIDDEN = "hidden", _("Hidden")
    MASKED = "masked", _("Masked")
