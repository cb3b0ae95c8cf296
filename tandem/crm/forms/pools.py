"""Forms of the public pool (公海) pages: pool settings with their recall rules, assigning, giving back."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Department, User
from tandem.crm.choices import AccountTier, Region
from tandem.crm.forms.common import departments_of
from tandem.crm.models import Pool

# The rule rows of the pool form: every tier without its own rule, then each tier.
RULE_TIERS = [("", _("Every tier"))] + list(AccountTier.choices)


def _rule_key(tier: str) -> str:
    return tier or "all"


class PoolForm(forms.Form):
    name = forms.CharField(label=_("Pool name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    is_default = forms.BooleanField(
        label=_("Default pool"), required=False, help_text=_("Accounts of no other pool follow this pool's rules.")
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Only members of this department and its sub-departments see this pool; empty means everyone."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Accounts of these regions belong to this pool."),
    )
    daily_claim_limit = forms.IntegerField(
        label=_("Claims per member per day"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("Empty means no limit."),
    )
    reclaim_after_days = forms.IntegerField(
        label=_("Previous owner may claim again after (days)"), min_value=0, max_value=3650, initial=7
    )
    won_customers_exempt = forms.BooleanField(
        label=_("Customers with a won deal are never recalled"), required=False, initial=True
    )
    open_deals_exempt = forms.BooleanField(
        label=_("Accounts with open deals are never recalled"), required=False, initial=True
    )

    def __init__(self, *args, access, pool: Pool | None = None, **kwargs):
        if pool is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(pool)
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_of(access.tenant_id)
        for tier, _label in RULE_TIERS:
            key = _rule_key(tier)
            self.fields[f"rule_{key}_follow"] = forms.IntegerField(min_value=1, max_value=3650, required=False)
            self.fields[f"rule_{key}_won"] = forms.IntegerField(min_value=1, max_value=3650, required=False)
            self.fields[f"rule_{key}_remind"] = forms.IntegerField(min_value=0, max_value=365, required=False)
        self.rule_rows = [
            (label, *(self[f"rule_{_rule_key(tier)}_{part}"] for part in ("follow", "won", "remind")))
            for tier, label in RULE_TIERS
        ]

    @staticmethod
    def initial_from(pool: Pool) -> dict:
        initial = {name: getattr(pool, name) for name in ("name", "description", "is_default", "regions")}
        initial.update(
            department=pool.department_id,
            daily_claim_limit=pool.daily_claim_limit,
            reclaim_after_days=pool.reclaim_after_days,
            won_customers_exempt=pool.won_customers_exempt,
            open_deals_exempt=pool.open_deals_exempt,
        )
        for rule in pool.rules.all():
            key = _rule_key(rule.tier)
            initial[f"rule_{key}_follow"] = rule.no_follow_up_days
            initial[f"rule_{key}_won"] = rule.no_won_deal_days
            initial[f"rule_{key}_remind"] = rule.reminder_days
        return initial

    def pool_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("rule_")}
        data["regions"] = list(data.get("regions") or [])
        return data

    def rules(self) -> list[dict]:
        rules = []
        for tier, _label in RULE_TIERS:
            key = _rule_key(tier)
            follow, won = self.cleaned_data.get(f"rule_{key}_follow"), self.cleaned_data.get(f"rule_{key}_won")
            if follow is None and won is None:
                continue
            remind = self.cleaned_data.get(f"rule_{key}_remind")
            rules.append(
                {
                    "tier": tier,
                    "no_follow_up_days": follow,
                    "no_won_deal_days": won,
                    "reminder_days": 3 if remind is None else remind,
                }
            )
        return rules


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("Why give it back?"), max_length=300)
