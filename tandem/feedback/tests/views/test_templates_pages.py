# Pages speak the tenant's language (简体中文 here).
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tandem.feedback.models import SurveyTemplate
from tandem.feedback.services.templates import template_default
from tandem.testing.kit import make_member, page_client

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def _form(**overrides) -> dict:
    data = {
        "name": "项目回访",
        "language": "zh-hans",
        "intro": "感谢合作",
        "nps_question": "您有多大可能向朋友推荐我们？",
        "comment_label": "主要原因是？",
        "thank_you": "谢谢！",
        "colour": "#0a7d4f",
        "questions": json.dumps(
            [
                {"kind": "rating", "label": "施工质量", "required": True},
                {"kind": "choice", "label": "再次合作？", "choices": ["会", "不会"]},
                {"kind": "text", "label": "其他建议"},
            ]
        ),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_template_is_written_with_its_questions_and_logo_then_made_default_and_deleted(crew):
    client = page_client(crew.service)
    page = client.get("/feedback/templates/new/")
    assert page.status_code == 200 and 'x-data="templateEditor"' in page.content.decode()
    response = client.post("/feedback/templates/new/", {**_form(), "logo": SimpleUploadedFile("l.png", PNG)})
    assert response.status_code == 302 and response["Location"] == "/feedback/templates/"
    template = SurveyTemplate.objects.get(name="项目回访")
    assert [q["kind"] for q in template.questions] == ["rating", "choice", "text"]
    assert template.questions[1]["choices"] == ["会", "不会"] and template.colour == "#0a7d4f"
    assert template.logo.name.endswith(".png")
    listing = client.get("/feedback/templates/").content.decode()
    assert "项目回访" in listing
    # Editing keeps the questions in the editor's state, reorders them.
    edit = client.get(f"/feedback/templates/{template.pk}/").content.decode()
    assert "再次合作？" in edit
    reordered = json.dumps([{"kind": "text", "label": "其他建议"}, {"kind": "rating", "label": "施工质量"}])
    assert client.post(f"/feedback/templates/{template.pk}/", _form(questions=reordered)).status_code == 302
    template.refresh_from_db()
    assert [q["label"] for q in template.questions] == ["其他建议", "施工质量"]
    client.post(f"/feedback/templates/{template.pk}/default/")
    template.refresh_from_db()
    assert template.is_default
    client.post(f"/feedback/templates/{template.pk}/delete/")
    assert not SurveyTemplate.objects.filter(pk=template.pk).exists()
    assert SurveyTemplate.all_objects.get(pk=template.pk).deleted_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"questions": json.dumps([{"kind": "text", "label": f"问题{i}"} for i in range(6)])}, "extra questions"),
        ({"questions": json.dumps([{"kind": "choice", "label": "选哪个", "choices": []}])}, "different choices"),
        ({"colour": "red"}, "colour"),
        ({"logo": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>")}, "logo"),
    ],
)
def test_bad_input_says_why_and_saves_nothing(crew, overrides, message):
    client = page_client(crew.service)
    response = client.post("/feedback/templates/new/", _form(**overrides))
    assert response.status_code == 400
    expected = {
        "extra questions": _zh("A survey asks at most %(n)s extra questions.") % {"n": 5},
        "different choices": _zh("Give 2 to %(n)s different choices of at most 100 characters.") % {"n": 10},
        "colour": _zh("Enter a colour as #RRGGBB."),
        "logo": _zh("The logo must be a PNG, JPEG, GIF or WebP image of at most 1 MB."),
    }[message]
    assert expected in response.content.decode()
    assert not SurveyTemplate.objects.filter(name="项目回访").exists()
    # What was typed stays in the editor.
    assert "您有多大可能向朋友推荐我们？" in response.content.decode()


@pytest.mark.django_db
def test_the_preview_is_the_real_answer_page_with_the_texts_escaped(crew):
    client = page_client(crew.service)
    data = _form(intro="<script>alert(1)</script>你好", nps_question="<b>推荐？</b>")
    response = client.post("/feedback/templates/preview/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;你好" in html and "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;推荐？&lt;/b&gt;" in html
    assert 'class="nps-scale"' in html and "施工质量" in html and "再次合作？" in html
    assert "--survey-colour: #0a7d4f" in html
    # Framed by the editor only, and inert: no scripts, no form posts.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "script-src 'none'" in response["Content-Security-Policy"]
    assert not SurveyTemplate.objects.filter(name="项目回访").exists()


@pytest.mark.django_db
def test_members_without_template_rights_are_refused(crew):
    template = template_default(tenant_id=crew.tenant.pk, language="zh-hans")
    manager = page_client(make_member(crew.tenant, "sales_manager"))  # feedback.view_* only
    assert manager.get("/feedback/templates/").status_code == 200
    assert manager.get("/feedback/templates/new/").status_code == 403
    rep = page_client(crew.rep)
    assert rep.get("/feedback/templates/").status_code == 403
    assert rep.get("/feedback/templates/new/").status_code == 403
    assert rep.post(f"/feedback/templates/{template.pk}/delete/").status_code == 403
    assert SurveyTemplate.objects.filter(pk=template.pk).exists()
