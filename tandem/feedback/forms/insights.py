"""Forms of the insights pages: the NPS page's filter bar and the feedback settings."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.feedback.choices import RequestPriority
from tandem.feedback.models.settings import HEALTH_FACTORS
from tandem.feedback.nps import quarter_bounds
from tandem.feedback.selectors.insights import InsightFilters, project_type_choices, tier_choices

QUARTERS_SHOWN = 4
FACTOR_LABELS = {
    "nps": _("NPS"),
    "requests": _("Open urgent and high-priority requests"),
    "receivables": _("Overdue receivables"),
    "recency": _("Days since the last follow-up"),
    "delay": _("Delay of current projects"),
}


def _day_or_quarter(value: str, *, end: bool) -> date:
    """ "2026Q3" (its first day, or its last for the end of the period) or an ISO date."""
    value = value.strip().upper()
    try:
        first, last = quarter_bounds(value)
        return last if end else first
    except ValueError:
        pass
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise forms.ValidationError(_("Give a quarter like 2026Q3 or a date like 2026-07-01.")) from None


def recent_quarters(today: date, count: int = 8) -> list[str]:
    """The current quarter and the ones before it, newest first (the filter's suggestions)."""
    out, year, quarter = [], today.year, (today.month - 1) // 3 + 1
    for _i in range(count):
        out.append(f"{year}Q{quarter}")
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out


class NpsFilterForm(forms.Form):
    start = forms.CharField(label=_("From"), required=False, max_length=10)
    end = forms.CharField(label=_("To"), required=False, max_length=10)
    manager = forms.TypedChoiceField(label=_("Project manager"), required=False, coerce=int, empty_value=None)
    project_type = forms.ChoiceField(label=_("Project type"), required=False)
    tier = forms.ChoiceField(label=_("Tier"), required=False)

    def __init__(self, data, *, managers, today: date | None = None):
        super().__init__(data)
        self.today = today or timezone.localdate()
        self.fields["manager"].choices = [("", _("All PMs"))] + [(m.pk, str(m)) for m in managers]
        self.fields["project_type"].choices = [("", _("All project types")), *project_type_choices()]
        self.fields["tier"].choices = [("", _("All tiers")), *tier_choices()]
        for name in ("manager", "project_type", "tier"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def clean_start(self):
        value = self.cleaned_data["start"]
        return _day_or_quarter(value, end=False) if value.strip() else None

    def clean_end(self):
        value = self.cleaned_data["end"]
        return _day_or_quarter(value, end=True) if value.strip() else None

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data

    def default_period(self) -> tuple[date, date]:
        """The last four quarters, this one included."""
        quarters = recent_quarters(self.today, QUARTERS_SHOWN)
        return quarter_bounds(quarters[-1])[0], quarter_bounds(quarters[0])[1]

    def filters(self) -> InsightFilters:
        """What the page shows: the valid filters, the last four quarters for an open or invalid period."""
        start, end = self.default_period()
        if not self.is_valid():
            return InsightFilters(start=start, end=end)
        data = self.cleaned_data
        if data["start"] or data["end"]:
            start, end = data["start"], data["end"] or self.today
        return InsightFilters(
            start=start,
            end=end,
            manager_id=data["manager"],
            project_type=data["project_type"],
            tier=data["tier"],
        )


class FeedbackSettingsForm(forms.Form):
    """The tenant's survey pacing, SLA hours per priority and health weights per factor."""

    quiet_days = forms.IntegerField(label=_("Quiet period (days)"), min_value=0, max_value=730)
    expiry_days = forms.IntegerField(label=_("Survey link valid for (days)"), min_value=1, max_value=365)
    reminder_days = forms.IntegerField(label=_("Reminder after (days)"), min_value=0, max_value=60)

    def __init__(self, data=None, *, current):
        initial = {
            "quiet_days": current.quiet_days,
            "expiry_days": current.expiry_days,
            "reminder_days": current.reminder_days,
        }
        for priority in RequestPriority.values:
            response, resolve = (current.sla or {}).get(priority, [None, None])
            initial[f"sla_{priority}_response"] = response
            initial[f"sla_{priority}_resolve"] = resolve
        for key in HEALTH_FACTORS:
            initial[f"weight_{key}"] = (current.health_weights or {}).get(key, 0)
        super().__init__(data, initial=initial)
        for value, label in RequestPriority.choices:
            self.fields[f"sla_{value}_response"] = forms.DecimalField(
                label=_("%(priority)s: first response (h)") % {"priority": label}, min_value=0, decimal_places=1
            )
            self.fields[f"sla_{value}_resolve"] = forms.DecimalField(
                label=_("%(priority)s: resolution (h)") % {"priority": label}, min_value=0, decimal_places=1
            )
        for key in HEALTH_FACTORS:
            self.fields[f"weight_{key}"] = forms.IntegerField(label=FACTOR_LABELS[key], min_value=0, max_value=100)

    def sla_rows(self):
        return [
            (label, self[f"sla_{value}_response"], self[f"sla_{value}_resolve"])
            for value, label in RequestPriority.choices
        ]

    def weight_fields(self):
        return [self[f"weight_{key}"] for key in HEALTH_FACTORS]

    def service_fields(self) -> dict:
        """What `feedback_settings_update` takes, from the cleaned form."""
        data = self.cleaned_data
        return {
            "quiet_days": data["quiet_days"],
            "expiry_days": data["expiry_days"],
            "reminder_days": data["reminder_days"],
            "sla": {
                p: [float(data[f"sla_{p}_response"]), float(data[f"sla_{p}_resolve"])] for p in RequestPriority.values
            },
            "health_weights": {key: data[f"weight_{key}"] for key in HEALTH_FACTORS},
        }

    def field_of(self, key: str) -> str | None:
        """The form field a service error key names ("sla.urgent", "health_weights.nps"), if any."""
        if key.startswith("sla."):
            return f"sla_{key[4:]}_resolve"
        if key.startswith("health_weights."):
            return f"weight_{key[15:]}"
        return key if key in self.fields else None
