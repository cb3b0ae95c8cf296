import pytest

from tandem.feedback.models import Survey, SurveyTemplate
from tandem.feedback.services import surveys as service
from tandem.testing.kit import api_client, make_member

API = "/api/v1/feedback/"


@pytest.mark.django_db
def test_posting_a_survey_sends_it_and_no_token_is_ever_listed(crew):
    client = api_client(crew.service)
    response = client.post(f"{API}surveys/", {"account": crew.account.pk, "project": crew.project.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "sent" and body["link"] is None and body["score"] is None
    survey = Survey.objects.get()
    listed = client.get(f"{API}surveys/").content.decode() + client.get(f"{API}surveys/{survey.pk}/").content.decode()
    assert survey.nonce not in listed and "nonce" not in listed
    # A link-only send hands the link back once, for WeChat.
    linked = client.post(
        f"{API}surveys/", {"account": crew.account.pk, "contact": crew.other.pk, "channel": "link"}, format="json"
    ).json()
    assert linked["link"].startswith("http") and "/s/" in linked["link"]
    survey2 = Survey.objects.get(pk=linked["id"])
    assert survey2.nonce not in client.get(f"{API}surveys/{survey2.pk}/").content.decode()


@pytest.mark.django_db
def test_bad_input_is_a_problem_and_writes_nothing(crew, other_tenant):
    client = api_client(crew.service)
    for payload in (
        {},
        {"account": 999999},
        {"account": crew.account.pk, "channel": "fax"},
        {"account": crew.account.pk, "project": "x"},
    ):
        response = client.post(f"{API}surveys/", payload, format="json")
        assert response.status_code == 400, payload
        assert response["Content-Type"].startswith("application/problem+json")
    assert not Survey.objects.exists()
    finance = make_member(crew.tenant, "finance")  # no feedback permissions
    assert api_client(finance).post(f"{API}surveys/", {"account": crew.account.pk}, format="json").status_code == 403


@pytest.mark.django_db
def test_templates_and_answers_through_the_api(crew):
    client = api_client(crew.service)
    created = client.post(
        f"{API}templates/",
        {"name": "回访问卷", "questions": [{"kind": "choice", "label": "您会再次合作吗？", "choices": ["会", "不会"]}]},
        format="json",
    )
    assert created.status_code == 201, created.content
    bad = client.post(
        f"{API}templates/",
        {"name": "坏问卷", "questions": [{"kind": "choice", "label": "x", "choices": ["a"]}]},
        format="json",
    )
    assert bad.status_code == 400 and "questions.0.choices" in str(bad.json())
    assert SurveyTemplate.objects.filter(name="坏问卷").count() == 0
    template = SurveyTemplate.objects.get(name="回访问卷")
    sent = service.survey_send(access=crew.access, account=crew.account, template=template)
    service.response_submit(token=sent.token, score=10, answers={template.questions[0]["key"]: "会"})
    [answer] = client.get(f"{API}responses/").json()["results"]
    assert answer["score"] == 10 and answer["category"] == "promoter"
