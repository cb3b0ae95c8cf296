import pytest
from django.test import Client

from tandem.feedback.choices import SurveyStatus
from tandem.feedback.models import Survey, SurveyOptOut, SurveyResponse
from tandem.feedback.services import surveys as service


def _sent(crew, **kw):
    return service.survey_send(access=crew.access, account=crew.account, project=crew.project, **kw)


def _path(sent) -> str:
    return sent.link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.mark.django_db
def test_the_customer_answers_without_an_account_in_the_surveys_language(crew):
    sent = _sent(crew)
    client = Client(enforce_csrf_checks=True)
    page = client.get(_path(sent))
    html = page.content.decode()
    assert page.status_code == 200 and 'lang="zh-hans"' in html
    assert "浦东园区弱电改造" in html and 'name="score"' in html and html.count('type="radio" name="score"') == 11
    token = page.cookies["csrftoken"].value
    comment = "<script>alert(1)</script> 工期拖了两周"
    done = client.post(_path(sent), {"score": "4", "comment": comment, "csrfmiddlewaretoken": token})
    assert done.status_code == 200 and "<script>alert(1)" not in done.content.decode()
    response = SurveyResponse.objects.get()
    assert response.score == 4 and response.comment == comment
    again = client.get(_path(sent))
    assert again.status_code == 410 and "<form" not in again.content.decode()


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(crew):
    sent = _sent(crew)
    response = Client(enforce_csrf_checks=True).post(_path(sent), {"score": "9"})
    assert response.status_code == 403 and not SurveyResponse.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("score", ["11", "-1", "7.5", ""])
def test_a_bad_score_shows_the_form_again_and_writes_nothing(crew, score):
    sent = _sent(crew)
    page = Client().post(_path(sent), {"score": score, "comment": "<b>x</b>"})
    html = page.content.decode()
    assert page.status_code == 400 and 'id="score-error"' in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert not SurveyResponse.objects.exists() and Survey.objects.get().status == SurveyStatus.SENT


@pytest.mark.django_db
def test_a_tampered_link_gets_a_friendly_page(crew):
    sent = _sent(crew)
    path = _path(sent)
    page = Client().post(path[:-3] + "zz/", {"score": "9"})
    assert page.status_code == 404 and "<form" not in page.content.decode()
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_unsubscribing_asks_first_then_stops_surveys(crew):
    sent = _sent(crew)
    path = _path(sent) + "unsubscribe/"
    client = Client()
    assert client.get(path).status_code == 200 and not SurveyOptOut.objects.exists()
    assert client.post(path).status_code == 200
    assert SurveyOptOut.objects.filter(address="li@pudong.example.com").exists()
