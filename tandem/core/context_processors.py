"""Template context for the app shell: navigation, and what platform apps register for every page
(the tenant switcher, the unread-notification count, the top bar's links with a count such as my approvals)
so core imports none of them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from tandem.core.navigation import visible_sections

_PROVIDERS: list[Callable[..., dict]] = []


def register(provider: Callable[..., dict]) -> Callable[..., dict]:
    """Add `provider(access) -> dict` to the context of every page a member sees; apps call it in `ready()`.

    `topbar_links` is gathered from every provider rather than replaced: a list of {"key", "url", "icon", "label",
    "count"}, each an icon in the top bar with its count (the badge's id is `topbar-<key>-count`)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def shell(request):
    access = getattr(request, "access", None)
    if access is None:
        return {"LANGUAGES_AVAILABLE": settings.LANGUAGES}
    context = {"nav_sections": visible_sections(access)}
    links = []
    for provider in _PROVIDERS:
        extra = dict(provider(access))
        links.extend(extra.pop("topbar_links", []))
        context.update(extra)
    context["topbar_links"] = links
    context["LANGUAGES_AVAILABLE"] = settings.LANGUAGES
    context["access"] = access
    return context
