from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.comments.models import Comment
from tandem.comments.services.comments import comment_create
from tandem.testing.kit import page_client

HTMX = {"HTTP_HX_REQUEST": "true"}


def create_url(deal):
    return f"/comments/crm.deal/{deal.pk}/"


def test_posting_with_htmx_answers_the_new_comment_and_a_fresh_box(crew):
    response = page_client(crew.rep).post(
        create_url(crew.deal), {"body": "@李敏 <script>alert(1)</script>", "thread": "timeline"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    comment = Comment.objects.get()
    assert f'id="comment-{comment.pk}"' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<span class="mention">@李敏</span>' in html
    assert 'hx-swap-oob="true"' in html  # the box comes back empty
    assert "HX-Retarget" not in response


def test_an_empty_comment_shows_its_error_in_the_box_and_changes_nothing(crew):
    response = page_client(crew.rep).post(create_url(crew.deal), {"body": "", "thread": "timeline"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#comment-form-timeline"
    assert "This field is required." in response.content.decode()
    bad = SimpleUploadedFile("报价.pdf", b"not a pdf at all")
    response = page_client(crew.rep).post(
        create_url(crew.deal), {"body": "附件", "thread": "timeline", "files": [bad]}, **HTMX
    )
    assert response["HX-Retarget"] == "#comment-form-timeline"
    assert "The content is not a application/pdf file." in response.content.decode()
    assert not Comment.objects.exists()


def test_without_htmx_a_post_goes_back_to_the_record(crew):
    response = page_client(crew.rep).post(create_url(crew.deal), {"body": "普通提交"})
    assert response.status_code == 302
    assert response["Location"] == f"/crm/deals/{crew.deal.pk}/"
    assert Comment.objects.get().body == "普通提交"


def test_the_deal_page_shows_comments_in_its_timeline_escaped(crew):
    comment_create(
        access=crew.rep_access, type_key="crm.deal", object_id=crew.deal.pk, body="<script>x()</script> @李敏"
    )
    html = page_client(crew.admin).get(f"/crm/deals/{crew.deal.pk}/").content.decode()
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "<script>x()</script>" not in html
    assert 'data-mention-url="/comments/crm.deal/' in html
    assert "comments/comments.js" in html


def test_the_contract_and_project_pages_take_comments(crew):
    from tandem.crm.tests.factories import make_contract
    from tandem.projects.tests.factories import make_project

    contract = make_contract(crew.tenant, crew.rep.user, crew.account, name="改造合同")
    comment_create(access=crew.rep_access, type_key="crm.contract", object_id=contract.pk, body="合同已盖章")
    assert "合同已盖章" in page_client(crew.admin).get(f"/crm/contracts/{contract.pk}/").content.decode()
    project = make_project(crew.tenant, member=crew.admin)
    comment_create(access=crew.admin_access, type_key="projects.project", object_id=project.pk, body="@孙丽 开票")
    html = page_client(crew.admin).get(f"/projects/{project.pk}/").content.decode()
    assert 'id="comment-thread"' in html
    assert '<span class="mention">@孙丽</span> 开票' in html


def test_the_author_edits_in_place_then_the_window_closes(crew):
    comment = comment_create(access=crew.rep_access, type_key="crm.deal", object_id=crew.deal.pk, body="初稿")
    client = page_client(crew.rep)
    form = client.get(f"/comments/c/{comment.pk}/edit/", **HTMX).content.decode()
    assert "<textarea" in form and "初稿" in form
    saved = client.post(f"/comments/c/{comment.pk}/edit/", {"body": "定稿"}, **HTMX).content.decode()
    assert "定稿" in saved and "edited" in saved
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        late = client.post(f"/comments/c/{comment.pk}/edit/", {"body": "太晚"}, **HTMX).content.decode()
        shown = client.get(f"/comments/c/{comment.pk}/", **HTMX).content.decode()
    assert "edited for 15 minutes" in late
    assert "/edit/" not in shown  # no Edit button once the window closed
    assert Comment.objects.get().body == "定稿"


def test_delete_leaves_a_deleted_row_and_a_colleague_gets_403(crew):
    comment = comment_create(access=crew.rep_access, type_key="crm.deal", object_id=crew.deal.pk, body="要删")
    assert page_client(crew.finance).post(f"/comments/c/{comment.pk}/delete/", **HTMX).status_code == 403
    html = page_client(crew.admin).post(f"/comments/c/{comment.pk}/delete/", **HTMX).content.decode()
    assert "Comment deleted" in html and "要删" not in html
    page = page_client(crew.rep).get(f"/crm/deals/{crew.deal.pk}/").content.decode()
    assert "Comment deleted" in page


def test_the_mention_menu_lists_active_members_of_the_tenant_by_prefix(crew):
    client = page_client(crew.rep)
    url = f"/comments/crm.deal/{crew.deal.pk}/members/"
    names = [r["name"] for r in client.get(url, {"q": "孙"}).json()["results"]]
    assert names == ["孙丽"]  # 孙丽2 is another tenant's
    assert [r["name"] for r in client.get(url, {"q": "lim"}).json()["results"]] == ["李敏"]
    everyone = {r["name"] for r in client.get(url).json()["results"]}
    assert "赵强" not in everyone and "王芳" not in everyone and "陈晓" not in everyone
    assert page_client(crew.rep2).get(url).status_code == 404


def test_a_comments_file_downloads_for_who_may_see_the_record(crew):
    upload = SimpleUploadedFile("说明.txt", b"site notes")
    comment = comment_create(
        access=crew.rep_access, type_key="crm.deal", object_id=crew.deal.pk, body="见附件", files=[upload]
    )
    url = f"/comments/files/{comment.attachments.get().pk}/"
    response = page_client(crew.admin).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"site notes"
    assert page_client(crew.rep2).get(url).status_code == 404


def _deal_page_queries(crew, n):
    Comment.objects.all().delete()
    for i in range(n):
        comment_create(access=crew.rep_access, type_key="crm.deal", object_id=crew.deal.pk, body=f"@李敏 第{i}条")
    client = page_client(crew.rep)
    client.get(f"/crm/deals/{crew.deal.pk}/")  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/crm/deals/{crew.deal.pk}/")
    assert response.content.decode().count('class="comment-item"') == min(n, 20)  # the timeline's page size
    return len(queries)


def test_the_deal_timeline_costs_the_same_with_5_or_50_comments(crew):
    assert _deal_page_queries(crew, 50) == _deal_page_queries(crew, 5)
