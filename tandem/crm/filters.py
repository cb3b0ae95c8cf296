"""List filters shared by the API, the list pages and the exports, so a download matches what is on screen."""

from __future__ import annotations

from datetime import timedelta

import django_filters as df
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.crm.choices import (
    AccountTier,
    ActivityKind,
    ContractStatus,
    ContractType,
    DealStatus,
    DealType,
    Industry,
    LeadSource,
    LeadStatus,
    MilestoneStatus,
    PaymentMethod,
    Region,
    TargetLevel,
    TargetMetric,
)
from tandem.crm.models import (
    Account,
    Activity,
    Contact,
    Contract,
    Deal,
    Lead,
    PaymentMilestone,
    Receipt,
    SalesTarget,
)

OWNER = pgettext_lazy("record owner", "Owner")
MAX_ID = 2**63 - 1
MAX_AMOUNT = 10**14


def _id(field_name: str, label) -> df.NumberFilter:
    """A filter on a record id; values no id can have are refused rather than sent to the database."""
    return df.NumberFilter(field_name=field_name, label=label, min_value=1, max_value=MAX_ID, decimal_places=0)


def _search(*lookups):
    def method(queryset, _name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{lookup: value})
        return queryset.filter(condition)

    return method


class AccountFilter(df.FilterSet):
    search = df.CharFilter(
        label=_("Search"),
        method=_search("name__icontains", "credit_code__iexact", "city__icontains", "province__icontains"),
    )
    owner = _id("owner_id", OWNER)
    tier = df.ChoiceFilter(choices=AccountTier.choices, label=_("Tier"))
    industry = df.ChoiceFilter(choices=Industry.choices, label=_("Industry"))
    region = df.ChoiceFilter(choices=Region.choices, label=_("Region"))
    province = df.CharFilter(field_name="province", lookup_expr="iexact", label=_("Province"))
    risk_flag = df.BooleanFilter(label=_("High risk"))
    parent = _id("parent_id", _("Parent account"))
    idle_days = df.NumberFilter(
        method="filter_idle_days", label=_("No follow-up for days"), min_value=0, max_value=36500, decimal_places=0
    )

    class Meta:
        model = Account
        fields: list[str] = []

    def filter_idle_days(self, queryset, _name, value):
        cutoff = timezone.now() - timedelta(days=int(value))
        return queryset.filter(Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=cutoff))


class ContactFilter(df.FilterSet):
    search = df.CharFilter(
        label=_("Search"),
        method=_search(
            "name__icontains", "mobile__contains", "phone__contains", "email__icontains", "title__icontains"
        ),
    )
    account = _id("account_links__account_id", _("Account"))
    owner = _id("owner_id", OWNER)

    class Meta:
        model = Contact
        fields: list[str] = []


