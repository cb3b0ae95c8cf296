# Pages speak the tenant's language (简体中文 here).
import pytest

from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.choices import SkipReason, SurveyChannel, SurveyStatus
from tandem.feedback.models import SurveyOptOut
from tandem.feedback.services import surveys as service
from tandem.testing.kit import make_member, page_client


@pytest.mark.django_db
def test_the_log_shows_every_survey_with_its_skip_reason_and_never_a_link(crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        sent = service.survey_send(access=crew.access, account=crew.account, project=crew.project)
        link = service.survey_send(
            access=crew.access, account=crew.account, contact=crew.other, channel=SurveyChannel.LINK
        )
    SurveyOptOut.objects.create(tenant=crew.tenant, address="x@example.com")
    other = make_account(crew.tenant, crew.rep.user, name="退订的客户")
    make_contact(crew.tenant, crew.rep.user, other, primary=True, name="孙总", email="x@example.com")
    skipped = service.survey_send(access=crew.access, account=other)
    assert skipped.survey.skip_reason == SkipReason.UNSUBSCRIBED
    client = page_client(crew.service)
    html = client.get("/feedback/surveys/").content.decode()
    assert "退订的客户" in html and "孙总" in html and "李经理" in html
    assert skipped.survey.get_skip_reason_display() in html or "联系人已退订满意度调查" in html
    for token in (sent.token, link.token):
        assert token not in html
    assert "/s/" not in html
    only_skipped = client.get("/feedback/surveys/", {"status": "skipped"}, HTTP_HX_REQUEST="true").content.decode()
    assert "孙总" in only_skipped and "李经理" not in only_skipped and "<html" not in only_skipped
    by_reason = client.get("/feedback/surveys/", {"skip_reason": "quiet_period"}).content.decode()
    assert "孙总" not in by_reason
    by_channel = client.get("/feedback/surveys/", {"channel": "link"}).content.decode()
    assert "王工" in by_channel and "孙总" not in by_channel
    by_account = client.get("/feedback/surveys/", {"account": other.pk}).content.decode()
    assert "孙总" in by_account and "李经理" not in by_account
    by_date = client.get("/feedback/surveys/", {"created_from": "2999-01-01"}).content.decode()
    assert "孙总" not in by_date
    assert sent.survey.status == SurveyStatus.SENT


@pytest.mark.django_db
def test_only_members_who_may_see_surveys_open_the_log(crew):
    manager = make_member(crew.tenant, "sales_manager")  # feedback.view_*
    assert page_client(manager).get("/feedback/surveys/").status_code == 200
    assert page_client(make_member(crew.tenant, "finance")).get("/feedback/surveys/").status_code == 403
    assert page_client(crew.rep).get("/feedback/surveys/").status_code == 403
