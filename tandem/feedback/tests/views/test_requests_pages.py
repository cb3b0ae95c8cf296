# Pages speak the tenant's language (简体中文 here).
from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.audit.models import AuditEntry
from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.choices import RequestStatus
from tandem.feedback.models import ServiceRequest
from tandem.feedback.services import surveys as survey_services
from tandem.feedback.services.requests import request_create, request_transition
from tandem.testing.kit import page_client

S = RequestStatus
JSON = {"HTTP_ACCEPT": "application/json"}


def open_request(crew, **fields):
    fields.setdefault("subject", "弱电系统故障报修")
    fields.setdefault("account", crew.account)
    return request_create(access=crew.access, **fields)


@pytest.fixture
def client(crew):
    return page_client(crew.service)


@pytest.mark.django_db
def test_the_list_filters_by_status_priority_assignee_search_and_overdue(crew, client):
    urgent = open_request(crew, subject="机房空调漏水", priority="urgent", owner=crew.service.user)
    low = open_request(crew, subject="发票抬头咨询", priority="low")
    late = open_request(crew, subject="门禁离线", opened_at=timezone.now() - timedelta(days=30))
    request_transition(access=crew.access, request=low, status=S.RESOLVED, resolution="已重开发票")

    def listed(query):
        html = client.get(f"/feedback/requests/?{query}").content.decode()
        return {r.subject for r in (urgent, low, late) if f'data-request="{r.pk}"' in html}

    assert listed("") == {"机房空调漏水", "发票抬头咨询", "门禁离线"}
    assert listed("priority=urgent") == {"机房空调漏水"}
    assert listed("status=resolved") == {"发票抬头咨询"}
    assert listed("open=true") == {"机房空调漏水", "门禁离线"}
    assert listed(f"owner={crew.service.user.pk}&status=assigned") == {"机房空调漏水"}
    assert listed("search=门禁") == {"门禁离线"}
    assert listed(f"search={late.number}") == {"门禁离线"}
    assert listed("overdue=true") == {"门禁离线"}
    assert listed("mine=true") >= {"机房空调漏水"}
    other = make_account(crew.tenant, crew.rep.user, name="苏州工业园区管委会")
    assert listed(f"account={other.pk}") == set()
    page = client.get("/feedback/requests/?overdue=true").content.decode()
    assert 'class="table-danger"' in page and "已超时" in page


@pytest.mark.django_db
def test_an_htmx_request_gets_the_rows_alone(crew, client):
    open_request(crew)
    rows = client.get("/feedback/requests/?priority=normal", HTTP_HX_REQUEST="true").content.decode()
    assert "<table" in rows and "<html" not in rows


@pytest.mark.django_db
def test_a_board_move_changes_the_status_and_an_illegal_move_is_refused(crew, client):
    item = open_request(crew, owner=crew.service.user)
    board = client.get("/feedback/requests/board/").content.decode()
    assert f'id="request-card-{item.pk}"' in board and 'data-board-column="waiting"' in board

    moved = client.post(f"/feedback/requests/{item.pk}/transition/", {"status": "in_progress"}, **JSON)
    assert moved.status_code == 200 and moved.json()["ok"] and f"request-card-{item.pk}" in moved.json()["card"]
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS

    refused = client.post(f"/feedback/requests/{item.pk}/transition/", {"status": "new"}, **JSON)
    assert refused.status_code == 400 and refused.json()["ok"] is False and "不能" in refused.json()["message"]
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS

    unresolved = client.post(f"/feedback/requests/{item.pk}/transition/", {"status": "resolved"}, **JSON)
    assert unresolved.status_code == 400 and "resolution" in unresolved.json()["errors"]
    resolved = client.post(
        f"/feedback/requests/{item.pk}/transition/", {"status": "resolved", "resolution": "更换交换机"}, **JSON
    )
    assert resolved.status_code == 200
    item.refresh_from_db()
    assert item.status == S.RESOLVED and item.resolution == "更换交换机"


@pytest.mark.django_db
def test_the_detail_page_shows_zh_labels_the_sla_and_escapes_what_people_typed(crew, client):
    item = open_request(crew, description="<script>alert('x')</script> 三楼弱电间", contact=crew.contact)
    page = client.get(f"/feedback/requests/{item.pk}/").content.decode()
    assert "首次响应截止" in page and "解决截止" in page and "负责人" in page
    assert "<script>alert('x')</script>" not in page and "&lt;script&gt;" in page
    assert crew.account.name in page and crew.contact.name in page
    assert 'id="to-assigned"' in page and 'id="to-resolved"' in page and 'id="to-new"' not in page
    assert "feedback.servicerequest" in page  # the attachments of the record
    assert 'id="timeline"' in page and item.number in page


