"""The tenant's feedback settings, made with their defaults on first use."""

from __future__ import annotations

from tandem.feedback.models import FeedbackSettings


def feedback_settings(*, tenant_id: int) -> FeedbackSettings:
    found = FeedbackSettings.objects.filter(tenant_id=tenant_id).first()
    if found is not None:
        return found
    settings, _created = FeedbackSettings.objects.get_or_create(tenant_id=tenant_id)
    return settings
