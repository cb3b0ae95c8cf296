"""The kit's sandboxed template engine, as print templates use it (HTML, autoescape on)."""

from __future__ import annotations

import pytest

from tandem.core.sandbox import SandboxError, render_template, validate_template


def render(text, data=None, **kwargs):
    return render_template(text, data or {}, language="zh-hans", autoescape=True, **kwargs)


def test_data_keys_and_list_items_are_reached():
    assert render("{{ a.b }} {{ items.1 }}", {"a": {"b": "甲方"}, "items": ["x", "乙方"]}) == "甲方 乙方"


@pytest.mark.parametrize(
    "text",
    ["{{ d.items }}", "{{ d.clear }}", "{{ items.pop }}", "{{ name.upper }}", "{{ d.keys }}", "{{ template }}"],
)
def test_methods_and_attributes_are_out_of_reach(text):
    data = {"d": {"k": "v"}, "items": [1, 2], "name": "abc"}
    assert render(text, data) == ""
    assert data == {"d": {"k": "v"}, "items": [1, 2], "name": "abc"}


def test_model_instances_never_enter_the_data():
    class Record:
        secret = "x"

    with pytest.raises(TypeError):
        render("{{ r.secret }}", {"r": Record()})


@pytest.mark.parametrize(
    "text",
    [
        "{% load static %}",
        '{% include "base.html" %}',
        '{% extends "base.html" %}',
        "{% debug %}",
        '{% ssi "/etc/passwd" %}',
        "{% autoescape off %}{{ x }}{% endautoescape %}",
    ],
)
def test_dangerous_tags_are_refused_with_their_line(text):
    reasons = validate_template("<p>\n" + text)
    assert reasons and reasons[0].startswith("line 2:"), reasons
    with pytest.raises(SandboxError):
        render("<p>\n" + text)


def test_safe_is_refused_and_html_is_escaped():
    assert validate_template("{{ x|safe }}")
    assert render("{{ x }}", {"x": "<b>&</b>"}) == "&lt;b&gt;&amp;&lt;/b&gt;"


def test_template_and_output_sizes_are_capped():
    with pytest.raises(SandboxError, match="the limit is 100"):
        render("x" * 101, max_chars=100)
    with pytest.raises(SandboxError, match="rendered text is"):
        render("{% for i in items %}{{ i }}{% endfor %}", {"items": ["长" * 50] * 10}, max_output=100)


def test_runaway_loops_stop():
    with pytest.raises(SandboxError, match="loops visit more than"):
        render(
            "{% for a in l %}{% for b in l %}{% for c in l %}.{% endfor %}{% endfor %}{% endfor %}",
            {"l": list(range(30))},
        )
