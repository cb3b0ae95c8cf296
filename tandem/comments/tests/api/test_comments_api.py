from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.comments.models import Comment
from tandem.comments.services.comments import comment_create
from tandem.testing.kit import api_client

PROBLEM = "application/problem+json"


def thread_url(deal):
    return f"/api/v1/comments/records/crm.deal/{deal.pk}/"


def test_post_list_read_edit_and_delete_a_comment(crew):
    client = api_client(crew.rep)
    response = client.post(thread_url(crew.deal), {"body": "@李敏 <b>报价</b> 已发"}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["author_name"] == "陈晓"
    assert [m["id"] for m in data["mentions"]] == [crew.admin.user_id]
    assert data["html"] == '<span class="mention">@李敏</span> &lt;b&gt;报价&lt;/b&gt; 已发'
    pk = data["id"]

    listed = client.get(thread_url(crew.deal)).json()
    assert [row["id"] for row in listed["results"]] == [pk]

    patched = client.patch(f"/api/v1/comments/{pk}/", {"body": "报价已发，请查收"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["body"] == "报价已发，请查收"
    assert patched.json()["mentions"] == []
    assert patched.json()["edited_at"]

    assert client.delete(f"/api/v1/comments/{pk}/").status_code == 204
    gone = client.get(f"/api/v1/comments/{pk}/").json()
    assert gone["is_deleted"] is True
    assert gone["body"] == ""


def test_files_go_up_as_multipart(crew):
    upload = SimpleUploadedFile("清单.csv", b"a,b\n1,2\n", content_type="text/csv")
    response = api_client(crew.rep).post(thread_url(crew.deal), {"body": "清单", "files": [upload]}, format="multipart")
    assert response.status_code == 201, response.content
    assert [f["name"] for f in response.json()["attachments"]] == ["清单.csv"]


def test_bad_input_is_problem_json_and_changes_nothing(crew):
    client = api_client(crew.rep)
    for body in ({"body": ""}, {"body": "长" * 4001}, {}):
        response = client.post(thread_url(crew.deal), body, format="json")
        assert response.status_code == 400
        assert response["Content-Type"].startswith(PROBLEM)
        assert "body" in response.json()["errors"]
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00")
    response = client.post(thread_url(crew.deal), {"body": "x", "files": [bad]}, format="multipart")
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)
    assert not Comment.objects.exists()


def test_an_edit_after_the_window_and_by_another_member_is_refused(crew):
    comment = comment_create(access=crew.rep_access, type_key="crm.deal", object_id=crew.deal.pk, body="原文")
    url = f"/api/v1/comments/{comment.pk}/"
    assert api_client(crew.admin).patch(url, {"body": "改"}, format="json").status_code == 403
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        late = api_client(crew.rep).patch(url, {"body": "改"}, format="json")
    assert late.status_code == 400
    assert "15" in late.json()["errors"]["body"][0]  # "15 minutes" in the tenant's language
    assert api_client(crew.finance).delete(url).status_code == 403
    assert Comment.objects.get().body == "原文"


def test_another_tenants_or_out_of_scope_record_is_404(crew):
    comment = comment_create(access=crew.rep_access, type_key="crm.deal", object_id=crew.deal.pk, body="内部")
    for member, url in (
        (crew.stranger, thread_url(crew.deal)),
        (crew.stranger, f"/api/v1/comments/{comment.pk}/"),
        (crew.rep2, thread_url(crew.deal)),
        (crew.rep2, f"/api/v1/comments/{comment.pk}/"),
        (crew.rep, thread_url(crew.other_deal)),
        (crew.rep, f"/api/v1/comments/records/nope.nope/{crew.deal.pk}/"),
    ):
        response = api_client(member).get(url)
        assert response.status_code == 404, (member, url)
        assert response["Content-Type"].startswith(PROBLEM)
    posted = api_client(crew.stranger).post(thread_url(crew.deal), {"body": "x"}, format="json")
    assert posted.status_code == 404
    assert Comment.objects.count() == 1


def _thread_queries(crew, n):
    Comment.objects.all().delete()
    for i in range(n):
        comment_create(access=crew.rep_access, type_key="crm.deal", object_id=crew.deal.pk, body=f"@李敏 @孙丽 第{i}条")
    client = api_client(crew.rep)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(thread_url(crew.deal) + "?page_size=100")
    assert len(response.json()["results"]) == n
    return len(queries)


def test_a_thread_of_50_costs_the_queries_of_a_thread_of_5(crew):
    assert _thread_queries(crew, 50) == _thread_queries(crew, 5)
