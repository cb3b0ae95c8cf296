from django.template import Context, Template
from django.test import RequestFactory

from tandem.core import panels


class _Access:
    def __init__(self, perms):
        self.perms = perms

    def has_perm(self, code):
        return code in self.perms


def _render(access, obj):
    request = RequestFactory().get("/")
    request.access = access
    template = Template('{% load panels %}{% record_panels "testing.slot" obj %}')
    return template.render(Context({"request": request, "obj": obj}))


def test_panels_render_in_order_and_only_with_the_permission(tmp_path, settings):
    (tmp_path / "a.html").write_text("A{{ object }}{{ extra }}")
    (tmp_path / "b.html").write_text("B")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    panels.register("testing.slot", panels.Panel("b", "b.html", lambda request, obj: {}, "x.view_b", order=20))
    panels.register("testing.slot", panels.Panel("a", "a.html", lambda request, obj: {"extra": "!"}, order=10))
    panels.register("testing.slot", panels.Panel("hidden", "b.html", lambda request, obj: None, order=5))
    try:
        assert _render(_Access({"x.view_b"}), 7) == "A7!B"
        assert _render(_Access(set()), 7) == "A7!"
    finally:
        panels._PANELS.pop("testing.slot")
