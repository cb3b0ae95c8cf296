"""The feedback records on an account's timeline: its survey answers, recoveries and service requests."""

from __future__ import annotations

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from tandem.feedback.models import Recovery, ServiceRequest, SurveyResponse


def _ids(qs):
    return qs.annotate(text_id=Cast("pk", output_field=CharField())).values("text_id")


def account_changes(tenant_id: int, account) -> Q:
    """Audit rows about the account's answers, recoveries and service requests (for crm's account timeline)."""
    responses = SurveyResponse.objects.filter(tenant_id=tenant_id, account=account)
    recoveries = Recovery.objects.filter(tenant_id=tenant_id, account=account)
    requests = ServiceRequest.all_objects.filter(tenant_id=tenant_id, account=account)
    return (
        Q(object_type="feedback.surveyresponse", object_id__in=_ids(responses))
        | Q(object_type="feedback.recovery", object_id__in=_ids(recoveries))
        | Q(object_type="feedback.servicerequest", object_id__in=_ids(requests))
    )