class LeadFilter(df.FilterSet):
    search = df.CharFilter(
        label=_("Search"), method=_search("company__icontains", "contact_name__icontains", "phone__contains")
    )
    status = df.ChoiceFilter(choices=LeadStatus.choices, label=_("Status"))
    source = df.ChoiceFilter(choices=LeadSource.choices, label=_("Source"))
    owner = _id("owner_id", OWNER)
    overdue = df.BooleanFilter(method="filter_overdue", label=_("First response overdue"))
    created_after = df.DateFilter(field_name="created_at__date", lookup_expr="gte", label=_("Created from"))
    created_before = df.DateFilter(field_name="created_at__date", lookup_expr="lte", label=_("Created until"))

    class Meta:
        model = Lead
        fields: list[str] = []

    def filter_overdue(self, queryset, _name, value):
        overdue = Q(status=LeadStatus.NEW, first_response_at__isnull=True, response_due_at__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class DealFilter(df.FilterSet):
    search = df.CharFilter(
        label=_("Search"), method=_search("name__icontains", "number__icontains", "account__name__icontains")
    )
    status = df.ChoiceFilter(choices=DealStatus.choices, label=_("Status"))
    pipeline = _id("pipeline_id", _("Pipeline"))
    stage = _id("stage_id", _("Stage"))
    owner = _id("owner_id", OWNER)
    account = _id("account_id", _("Account"))
    deal_type = df.ChoiceFilter(choices=DealType.choices, label=_("Deal type"))
    close_after = df.DateFilter(field_name="expected_close_date", lookup_expr="gte", label=_("Closing from"))
    close_before = df.DateFilter(field_name="expected_close_date", lookup_expr="lte", label=_("Closing until"))
    min_amount = df.NumberFilter(
        field_name="amount", lookup_expr="gte", label=_("Amount from"), min_value=0, max_value=MAX_AMOUNT
    )
    max_amount = df.NumberFilter(
        field_name="amount", lookup_expr="lte", label=_("Amount up to"), min_value=0, max_value=MAX_AMOUNT
    )

    class Meta:
        model = Deal
        fields: list[str] = []


class ActivityFilter(df.FilterSet):
    kind = df.ChoiceFilter(choices=ActivityKind.choices, label=_("Kind"))
    account = _id("account_id", _("Account"))
    contact = _id("contact_id", _("Contact"))
    lead = _id("lead_id", _("Lead"))
    deal = _id("deal_id", _("Deal"))
    project = _id("project_id", _("Project"))
    owner = _id("owner_id", OWNER)
    done = df.BooleanFilter(label=_("Done"))
    occurred_after = df.DateFilter(field_name="occurred_at__date", lookup_expr="gte", label=_("From"))
    occurred_before = df.DateFilter(field_name="occurred_at__date", lookup_expr="lte", label=_("Until"))
    next_contact_before = df.DateFilter(field_name="next_contact_on", lookup_expr="lte", label=_("Next contact by"))

    class Meta:
        model = Activity
        fields: list[str] = []


class ContractFilter(df.FilterSet):
    search = df.CharFilter(
        label=_("Search"), method=_search("name__icontains", "number__icontains", "account__name__icontains")
    )
    status = df.ChoiceFilter(choices=ContractStatus.choices, label=_("Status"))
    contract_type = df.ChoiceFilter(choices=ContractType.choices, label=_("Type"))
    account = _id("account_id", _("Account"))
    deal = _id("deal_id", _("Deal"))
    owner = _id("owner_id", OWNER)
    signed_after = df.DateFilter(field_name="signed_on", lookup_expr="gte", label=_("Signed from"))
    signed_before = df.DateFilter(field_name="signed_on", lookup_expr="lte", label=_("Signed until"))
    end_before = df.DateFilter(field_name="end_on", lookup_expr="lte", label=_("Ending by"))

    class Meta:
        model = Contract
        fields: list[str] = []


class PaymentMilestoneFilter(df.FilterSet):
    contract = _id("contract_id", _("Contract"))
    status = df.ChoiceFilter(choices=MilestoneStatus.choices, label=_("Status"))
    due_after = df.DateFilter(field_name="due_on", lookup_expr="gte", label=_("Due from"))
    due_before = df.DateFilter(field_name="due_on", lookup_expr="lte", label=_("Due until"))
    is_retention = df.BooleanFilter(label=_("Retention"))

    class Meta:
        model = PaymentMilestone
        fields: list[str] = []


class ReceiptFilter(df.FilterSet):
    contract = _id("contract_id", _("Contract"))
    milestone = _id("milestone_id", _("Payment period"))
    method = df.ChoiceFilter(choices=PaymentMethod.choices, label=_("Method"))
    received_after = df.DateFilter(field_name="received_on", lookup_expr="gte", label=_("Received from"))
    received_before = df.DateFilter(field_name="received_on", lookup_expr="lte", label=_("Received until"))

    class Meta:
        model = Receipt
        fields: list[str] = []


class SalesTargetFilter(df.FilterSet):
    year = df.NumberFilter()
    month = df.NumberFilter()
    level = df.ChoiceFilter(choices=TargetLevel.choices)
    metric = df.ChoiceFilter(choices=TargetMetric.choices)
    user = df.NumberFilter(field_name="user_id")
    department = df.NumberFilter(field_name="department_id")

    class Meta:
        model = SalesTarget
        fields = ["year", "month", "level", "metric", "user", "department"]


class PoolAccountFilter(df.FilterSet):
    """The accounts waiting in a pool: part of the company name, tier and region (the page and the endpoint)."""

    q = df.CharFilter(method="filter_name")
    tier = df.ChoiceFilter(choices=AccountTier.choices)
    region = df.ChoiceFilter(choices=Region.choices)

    class Meta:
        model = Account
        fields: list[str] = []

    def filter_name(self, queryset, _name, value):
        return queryset.filter(name__icontains=value[:100])
