import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.approvals.choices import ApprovalStatus, TaskStatus
from tandem.approvals.models import ApprovalTask
from tandem.approvals.tests.url_objects import seed_flow, seed_task
from tandem.crm.tests.factories import make_contract
from tandem.testing.kit import page_client, page_text

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def flow(crew):
    return seed_flow(crew.tenant, approver_ids=[crew.manager.user.pk])


def _tasks(crew, flow, n):
    return [
        seed_task(
            crew.tenant,
            submitter=crew.rep.user,
            approver=crew.manager.user,
            contract=make_contract(crew.tenant, crew.rep.user, crew.account, status="draft"),
            flow=flow,
        )
        for _ in range(n)
    ]


@pytest.mark.django_db
def test_the_tabs_count_and_list_what_waits_for_me(crew, flow):
    waiting = _tasks(crew, flow, 2)
    client = page_client(crew.manager)
    page = client.get("/approvals/")
    assert page.status_code == 200
    assert page.context["counts"]["todo"] == 2
    html = page.content.decode()
    for task in waiting:
        assert f'id="task-{task.pk}"' in html and task.approval.title in html
    # The top bar's badge counts it too, on every page.
    assert 'id="topbar-approvals-count">2<' in client.get("/").content.decode().replace("\n", "")
    # The submitter sees them under "submitted by me", not under "to do".
    mine = page_client(crew.rep)
    assert mine.get("/approvals/").context["cards"] == []
    submitted = mine.get("/approvals/?box=submitted")
    assert {c["approval"].pk for c in submitted.context["cards"]} == {t.approval_id for t in waiting}


@pytest.mark.django_db
def test_the_filters_narrow_the_list_and_an_htmx_request_gets_the_rows_alone(crew, flow):
    _tasks(crew, flow, 2)
    client = page_client(crew.manager)
    rows = client.get(f"/approvals/?box=todo&submitter={crew.admin.user.pk}", **HTMX)
    assert rows.templates[0].name == "approvals/partials/inbox_rows.html"
    assert rows.context["cards"] == []
    assert len(client.get(f"/approvals/?box=todo&submitter={crew.rep.user.pk}").context["cards"]) == 2
    bad = client.get("/approvals/?box=todo&date_from=not-a-date")
    assert bad.status_code == 200 and len(bad.context["cards"]) == 2


@pytest.mark.django_db
def test_my_approvals_issue_constant_queries(crew, flow):
    client = page_client(crew.manager)
    _tasks(crew, flow, 5)
    client.get("/approvals/")
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/approvals/?per_page=50").context["cards"]) == 5
    _tasks(crew, flow, 45)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/approvals/?per_page=50").context["cards"]) == 50
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


@pytest.mark.django_db
def test_rejecting_needs_a_comment_and_changes_nothing_without_one(crew, flow):
    (task,) = _tasks(crew, flow, 1)
    response = page_client(crew.manager).post(f"/approvals/tasks/{task.pk}/reject/", {"comment": " "}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert page_text("Say why you reject it.") in html and f'id="task-{task.pk}"' in html
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING and task.approval.status == ApprovalStatus.PENDING


@pytest.mark.django_db
def test_someone_elses_task_is_not_found(crew, flow):
    (task,) = _tasks(crew, flow, 1)
    for member in (crew.rep, crew.admin):
        client = page_client(member)
        assert client.post(f"/approvals/tasks/{task.pk}/approve/", **HTMX).status_code == 404
        assert client.get(f"/approvals/tasks/{task.pk}/transfer/", **HTMX).status_code == 404
    assert ApprovalTask.objects.get(pk=task.pk).status == TaskStatus.PENDING


@pytest.mark.django_db
def test_the_move_forms_open_inside_the_card(crew, flow):
    (task,) = _tasks(crew, flow, 1)
    client = page_client(crew.manager)
    transfer = client.get(f"/approvals/tasks/{task.pk}/transfer/", **HTMX)
    assert transfer.templates[0].name == "approvals/partials/move_form.html"
    assert "王经理" in transfer.content.decode()
    # The first node has nowhere earlier to go back to: the form says so instead of offering nothing.
    back = client.get(f"/approvals/tasks/{task.pk}/send-back/", **HTMX).content.decode()
    assert page_text("This is the first node: there is no earlier node to send it back to. Reject it instead.") in back
    refused = client.post(f"/approvals/tasks/{task.pk}/transfer/", {"to_user": "999999"}, **HTMX)
    assert refused.status_code == 200 and "invalid-feedback" in refused.content.decode()
    assert ApprovalTask.objects.get(pk=task.pk).status == TaskStatus.PENDING


@pytest.mark.django_db
def test_open_goes_to_the_record(crew, flow):
    (task,) = _tasks(crew, flow, 1)
    response = page_client(crew.manager).get(f"/approvals/{task.approval_id}/open/")
    assert response.status_code == 302
    assert response["Location"] == f"/crm/contracts/{task.approval.object_id}/"


def _submitted(crew, n):
    """`n` draft contracts of the salesperson submitted on a flow the sales manager approves (the real services)."""
    from tandem.approvals.services import approval_submit, flow_create
    from tandem.approvals.tests.url_objects import definition

    flow_create(
        access=crew.admin_access,
        object_type="crm.contract",
        name="合同审批",
        definition=definition([crew.manager.user.pk]),
    )
    contracts = [make_contract(crew.tenant, crew.rep.user, crew.account, status="draft") for _ in range(n)]
    return [approval_submit(access=crew.rep_access, obj=c, comment="") for c in contracts]


@pytest.mark.django_db
def test_approving_in_place_updates_the_card_and_the_counts(crew):
    (approval,) = _submitted(crew, 1)
    task = ApprovalTask.objects.get(approval=approval, assignee=crew.manager.user)
    response = page_client(crew.manager).post(f"/approvals/tasks/{task.pk}/approve/", {"comment": "同意"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "decision-note" in html and 'id="box-count-todo" hx-swap-oob="true">0<' in html
    assert 'id="topbar-approvals-count" hx-swap-oob="true">0<' in html
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED


@pytest.mark.django_db
def test_bulk_approve_decides_the_chosen_tasks_only(crew):
    approvals = _submitted(crew, 3)
    tasks = list(ApprovalTask.objects.filter(approval__in=approvals, assignee=crew.manager.user).order_by("pk"))
    client = page_client(crew.manager)
    response = client.post(
        "/approvals/tasks/bulk-approve/", {"tasks": [tasks[0].pk, tasks[1].pk], "comment": "批量同意"}
    )
    assert response.status_code == 302
    for approval in approvals:
        approval.refresh_from_db()
    assert [a.status for a in approvals] == [ApprovalStatus.APPROVED, ApprovalStatus.APPROVED, ApprovalStatus.PENDING]
    # A task that is no longer waiting (or never was mine) is refused, and nothing else is decided.
    client.post("/approvals/tasks/bulk-approve/", {"tasks": [tasks[0].pk, tasks[2].pk]})
    approvals[2].refresh_from_db()
    assert approvals[2].status == ApprovalStatus.PENDING
    assert page_client(crew.rep).post("/approvals/tasks/bulk-approve/", {"tasks": [tasks[2].pk]}).status_code == 302
    approvals[2].refresh_from_db()
    assert approvals[2].status == ApprovalStatus.PENDING
