"""List filters of the feedback app: the survey log, and the accounts a bulk send goes to."""

from __future__ import annotations

import django_filters as df
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.crm.filters import AccountFilter
from tandem.feedback.choices import SkipReason, SurveyChannel, SurveyStatus
from tandem.feedback.models import Survey
from tandem.projects.choices import ProjectStatus
from tandem.projects.models import Project

MAX_ID = 2**63 - 1


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
    batch = df.NumberFilter(field_name="batch_id", label=_("Batch"), min_value=1, max_value=MAX_ID, decimal_places=0)
    account = df.NumberFilter(
        field_name="account_id", label=_("Account"), min_value=1, max_value=MAX_ID, decimal_places=0
    )
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
