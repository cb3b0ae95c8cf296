"""Template helpers for project pages: durations, floats and variances in working days; status badges."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tandem.projects.choices import TaskStatus

register = template.Library()

STATUS_CLASSES = {
    TaskStatus.NOT_STARTED: "text-bg-light border",
    TaskStatus.IN_PROGRESS: "text-bg-primary",
    TaskStatus.DONE: "text-bg-success",
}


@register.simple_tag
def duration(minutes, unit: str = "days", minutes_per_day: int = 480) -> str:
    """Working minutes as "3 d" / "4 h", in the task's display unit."""
    if minutes is None:
        return "—"
    if unit == "hours":
        return _("%(n)s h") % {"n": _number(minutes / 60)}
    return _("%(n)s d") % {"n": _number(minutes / (minutes_per_day or 480))}


@register.filter
def days(value) -> str:
    """A number of working days as "3 d" ("—" when unknown)."""
    if value is None:
        return "—"
    return _("%(n)s d") % {"n": _number(value)}


@register.filter
def number(value) -> str:
    """A day count without trailing zeros, for form fields and cells."""
    return "" if value is None else _number(float(value))


@register.simple_tag
def variance(value):
    """A variance in working days: later than planned in red with a plus, earlier in green."""
    if value is None:
        return "—"
    if value > 0:
        return format_html('<span class="text-danger fw-semibold">+{}</span>', days(value))
    if value < 0:
        return format_html('<span class="text-success">{}</span>', days(value))
    return format_html('<span class="text-secondary">{}</span>', days(0))


@register.simple_tag
def status_badge(status: str):
    return format_html('<span class="badge {}">{}</span>', STATUS_CLASSES[status], TaskStatus(status).label)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@register.filter
def holiday_name(name: str) -> str:
    """A holiday seeded from `chinesecalendar` (stored under its English name) in Chinese for Chinese readers."""
    from django.utils.translation import get_language

    if not name or not (get_language() or "").startswith("zh"):
        return name
    from chinese_calendar.constants import Holiday

    return next((h.chinese for h in Holiday if h.value == name), name)