@pytest.mark.django_db
def test_the_buttons_assign_resolve_reopen_and_delete(crew, client):
    item = open_request(crew)
    response = client.post(f"/feedback/requests/{item.pk}/assign/", {"owner": crew.pm.user.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.owner_id == crew.pm.user.pk and item.status == S.ASSIGNED

    client.post(f"/feedback/requests/{item.pk}/transition/", {"status": "resolved"})
    item.refresh_from_db()
    assert item.status == S.ASSIGNED  # a resolution is required
    client.post(f"/feedback/requests/{item.pk}/transition/", {"status": "resolved", "resolution": "远程重启"})
    item.refresh_from_db()
    assert item.status == S.RESOLVED
    page = client.get(f"/feedback/requests/{item.pk}/").content.decode()
    assert "远程重启" in page and 'id="to-in_progress"' in page and "→ 已解决" in page

    response = client.post(f"/feedback/requests/{item.pk}/delete/")
    assert response.status_code == 302 and response.url == "/feedback/requests/"
    assert not ServiceRequest.objects.filter(pk=item.pk).exists()
    assert ServiceRequest.all_objects.get(pk=item.pk).deleted_at is not None
    assert client.get(f"/feedback/requests/{item.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_form_opens_a_request_prefilled_from_the_account(crew, client):
    page = client.get(f"/feedback/requests/new/?account={crew.account.pk}").content.decode()
    assert crew.account.name in page and crew.project.name in page
    response = client.post(
        "/feedback/requests/new/",
        {
            "subject": "监控画面黑屏",
            "account": crew.account.pk,
            "contact": crew.contact.pk,
            "project": crew.project.pk,
            "channel": "wechat",
            "category": "fault",
            "priority": "high",
            "description": "",
            "owner": crew.service.user.pk,
        },
    )
    item = ServiceRequest.objects.get()
    assert response.status_code == 302 and response.url == f"/feedback/requests/{item.pk}/"
    assert item.project == crew.project and item.status == S.ASSIGNED and item.number.startswith("GD-")


@pytest.mark.django_db
def test_the_project_choices_follow_the_account(crew, client):
    other = make_account(crew.tenant, crew.rep.user, name="苏州工业园区管委会")
    assert (
        crew.project.name in client.get(f"/feedback/requests/form/projects/?account={crew.account.pk}").content.decode()
    )
    assert crew.project.name not in client.get(f"/feedback/requests/form/projects/?account={other.pk}").content.decode()


@pytest.mark.django_db
def test_form_errors_change_nothing(crew, client):
    other = make_account(crew.tenant, crew.rep.user, name="苏州工业园区管委会")
    stranger = make_contact(crew.tenant, crew.rep.user, other, name="钱主任")
    base = {"account": crew.account.pk, "channel": "phone", "category": "question", "priority": "normal"}
    missing = client.post("/feedback/requests/new/", {**base, "subject": ""})
    assert missing.status_code == 200 and "该字段是必填项" in missing.content.decode()
    wrong = client.post("/feedback/requests/new/", {**base, "subject": "咨询", "contact": stranger.pk})
    assert wrong.status_code == 200 and "invalid-feedback" in wrong.content.decode()
    assert not ServiceRequest.objects.exists()

    item = open_request(crew)
    audited = AuditEntry.objects.count()
    edit = client.post(f"/feedback/requests/{item.pk}/edit/", {**base, "subject": "改了", "contact": stranger.pk})
    assert edit.status_code == 200
    item.refresh_from_db()
    assert item.subject == "弱电系统故障报修" and item.contact_id is None and AuditEntry.objects.count() == audited


@pytest.mark.django_db
def test_editing_keeps_a_new_request_new_unless_the_assignee_changes(crew, client):
    item = open_request(crew)
    base = {"account": crew.account.pk, "channel": "phone", "category": "question", "priority": "urgent"}
    client.post(f"/feedback/requests/{item.pk}/edit/", {**base, "subject": "紧急", "owner": item.owner_id})
    item.refresh_from_db()
    assert item.subject == "紧急" and item.priority == "urgent" and item.status == S.NEW


@pytest.mark.django_db
def test_the_account_and_project_pages_list_the_open_requests(crew, client):
    item = open_request(crew, project=crew.project)
    account_page = client.get(f"/crm/accounts/{crew.account.pk}/").content.decode()
    assert 'id="service-requests-panel"' in account_page and item.number in account_page
    assert f"/feedback/requests/new/?account={crew.account.pk}" in account_page
    project_page = client.get(f"/projects/{crew.project.pk}/").content.decode()
    assert 'id="service-requests-panel"' in project_page and item.number in project_page


@pytest.mark.django_db
def test_the_navigation_shows_the_service_section(crew, client):
    home = client.get("/").content.decode()
    assert "/feedback/requests/" in home and "/feedback/requests/board/" in home


@pytest.mark.django_db
def test_a_request_from_a_survey_answer_shows_the_score_and_the_comment_escaped(crew, client):
    from tandem.feedback.models import SurveyResponse

    sent = survey_services.survey_send(access=crew.access, account=crew.account, project=crew.project)
    answer = SurveyResponse.objects.create(
        tenant=crew.tenant,
        survey=sent.survey,
        account=crew.account,
        project=crew.project,
        score=3,
        category="detractor",
        comment="<img src=x onerror=alert(1)> 工期拖延",
        language="zh-hans",
        submitted_at=timezone.now(),
    )
    item = open_request(crew, project=crew.project, survey_response=answer, channel="survey")
    page = client.get(f"/feedback/requests/{item.pk}/").content.decode()
    assert 'id="survey-score">3<' in page and "贬损者" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; 工期拖延" in page


@pytest.mark.django_db
def test_the_list_and_the_board_cost_the_same_queries_for_more_rows(crew, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    open_request(crew, contact=crew.contact, project=crew.project, owner=crew.service.user)
    queries("/feedback/requests/"), queries("/feedback/requests/board/")  # caches filled once
    few = queries("/feedback/requests/"), queries("/feedback/requests/board/")
    for n in range(4):
        open_request(crew, subject=f"报修 {n}", contact=crew.contact, project=crew.project, owner=crew.pm.user)
    assert (queries("/feedback/requests/"), queries("/feedback/requests/board/")) == few
