"""Rendering print templates: the sandbox with autoescape, the PDF with an embedded CJK font, and no fetches."""

from __future__ import annotations

import http.server
import threading

import pytest

from tandem.printing import defaults, render
from tandem.printing.tests.conftest import pdf_fonts, pdf_pages, pdf_text


def test_chinese_text_is_extracted_from_the_pdf_and_the_cjk_font_is_embedded():
    html = render.render_html(
        "<h1>{{ title }}</h1><p>{{ words }}</p>", {"title": "施工合同", "words": "甲方乙方"}, language="zh-hans"
    )
    pdf = render.html_to_pdf(html)
    text = pdf_text(pdf)
    assert "施工合同" in text and "甲方乙方" in text
    fonts = pdf_fonts(pdf)
    cjk = {name: files for name, files in fonts.items() if "WenQuanYi" in name or "CJK" in name}
    assert cjk, fonts
    assert all(files & {"/FontFile2", "/FontFile3"} for files in cjk.values()), cjk


def test_the_machine_has_the_cjk_font_the_stylesheet_names():
    assert render.cjk_font() in render.CJK_FAMILIES


def test_values_are_escaped_in_html():
    html = render.render_html("<p>{{ name }}</p>", {"name": "<script>x</script>&"}, language="en")
    assert "&lt;script&gt;x&lt;/script&gt;&amp;" in html
    assert "<script>x" not in html


def test_a_bad_template_names_its_line():
    with pytest.raises(render.PrintError) as excinfo:
        render.render_html("<p>ok</p>\n<p>{% if %}</p>", {}, language="en")
    assert excinfo.value.reasons[0].startswith("line 2:")


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server hook name)
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_renderer_fetches_nothing_from_the_network_or_the_disk(receiver, tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    body = (
        f'<img src="{receiver}/internal.png"><link rel="stylesheet" href="{receiver}/style.css">'
        f'<style>@import url("{receiver}/imported.css"); p {{ background: url("file://{secret}") }}</style>'
        f'<img src="file:///etc/passwd"><p>正文</p>'
    )
    fetcher = render.offline_fetcher()
    pdf = render.html_to_pdf(render.render_html(body, {}, language="zh-hans"), fetcher=fetcher)
    assert "正文" in pdf_text(pdf)
    assert _Recorder.hits == []
    assert any(url.startswith(receiver) for url in fetcher.refused)
    assert any(url.startswith("file://") for url in fetcher.refused)


def test_data_uri_images_are_embedded():
    png = (
        "data:image/png;base64,"
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    fetcher = render.offline_fetcher()
    pdf = render.html_to_pdf(
        render.render_html('<img src="{{ logo }}">', {"logo": png}, language="en"), fetcher=fetcher
    )
    assert fetcher.refused == []
    assert b"/Subtype /Image" in pdf


@pytest.mark.parametrize("key", ["payment_request", "daywork_ticket", "site_visa", "daily_log"])
def test_defaults_of_objects_still_to_come_print_their_chinese_sample(key):
    pdf = render.html_to_pdf(
        render.render_html(defaults.shipped_body(key, "zh-hans"), defaults.sample_data(key), language="zh-hans")
    )
    text = pdf_text(pdf)
    sample = defaults.SAMPLES[key]
    assert defaults.SAMPLE_COMPANY["name"] in text
    assert sample["project"]["name"] in text
    heading = {
        "payment_request": "工程款支付申请单",
        "daywork_ticket": "零星用工签证单",
        "site_visa": "工程现场签证单",
        "daily_log": "施工日志",
    }
    assert heading[key] in text
    words = next(
        (part["amount_in_words"] for part in sample.values() if isinstance(part, dict) and "amount_in_words" in part),
        None,
    )
    if words:
        assert words in text


@pytest.mark.parametrize("key", sorted(defaults.NAMES))
def test_english_defaults_have_english_labels(key):
    body = defaults.shipped_body(key, "en")
    assert "[[letterhead]]" not in body
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in body), key
    html = render.render_html(body, defaults.sample_data(key), language="en")
    assert len(pdf_pages(render.html_to_pdf(html))) >= 1
