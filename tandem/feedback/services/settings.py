"""The tenant's feedback settings: read with defaults created on first use."""

from tandem.feedback.models import FeedbackSettings


def feedback_settings(*, tenant_id) -> FeedbackSettings:
    """The tenant's FeedbackSettings, created with the defaults the first time they are asked for."""
    settings, _created = FeedbackSettings.objects.get_or_create(tenant_id=tenant_id)
    return settings
