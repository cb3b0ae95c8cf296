"""Objects for the generic permission test: each feedback URL with parameters, filled with a colleague's record."""

from datetime import timedelta

from django.utils import timezone

from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.models import ServiceRequest, Survey, SurveyResponse
from tandem.feedback.services.requests import request_create
from tandem.feedback.services.templates import template_default
from tandem.feedback.tokens import nonce_new, token_for
from tandem.testing.kit import access_for
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


def _recovery(tenant):
    from tandem.feedback.models import Recovery

    survey = _survey(tenant)
    answer = SurveyResponse.objects.create(
        tenant=tenant,
        survey=survey,
        account=survey.account,
        score=3,
        category="detractor",
        language="zh-hans",
        submitted_at=timezone.now(),
    )
    return Recovery.objects.create(tenant=tenant, response=answer, account=survey.account)


@url_objects("feedback:recovery_close", "api:recovery-detail", "api:recovery-close")
def recovery(tenant):
    return {"pk": _recovery(tenant).pk}


@url_objects("api:healthscore-detail")
def health_score(tenant):
    from tandem.feedback.services.health import health_compute

    owner = colleague(tenant, "sales").user
    return {"pk": health_compute(make_account(tenant, owner, name=seed_name(tenant, "health account"))).pk}


def _service_request(tenant) -> ServiceRequest:
    agent = colleague(tenant, "service")
    account = make_account(tenant, agent.user, name=seed_name(tenant, "request account"))
    return request_create(
        access=access_for(agent), account=account, subject=seed_name(tenant, "service request"), owner=agent.user
    )


@url_objects(
    "feedback:request_detail",
    "feedback:request_update",
    "feedback:request_transition",
    "feedback:request_assign",
    "feedback:request_delete",
    "api:servicerequest-detail",
    "api:servicerequest-transition",
    "api:servicerequest-assign",
)
def service_request(tenant):
    return {"pk": _service_request(tenant).pk}


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
