"""Sandboxed message templates and notification email through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import email
import email.header
import email.policy
import email.utils
import socket
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller

from tandem.automation import default_messages
from tandem.automation.messages import (
    MAX_TEMPLATE_CHARS,
    MessageTemplateError,
    render_message,
    send_email,
    validate_template,
)

PAYLOAD = {
    "deal": {"name": "滨江园区智能化", "amount": Decimal("1280000"), "won_at": dt.date(2025, 3, 4)},
    "items": ["弱电", "安防"],
    "won": True,
}


def render(text, payload=PAYLOAD, language="zh-hans", **kwargs):
    return render_message(text, payload, language=language, **kwargs)


# --- rendering ---------------------------------------------------------------------------------


def test_payload_values_render_with_chinese_text():
    text = (
        "商机「{{ deal.name }}」已赢单，金额 {{ deal.amount|cny }}，日期 {{ deal.won_at }}，专业 {{ items|join:'、' }}"
    )
    assert render(text) == "商机「滨江园区智能化」已赢单，金额 ¥1,280,000.00，日期 2025-03-04，专业 弱电、安防"


def test_missing_keys_render_empty():
    assert render("[{{ nothing }}|{{ deal.nothing }}|{{ items.9 }}|{{ deal.name.first }}]") == "[|||]"
    assert render("{{ deal.owner|default:'未分配' }}") == "未分配"


def test_list_index_and_loops():
    text = "{{ items.0 }};{% for i in items %}{{ forloop.counter }}.{{ i }} {% empty %}无{% endfor %}"
    assert render(text) == "弱电;1.弱电 2.安防 "
    assert render("{% for i in nothing %}x{% empty %}无{% endfor %}") == "无"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("1280000", 2, "¥1,280,000.00"),
        (Decimal("-35.5"), 2, "-¥35.50"),
        (99, 0, "¥99"),
        ("not money", 2, ""),
        (None, 2, ""),
    ],
)
def test_cny_filter(value, places, expected):
    assert render("{{ v|cny:p }}", {"v": value, "p": places}) == expected


def test_language_switches_translated_filters():
    assert render("{{ won|yesno }}", language="zh-hans") == "是"
    assert render("{{ won|yesno }}", language="en") == "yes"
    assert render("{{ deal.won_at|date }}", language="zh-hans") == "2025年3月4日"
    assert render("{{ deal.won_at|date }}", language="en") == "March 4, 2025"


def test_date_filter_reads_iso_strings_in_active_timezone():
    payload = {"at": "2025-03-04T10:00:00+00:00", "bad": "yesterday"}
    assert render("{{ at|date:'Y-m-d H:i' }}|{{ bad|date:'Y' }}", payload) == "2025-03-04 18:00|"


def test_payload_conversion_is_json_only():
    class Unknown:
        pass

    with pytest.raises(TypeError, match="not JSON-safe"):
        render("{{ x }}", {"x": Unknown()})


# --- the sandbox -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag", ["load", "include", "extends", "debug", "ssi", "url", "csrf_token", "autoescape", "cycle"]
)
def test_refused_tags_give_a_clear_reason(tag):
    text = {
        "load": "{% load static %}",
        "include": "{% include 'base.html' %}",
        "extends": "{% extends 'base.html' %}",
        "debug": "{% debug %}",
        "ssi": "{% ssi '/etc/passwd' %}",
        "url": "{% url 'home' %}",
        "csrf_token": "{% csrf_token %}",
        "autoescape": "{% autoescape off %}{{ x }}{% endautoescape %}",
        "cycle": "{% for i in items %}{% cycle 'a' 'b' %}{% endfor %}",
    }[tag]
    reasons = validate_template(text)
    assert reasons and f"tag {{% {tag} %}} is not allowed" in reasons[0]
    with pytest.raises(MessageTemplateError) as excinfo:
        render(text)
    assert excinfo.value.reasons == reasons


@pytest.mark.parametrize("name", ["safe", "escape", "slice", "pprint", "urlize", "filesizeformat", "unknown"])
def test_refused_filters_give_a_clear_reason(name):
    assert validate_template(f"{{{{ deal.name|{name} }}}}") == [
        f"line 1: filter |{name} is not allowed (allowed filters: capfirst, cny, date, default, default_if_none, "
        "first, floatformat, join, last, length, linebreaksbr, lower, pluralize, title, truncatechars, "
        "truncatewords, upper, yesno)"
    ]


def test_every_refused_tag_is_reported_with_its_line():
    reasons = validate_template("ok\n{% load i18n %}\n{% now 'Y' %}\n{% url 'x' %}")
    assert [r.split(":")[0] for r in reasons] == ["line 2", "line 4"]


def test_allowed_template_validates():
    text = (
        "{% with n=items|length %}{% if n > 1 %}{{ n }}{% elif won %}{% firstof a b 'c' %}{% else %}-{% endif %}"
        "{% endwith %}"
    )
    assert validate_template(text) == []
    assert validate_template("{% now 'Y' %}{# note #}{% comment %}x{% endcomment %}") == []


def test_syntax_errors_become_reasons():
    assert validate_template("{% if %}") == ["line 1: template syntax error: Unexpected end of expression in if tag."]
    assert validate_template("Hi\n{% for x in %}")[0].startswith("line 2: template syntax error:")
    assert validate_template(None) == ["template must be text"]


def test_underscore_attributes_are_refused():
    reasons = validate_template("{{ payload.__class__ }}")
    assert reasons and "may not begin with underscores" in reasons[0]
    assert validate_template("{{ deal.__class__.__mro__ }}")


def test_methods_and_attributes_beyond_the_payload_render_empty():
    # What would be a model instance arrives as plain data; its methods do not exist here.
    payload = {"x": {"id": 1, "name": "客户"}, "items": [1, 2, 3], "s": "abc", "n": 5}
    text = (
        "{{ x.delete }}|{{ x.save }}|{{ x.items }}|{{ x.clear }}|{{ items.pop }}|{{ s.upper }}"
        "|{{ template }}|{{ render_context }}|{{ dicts }}"
    )
    assert render(text, payload) == "||||||||"
    # Nothing was called: the caller's payload and the rendered copy are intact.
    assert render("{{ x.name }} {{ items|length }}", payload) == "客户 3"
    assert payload["items"] == [1, 2, 3]


def test_model_instances_are_not_accepted_in_the_payload():
    from django.contrib.auth.models import Group

    with pytest.raises(TypeError, match="Group"):
        render("{{ g.name }}", {"g": Group(name="x")})


def test_huge_template_is_refused():
    text = "x" * (MAX_TEMPLATE_CHARS + 1)
    assert validate_template(text) == [
        f"template is {MAX_TEMPLATE_CHARS + 1} characters long; the limit is {MAX_TEMPLATE_CHARS}"
    ]
    assert validate_template("x" * MAX_TEMPLATE_CHARS) == []


def test_runaway_loops_and_huge_output_are_refused():
    many = {"items": list(range(200))}
    with pytest.raises(MessageTemplateError, match="loops visit more than"):
        render("{% for a in items %}{% for b in items %}.{% endfor %}{% endfor %}", many)
    wide = {"items": ["长" * 100] * 2000}
    with pytest.raises(MessageTemplateError, match="rendered message is"):
        render("{% for i in items %}{{ i }}{% endfor %}", wide)


def test_autoescape_on_for_html_off_for_text():
    payload = {"name": "<script>alert(1)</script>&"}
    assert render("<b>{{ name }}</b>", payload, autoescape=True) == (
        "<b>&lt;script&gt;alert(1)&lt;/script&gt;&amp;</b>"
    )
    assert render("{{ name }}", payload) == "<script>alert(1)</script>&"
    assert render("{{ name|linebreaksbr }}", {"name": "a<\nb"}, autoescape=True) == "a&lt;<br>b"


# --- default templates -------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(default_messages.DEFAULT_MESSAGES))
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_default_templates_render(key, language):
    template = default_messages.DEFAULT_MESSAGES[key][language]
    payload = default_messages.EXAMPLE_PAYLOADS[key]
    assert validate_template(template.subject) == []
    assert validate_template(template.body) == []
    subject = render(template.subject, payload, language=language)
    body = render(template.body, payload, language=language)
    assert "\n" not in subject
    assert "{" not in subject + body and "—" not in subject
    record = next(v for k, v in payload.items() if k != "recipient")
    assert (record.get("name") or record["repr"]) in body  # a lead has no name field: its repr names it
    assert payload["recipient"]["name"] in body


def test_default_templates_content():
    msgs, payloads = default_messages.DEFAULT_MESSAGES, default_messages.EXAMPLE_PAYLOADS
    won = msgs[default_messages.WON_DEAL_PROJECT_CREATED]
    payload = payloads[default_messages.WON_DEAL_PROJECT_CREATED]
    body = render(won["zh-hans"].body, payload)
    assert "2025年4月1日" in body and "李敏" in body
    assert "Apr 1, 2025" in render(won["en"].body, payload, language="en")
    no_contract = {k: v for k, v in payload.items() if k != "contract"}
    assert "商机金额 ¥1,300,000.00（尚未签订合同）" in render(won["zh-hans"].body, no_contract)
    assert "Deal amount: ¥1,300,000.00 (no contract signed yet)." in render(won["en"].body, no_contract, language="en")
    assert "合同金额 ¥1,280,000.00（合同 HT-20250320-0001）" in body and "/crm/deals/41/" in body
    lead = msgs[default_messages.LEAD_WITHOUT_FIRST_RESPONSE]["zh-hans"]
    lead_payload = payloads[default_messages.LEAD_WITHOUT_FIRST_RESPONSE]
    lead_body = render(lead.body, lead_payload)
    assert "2025-03-03 09:30" in lead_body
    assert "线索「宁波港务」（联系人：陈先生，来源：官网）" in lead_body
    assert render(lead.subject, lead_payload).startswith("【线索待跟进】宁波港务 已 4 个工作小时")
    task = msgs[default_messages.TASK_OVERDUE]["en"]
    assert "3 days overdue" in render(task.body, payloads[default_messages.TASK_OVERDUE], language="en")


# --- email through a real SMTP server ----------------------------------------------------------


class _Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "tandem@example.com"
    try:
        yield inbox
    finally:
        controller.stop()


def _received(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def _subject(envelope) -> str:
    # A long encoded subject is folded onto the next line; the stdlib's modern parser keeps the
    # fold's leading space, so decode the raw header the classic way.
    raw = email.message_from_bytes(envelope.original_content)["Subject"]
    return str(email.header.make_header(email.header.decode_header(raw)))


def test_plain_email_is_received_with_chinese_body(smtp_inbox):
    template = default_messages.DEFAULT_MESSAGES[default_messages.TASK_OVERDUE]["zh-hans"]
    message_id = send_email(
        to=["pm@example.com"],
        subject_template=template.subject,
        body_template=template.body,
        payload=default_messages.EXAMPLE_PAYLOADS[default_messages.TASK_OVERDUE],
        language="zh-hans",
    )
    (envelope,) = smtp_inbox.envelopes
    assert envelope.rcpt_tos == ["pm@example.com"]
    received = _received(envelope)
    assert received["Message-ID"] == message_id
    assert _subject(envelope) == "【任务逾期】PRJ-2025-007 弱电桥架安装"
    assert received["To"] == "pm@example.com"
    assert received["From"] == "tandem@example.com"
    assert received.get_content_type() == "text/plain"
    body = received.get_content()
    assert "任务「弱电桥架安装」" in body and "已逾期 3 天" in body


def test_header_injection_through_the_payload_is_impossible(smtp_inbox):
    payload = {"customer": "ACME\r\nBcc: x@example.com", "note": "line\r\nBcc: y@example.com"}
    send_email(
        to=["owner@example.com"],
        subject_template="客户 {{ customer }}",
        body_template="{{ note }}",
        payload=payload,
        language="zh-hans",
    )
    (envelope,) = smtp_inbox.envelopes
    assert envelope.rcpt_tos == ["owner@example.com"]
    received = _received(envelope)
    assert _subject(envelope) == "客户 ACME Bcc: x@example.com"
    assert received["Bcc"] is None
    assert "x@example.com" not in [addr for _, addr in email.utils.getaddresses(received.get_all("To", []))]
    header_block = envelope.original_content.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in header_block


def test_html_email_has_escaped_html_and_a_plain_text_alternative(smtp_inbox):
    send_email(
        to=["a@example.com", "b@example.com"],
        subject_template="{{ deal.name }}\n赢单",
        body_template="<p>商机 <b>{{ deal.name }}</b> 金额 {{ deal.amount|cny }} {{ evil }}</p>",
        payload={**PAYLOAD, "evil": "<img src=x onerror=alert(1)>"},
        language="zh-hans",
        html=True,
    )
    (envelope,) = smtp_inbox.envelopes
    assert envelope.rcpt_tos == ["a@example.com", "b@example.com"]
    received = _received(envelope)
    assert _subject(envelope) == "滨江园区智能化 赢单"
    assert received.get_content_type() == "multipart/alternative"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "商机 滨江园区智能化 金额 ¥1,280,000.00 <img src=x onerror=alert(1)>" in text
    assert "<b>滨江园区智能化</b>" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("to", [[], "a@example.com", ["a@example.com\r\nBcc: x@example.com"], ["not an address"]])
def test_bad_recipients_are_refused_before_sending(smtp_inbox, to):
    with pytest.raises(ValueError, match="to|recipient"):
        send_email(to=to, subject_template="s", body_template="b", payload={}, language="en")
    assert smtp_inbox.envelopes == []


def test_refused_template_sends_nothing(smtp_inbox):
    with pytest.raises(MessageTemplateError):
        send_email(to=["a@example.com"], subject_template="{% load x %}", body_template="b", payload={}, language="en")
    assert smtp_inbox.envelopes == []
