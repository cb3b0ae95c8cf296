from tandem.feedback.models import FeedbackSettings
from tandem.feedback.models.settings import DEFAULT_WEIGHTS
from tandem.feedback.services.settings import feedback_settings


def test_settings_are_created_with_defaults_once(tenant):
    first = feedback_settings(tenant_id=tenant.id)
    assert first.health_weights == DEFAULT_WEIGHTS
    assert feedback_settings(tenant_id=tenant.id).pk == first.pk
    assert FeedbackSettings.objects.filter(tenant=tenant).count() == 1
