"""The API's list filter backend: a value the form accepts but the column cannot hold is a 400 naming the
parameter, never a database error.

django-filter validates each value with its form field (a number, a date); the model's column is narrower:
an id beyond 64 bits, `ip=abc` on an address column, an offset of no real time zone (PostgreSQL refuses
−23:48). Each cleaned value of an exact or range lookup is checked against its column's own validators,
and times are sent in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend

# Real time zones lie between UTC−12:00 and UTC+14:00; PostgreSQL refuses offsets of 16 hours and more.
MAX_OFFSET = timedelta(hours=14)
CHECKED_LOOKUPS = frozenset({"exact", "gt", "gte", "lt", "lte", "in", "range"})
CHECKED_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField, models.GenericIPAddressField)


def _column(model, field_name: str):
    field = utils.get_model_field(model, field_name) if model is not None and field_name else None
    while isinstance(field, models.ForeignKey):
        field = field.target_field
    return field


def _values(value) -> list:
    if isinstance(value, slice):
        return [value.start, value.stop]
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]


def _in_utc(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        if abs(value.utcoffset()) > MAX_OFFSET:
            raise ValidationError(_("Enter a time zone offset of at most 14 hours."))
        try:
            return value.astimezone(UTC)
        except OverflowError as exc:
            raise ValidationError(_("Enter a date and time within the years 1 to 9999.")) from exc
    return value


def _checked(value, column):
    """The value as the query should use it; raises ValidationError when the column cannot hold it."""
    if isinstance(value, slice):
        return slice(_checked(value.start, column), _checked(value.stop, column), value.step)
    if isinstance(value, (list, tuple)):
        return type(value)(_checked(v, column) for v in value)
    value = _in_utc(value)
    if value is None or value == "" or isinstance(value, models.Model) or not isinstance(column, CHECKED_FIELDS):
        return value
    try:
        column.run_validators(column.to_python(value))
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValidationError(_("Enter a valid value.")) from exc
    return value


def check_filter_values(filterset) -> None:
    """Refine the form's cleaned data in place; every value a column cannot hold becomes a form error."""
    form = filterset.form
    model = getattr(filterset._meta, "model", None) or filterset.queryset.model
    for name, value in list(form.cleaned_data.items()):
        filter_ = filterset.filters.get(name)
        if filter_ is None or value in (None, "", [], ()):
            continue
        lookup = filter_.lookup_expr if isinstance(filter_.lookup_expr, str) else "exact"
        column = _column(model, filter_.field_name) if lookup in CHECKED_LOOKUPS else None
        try:
            form.cleaned_data[name] = _checked(value, column)
        except ValidationError as exc:
            form.add_error(name, exc)


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if filterset.is_valid():
            check_filter_values(filterset)
        if filterset.form.errors:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs
