"""Objects for the generic permission test: each feedback URL with parameters, filled with a colleague's record."""

from datetime import timedelta

from django.utils import timezone

from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.models import Survey, SurveyResponse
from tandem.feedback.services.templates import template_default
from tandem.feedback.tokens import nonce_new, token_for
from tandem.testing.permissions import colleague, seed_name, url_objects


def _survey(tenant) -> Survey:
    owner = colleague(tenant, "sales").user
    account = make_account(tenant, owner, name=seed_name(tenant, "survey account"))
    contact = make_contact(tenant, owner, account, primary=True, email="a@example.com")
    return Survey.objects.create(
        tenant=tenant,
        template=template_default(tenant_id=tenant.pk, language="zh-hans"),
        account=account,
        contact=contact,
        language="zh-hans",
        address="a@example.com",
        nonce=nonce_new(),
        sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=30),
    )


@url_objects("api:survey-detail")
def survey(tenant):
    return {"pk": _survey(tenant).pk}


@url_objects("api:surveytemplate-detail")
def template(tenant):
    return {"pk": template_default(tenant_id=tenant.pk, language="zh-hans").pk}


@url_objects("api:surveyresponse-detail")
def response(tenant):
    survey = _survey(tenant)
    answer = SurveyResponse.objects.create(
        tenant=tenant,
        survey=survey,
        account=survey.account,
        score=8,
        category="passive",
        language="zh-hans",
        submitted_at=timezone.now(),
    )
    return {"pk": answer.pk}


@url_objects("survey:answer", "survey:unsubscribe")
def survey_link(tenant):
    return {"token": token_for(_survey(tenant).nonce)}


@url_objects("feedback:template_update", "feedback:template_default", "feedback:template_delete")
def template_page(tenant):
    from tandem.feedback.models import SurveyTemplate

    base = template_default(tenant_id=tenant.pk, language="zh-hans")
    copy = SurveyTemplate.objects.create(
        tenant=tenant,
        name=seed_name(tenant, "template"),
        language="zh-hans",
        nps_question=base.nps_question,
        comment_label=base.comment_label,
        thank_you=base.thank_you,
    )
    return {"pk": copy.pk}


@url_objects("feedback:batch_detail", "api:surveybatch-detail")
def batch(tenant):
    from tandem.feedback.models import SurveyBatch

    survey = _survey(tenant)
    batch = SurveyBatch.objects.create(
        tenant=tenant, created_by=colleague(tenant, "service").user, template=survey.template, total=1, sent=1
    )
    Survey.objects.filter(pk=survey.pk).update(batch=batch)
    return {"pk": batch.pk}
