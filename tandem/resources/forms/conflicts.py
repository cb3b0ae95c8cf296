"""Forms of the conflict pages: dismissing a conflict, the tenant's resource settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.services import active_members
from tandem.resources.models.conflicts import DEFAULT_SCORE_WEIGHTS, DEFAULT_TIER_WEIGHTS, SCORE_FACTORS
from tandem.resources.services.conflict_actions import MAX_REASON

TIER_LABELS = {"vip": _("VIP customer"), "a": _("Tier A"), "b": _("Tier B"), "c": _("Tier C"), "": _("No tier")}
FACTOR_LABELS = {
    "tier": _("Customer tier"),
    "priority": _("Project priority"),
    "float": _("Float (critical work)"),
    "urgency": _("Closeness of the start"),
    "overload": _("Size of the overload"),
}


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=MAX_REASON)


def _weight(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=100)


class ResourceSettingsForm(forms.Form):
    warning_days = forms.IntegerField(
        label=_("Warn working days ahead"),
        min_value=1,
        max_value=60,
        help_text=_("A conflict is warned of this many working days before it starts."),
    )
    horizon_weeks = forms.IntegerField(label=_("Look ahead (weeks)"), min_value=1, max_value=104)
    managers = forms.ModelMultipleChoiceField(
        label=_("Resource managers"),
        queryset=None,
        required=False,
        help_text=_("They are warned of every conflict, with the PM of the project."),
    )

    def __init__(self, *args, access, instance, **kwargs):
        initial = {
            "warning_days": instance.warning_days,
            "horizon_weeks": instance.horizon_weeks,
            "managers": list(instance.managers.all()) if instance.pk else [],
        }
        tiers = {**DEFAULT_TIER_WEIGHTS, **(instance.tier_weights or {})}
        scores = {**DEFAULT_SCORE_WEIGHTS, **(instance.score_weights or {})}
        initial.update({f"tier_{key or 'none'}": tiers.get(key, 0) for key in DEFAULT_TIER_WEIGHTS})
        initial.update({f"score_{key}": scores.get(key, 0) for key in SCORE_FACTORS})
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["managers"].queryset = active_members(access.tenant_id).order_by("display_name", "username")
        for key in DEFAULT_TIER_WEIGHTS:
            self.fields[f"tier_{key or 'none'}"] = _weight(TIER_LABELS[key])
        for key in SCORE_FACTORS:
            self.fields[f"score_{key}"] = _weight(FACTOR_LABELS[key])

    def tier_fields(self):
        return [self[f"tier_{key or 'none'}"] for key in DEFAULT_TIER_WEIGHTS]

    def score_fields(self):
        return [self[f"score_{key}"] for key in SCORE_FACTORS]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "warning_days": data["warning_days"],
            "horizon_weeks": data["horizon_weeks"],
            "tier_weights": {key: data[f"tier_{key or 'none'}"] for key in DEFAULT_TIER_WEIGHTS},
            "score_weights": {key: data[f"score_{key}"] for key in SCORE_FACTORS},
            "managers": list(data["managers"]),
        }
