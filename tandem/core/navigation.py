"""The left navigation: apps register their sections; entries show only with the permission."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse


@dataclass
class NavItem:
    label: str
    url_name: str
    icon: str
    permission: str | tuple[str, ...] | None = None  # several codes: any one of them shows the item
    weight: int = 50  # position within the section, lower first

    def shown_to(self, access) -> bool:
        if self.permission is None:
            return True
        codes = (self.permission,) if isinstance(self.permission, str) else self.permission
        return access is not None and any(access.has_perm(code) for code in codes)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass
class NavSection:
    key: str
    label: str
    order: int
    items: list[NavItem] = field(default_factory=list)


_SECTIONS: dict[str, NavSection] = {}


def register_section(key: str, label, order: int, items: list[NavItem]) -> None:
    section = _SECTIONS.setdefault(key, NavSection(key, label, order))
    known = {i.url_name for i in section.items}
    section.items.extend(i for i in items if i.url_name not in known)


def visible_sections(access) -> list[dict]:
    out = []
    for section in sorted(_SECTIONS.values(), key=lambda s: s.order):
        items = [i for i in section.items if i.shown_to(access)]
        items.sort(key=lambda i: i.weight)
        if items:
            out.append({"key": section.key, "label": section.label, "items": items})
    return out
