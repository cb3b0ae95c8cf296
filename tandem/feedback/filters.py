"""List filters of the feedback app: service requests (the list page, the board, the API and the export), the survey
log, and the accounts a bulk send goes to."""

from __future__ import annotations

import django_filters as df
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.crm.filters import AccountFilter
from tandem.feedback.choices import (
    OPEN_REQUEST_STATUSES,
    RequestCategory,
    RequestChannel,
    RequestPriority,
    RequestStatus,
    SkipReason,
    SurveyChannel,
    SurveyStatus,
)
from tandem.feedback.models import ServiceRequest, Survey
from tandem.feedback.selectors.requests import overdue_condition
from tandem.projects.choices import ProjectStatus
from tandem.projects.models import Project

MAX_ID = 2**63 - 1


def _id(field_name: str, label) -> df.NumberFilter:
    """A filter on a record id; values no id can have are refused rather than sent to the database."""
    return df.NumberFilter(field_name=field_name, label=label, min_value=1, max_value=MAX_ID, decimal_places=0)


class ServiceRequestFilter(df.FilterSet):
    search = df.CharFilter(label=_("Search"), method="filter_search")
    status = df.ChoiceFilter(choices=RequestStatus.choices, label=_("Status"))
    open = df.BooleanFilter(method="filter_open", label=_("Open only"))
    priority = df.ChoiceFilter(choices=RequestPriority.choices, label=_("Priority"))
    category = df.ChoiceFilter(choices=RequestCategory.choices, label=_("Category"))
    channel = df.ChoiceFilter(choices=RequestChannel.choices, label=pgettext_lazy("service request", "Channel"))
    owner = _id("owner_id", pgettext_lazy("service request", "Assignee"))
    account = _id("account_id", _("Account"))
    project = _id("project_id", _("Project"))
    overdue = df.BooleanFilter(method="filter_overdue", label=_("Overdue only"))
    mine = df.BooleanFilter(method="filter_mine", label=_("Assigned to me"))
    opened_after = df.DateFilter(field_name="opened_at__date", lookup_expr="gte", label=_("Opened from"))
    opened_before = df.DateFilter(field_name="opened_at__date", lookup_expr="lte", label=_("Opened until"))

    class Meta:
        model = ServiceRequest
        fields: list[str] = []

    def filter_search(self, queryset, _name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(subject__icontains=value) | Q(account__name__icontains=value)
        )

    def filter_open(self, queryset, _name, value):
        condition = Q(status__in=OPEN_REQUEST_STATUSES)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_overdue(self, queryset, _name, value):
        condition = overdue_condition()
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_mine(self, queryset, _name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(owner_id=user.pk)


class BatchAccountFilter(AccountFilter):
    """The account list's filters, plus a tag and "a project completed since": whom a bulk send asks."""

    tag = df.CharFilter(method="filter_tag", label=_("Tag"), max_length=40)
    completed_since = df.DateFilter(method="filter_completed_since", label=_("Project completed since"))

    def filter_tag(self, queryset, _name, value):
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.filter(tags__contains=[value])
        # SQLite has no JSON containment; its json_each compares the decoded strings.
        return queryset.extra(
            where=["EXISTS (SELECT 1 FROM json_each(crm_account.tags) WHERE json_each.value = %s)"], params=[value]
        )

    def filter_completed_since(self, queryset, _name, value):
        completed = Project.objects.filter(
            status=ProjectStatus.COMPLETED, completed_at__date__gte=value, account_id__isnull=False
        ).values("account_id")
        return queryset.filter(pk__in=completed)


class SurveyFilter(df.FilterSet):
    status = df.ChoiceFilter(choices=SurveyStatus.choices, label=_("Status"))
    channel = df.ChoiceFilter(choices=SurveyChannel.choices, label=_("Channel"))
    skip_reason = df.ChoiceFilter(choices=SkipReason.choices, label=_("Skip reason"))
    batch = _id("batch_id", _("Batch"))
    account = _id("account_id", _("Account"))
    search = df.CharFilter(method="filter_search", label=_("Search"), max_length=100)
    created_from = df.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("From"))
    created_to = df.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("To"))

    class Meta:
        model = Survey
        fields: list[str] = []

    def filter_search(self, queryset, _name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(account__name__icontains=value) | Q(contact__name__icontains=value))
