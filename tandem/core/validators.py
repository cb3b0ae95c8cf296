"""Sane values shared by every app: dates inside the years a project can plausibly have, names one can see.

Every tenant model checks them when it is cleaned (`TenantModel.clean_fields`, run by the services'
`full_clean` and by model forms): each date field, and the `name` and `title` text fields (a model may
name others in `visible_text_fields`).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# No project, contract or calendar of a company alive today starts before 1900 or ends after 2200; a date
# outside is a typo (year 814, 0001-01-01, 9999-12-31) that would break the schedule and the reports.
YEAR_MIN = 1900
YEAR_MAX = 2200
VISIBLE_TEXT_FIELDS = ("name", "title")
# Control, format (zero-width spaces and joiners, direction marks), surrogate, private-use, unassigned
# and separator characters: a name of these only shows as nothing.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


def plausible_date(value) -> None:
    if isinstance(value, (date, datetime)) and not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(
            _("Enter a date between the years %(min)s and %(max)s."),
            code="implausible_date",
            params={"min": YEAR_MIN, "max": YEAR_MAX},
        )


def has_visible_text(value: str) -> bool:
    return any(unicodedata.category(char) not in INVISIBLE_CATEGORIES for char in value)


def visible_text(value) -> None:
    if isinstance(value, str) and value and not has_visible_text(value):
        raise ValidationError(
            _("Enter visible characters, not only spaces, control or zero-width characters."), code="invisible_text"
        )


def sane_value_errors(obj, exclude=()) -> dict[str, list[ValidationError]]:
    """The model instance's implausible dates and invisible names, by field."""
    text_fields = getattr(obj, "visible_text_fields", VISIBLE_TEXT_FIELDS)
    errors: dict[str, list[ValidationError]] = {}
    for field in obj._meta.concrete_fields:
        if field.name in (exclude or ()):
            continue
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            check = plausible_date
        elif isinstance(field, models.CharField) and field.name in text_fields:
            check = visible_text
        else:
            continue
        try:
            check(getattr(obj, field.attname))
        except ValidationError as exc:
            errors.setdefault(field.name, []).append(exc)
    return errors
