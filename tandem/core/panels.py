"""Panels an upper app adds to a lower app's record page (the account's health on the CRM account page).

A page names its slot (`"crm.account"`, `"projects.project"`, the home workbench `"core.home"` with no record — its
panels are cards in the page's grid) with `{% record_panels "crm.account" account %}`
(`{% load panels %}`); every panel registered for the slot whose permission the member holds renders there,
in order. A panel's `context(request, obj)` returns the template's context, or None to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[..., dict | None]
    permission: str | None = None
    order: int = 50
    placement: str = "main"  # "main" (the wide column) or "side" (the narrow one), where the page has both


_PANELS: dict[str, dict[str, Panel]] = {}


def register(slot: str, panel: Panel) -> Panel:
    """Add a panel to a record page's slot; apps call it in `ready()` (registering a key again replaces it)."""
    _PANELS.setdefault(slot, {})[panel.key] = panel
    return panel


def panels_for(slot: str, *, placement: str | None = None) -> list[Panel]:
    panels = _PANELS.get(slot, {}).values()
    return sorted((p for p in panels if placement is None or p.placement == placement), key=lambda p: p.order)
