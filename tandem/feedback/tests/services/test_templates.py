"""The default survey template per language: made once from the default wording, in that language."""

import pytest

from tandem.feedback.models import SurveyTemplate
from tandem.feedback.services.templates import template_default

pytestmark = pytest.mark.django_db


def test_each_language_gets_its_own_default_once(tenant):
    english = template_default(tenant_id=tenant.pk, language="en")
    chinese = template_default(tenant_id=tenant.pk, language="zh-hans")
    assert english.language == "en" and english.nps_question.startswith("How likely")
    assert chinese.language == "zh-hans" and chinese.nps_question != english.nps_question
    for _ in range(3):
        assert template_default(tenant_id=tenant.pk, language="en") == english
        assert template_default(tenant_id=tenant.pk, language="zh-hans") == chinese
    assert SurveyTemplate.objects.filter(tenant=tenant).count() == 2
