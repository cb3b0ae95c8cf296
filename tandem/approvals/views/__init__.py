"""The approval pages: my approvals (`inbox`, `tasks`), the record panel (`panel`), flow settings (`flows`,
`designer`); `register_pages()` puts them in the shell (apps.py calls it from `ready()`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RECORD_SLOTS = ("crm.contract",)


def todo_badge(access) -> dict:
    """The top bar's link to my approvals, with the count of what waits for me."""
    from django.urls import reverse

    from tandem.approvals import selectors

    count = selectors.my_counts(access=access).get("todo", 0)
    link = {"key": "approvals", "url": reverse("approvals:inbox"), "icon": "check2-square", "count": count}
    return {"topbar_links": [{**link, "label": _("My approvals")}]}


def register_pages() -> None:
    from tandem.approvals.views.panel import record_panel
    from tandem.core import context_processors, panels
    from tandem.core.navigation import NavItem, register_section

    # Everyone has approvals to decide or to follow: beside Home, not under a module.
    register_section(
        "workbench",
        _("Workbench"),
        0,
        [NavItem(_("My approvals"), "approvals:inbox", "check2-square", "approvals.view_approval", weight=60)],
    )
    register_section(
        "settings",
        _("Settings"),
        90,
        [NavItem(_("Approval flows"), "approvals:flows", "diagram-3", "approvals.change_flow", weight=40)],
    )
    # A slot name is only a string: the approvals app shows its panel on crm's pages without importing crm.
    for slot in RECORD_SLOTS:
        panels.register(
            slot,
            panels.Panel("approval", "approvals/partials/panel.html", record_panel, order=5, placement="side"),
        )
    context_processors.register(todo_badge)
