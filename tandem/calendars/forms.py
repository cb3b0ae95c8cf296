"""Forms of the work calendar pages: working hours are typed as "08:00-12:00, 13:00-17:00"."""

from __future__ import annotations

import re

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from tandem.calendars.models import default_week

_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~至到]\s*(\d{1,2}):(\d{2})\s*$")
HOURS_HELP = _("Working hours as 08:00-12:00, 13:00-17:00; empty = not a working day.")


def hours_text(intervals) -> str:
    """Stored intervals as the text the form shows."""
    return ", ".join(f"{start}-{end}" for start, end in intervals or ())


def parse_hours(text: str) -> list[list[str]]:
    """ "08:00-12:00, 13:00-17:00" as [["08:00", "12:00"], ["13:00", "17:00"]]; order and overlaps are the
    service's to check."""
    out = []
    for part in re.split(r"[,，;；、\s]+(?=\d)", (text or "").strip()):
        if not part.strip():
            continue
        match = _SPAN.match(part)
        if match is None:
            raise forms.ValidationError(_("Write hours as 08:00-12:00, several spans separated by commas."))
        h1, m1, h2, m2 = (int(v) for v in match.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
            raise forms.ValidationError(_("%(span)s is not a time of day.") % {"span": part.strip()})
        out.append([f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"])
    return out


class HoursField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_hours(super().to_python(value))


class CalendarForm(forms.Form):
    """A calendar's name and working week (Monday first)."""

    name = forms.CharField(label=_("Calendar name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    is_default = forms.BooleanField(label=_("Default calendar for new projects"), required=False)

    def __init__(self, *args, calendar=None, **kwargs):
        week = calendar.week if calendar is not None else default_week()
        initial = {f"day_{i}": hours_text(day) for i, day in enumerate(week)}
        if calendar is not None:
            initial.update(name=calendar.name, description=calendar.description, is_default=calendar.is_default)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for index, label in WEEKDAYS.items():
            self.fields[f"day_{index}"] = HoursField(label=label, widget=forms.TextInput(attrs={"placeholder": "—"}))

    def day_fields(self):
        return [self[f"day_{i}"] for i in range(7)]

    def week(self) -> list:
        return [self.cleaned_data[f"day_{i}"] for i in range(7)]


class CalendarCreateForm(CalendarForm):
    seed_holidays = forms.BooleanField(
        label=_("Fill in Chinese public holidays and make-up workdays"), required=False, initial=True
    )


class ExceptionForm(forms.Form):
    """One date off the weekly pattern: a holiday, or a make-up workday (调休)."""

    HOLIDAY, WORKDAY = "holiday", "workday"
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(HOLIDAY, _("Holiday (no work)")), (WORKDAY, _("Make-up workday (调休)"))]
    )
    name = forms.CharField(label=_("Day name"), max_length=100, required=False)
    hours = HoursField(label=_("Working hours"), help_text=_("For a workday; empty = the calendar's standard day."))

    def clean(self):
        data = super().clean()
        if data.get("kind") == self.HOLIDAY and data.get("hours"):
            self.add_error("hours", _("A holiday has no working hours."))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "is_working": data["kind"] == self.WORKDAY,
            "hours": data["hours"],
            "name": data["name"],
        }


class SeedForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, first: int, last: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years the library knows"))] + [
            (y, str(y)) for y in range(last, first - 1, -1)
        ]


class HolidayFileForm(forms.Form):
    """A file of one year's public holidays and make-up workdays, as official notices are shared."""

    file = forms.FileField(
        label=_("Holiday file (.ics or .csv)"),
        help_text=_("An iCalendar file, or a CSV table of date, name and kind (holiday / workday, 休 / 班)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,.csv,.txt,text/calendar,text/csv"}),
    )
