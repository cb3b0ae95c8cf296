# Pages speak the tenant's language (简体中文 here).
import pytest

from tandem.feedback.models import Survey
from tandem.feedback.services import surveys as service
from tandem.testing.kit import make_member, page_client


@pytest.mark.django_db
def test_the_project_page_sends_a_survey_and_shows_the_answer(crew):
    client = page_client(crew.service)
    page = client.get(f"/projects/{crew.project.pk}/").content.decode()
    assert 'id="satisfaction-panel"' in page and "尚未发送满意度调查。" in page
    response = client.post(
        "/feedback/surveys/send/",
        {"account": crew.account.pk, "project": crew.project.pk, "contact": crew.contact.pk, "channel": "email"},
        follow=True,
    )
    assert "满意度调查已发送给李经理。" in response.content.decode()
    survey = Survey.objects.get()
    assert survey.project == crew.project and survey.contact == crew.contact
    again = client.post(
        "/feedback/surveys/send/", {"account": crew.account.pk, "project": crew.project.pk}, follow=True
    ).content.decode()
    assert "未发送：该项目的调查已发送过。" in again
    token = service.tokens.token_for(survey.nonce)
    service.response_submit(token=token, score=3, comment="<script>x</script>太慢")
    html = client.get(f"/crm/accounts/{crew.account.pk}/").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;太慢" in html and "<script>x</script>" not in html
    assert "贬损者" in html


@pytest.mark.django_db
def test_a_link_for_wechat_is_shown_once_to_the_sender(crew):
    client = page_client(crew.service)
    response = client.post(
        "/feedback/surveys/send/",
        {"account": crew.account.pk, "contact": crew.other.pk, "channel": "link"},
        follow=True,
    ).content.decode()
    assert "/s/" in response and "仅可使用一次" in response
    assert Survey.objects.get().contact == crew.other


@pytest.mark.django_db
def test_members_without_the_permission_neither_see_the_form_nor_send(crew):
    client = page_client(make_member(crew.tenant, "finance"))  # reads projects, not surveys
    page = client.get(f"/projects/{crew.project.pk}/").content.decode()
    assert "浦东园区弱电改造" in page and "发送满意度调查" not in page
    assert client.post("/feedback/surveys/send/", {"account": crew.account.pk}).status_code == 403
    assert not Survey.objects.exists()
