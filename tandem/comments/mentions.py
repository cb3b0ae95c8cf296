"""@mentions in comment text: finding the members a text names, and rendering the text with them highlighted.

Pure functions over plain data (names and ids), so they are tested without a database. A mention is `@` followed
by a member's display name or username; Chinese text has no spaces between words, so the longest name wins
("@王磊磊" names 王磊磊, not 王磊) and the name may run straight into the next word ("@王磊请看").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_WORD_END = "(?![A-Za-z0-9_])"


def _pattern(names: Iterable[str]) -> re.Pattern | None:
    unique = sorted({n for n in names if n}, key=len, reverse=True)
    if not unique:
        return None
    # "mail@wang.com" is an address, not a mention; a Latin name must end where the word does ("@Li" is not in
    # "@Lisa"), a Chinese one may run into the next word.
    alternatives = [re.escape(n) + (_WORD_END if n[-1].isascii() and n[-1].isalnum() else "") for n in unique]
    return re.compile(r"(?<![A-Za-z0-9._%+-])@(" + "|".join(alternatives) + ")")


def mentioned_ids(text: str, members: Iterable[tuple[int, Iterable[str]]]) -> list[int]:
    """The ids of the members `text` mentions, in order of first mention, each once.

    `members` is (id, names) for every active member of the tenant; a name two members share names both."""
    by_name: dict[str, list[int]] = {}
    for user_id, names in members:
        for name in names:
            if name:
                by_name.setdefault(name, []).append(user_id)
    pattern = _pattern(by_name)
    if pattern is None:
        return []
    found: dict[int, None] = {}
    for match in pattern.finditer(text):
        for user_id in by_name[match.group(1)]:
            found.setdefault(user_id, None)
    return list(found)


def render(text: str, names: Iterable[str]) -> SafeString:
    """The text escaped, line breaks kept, and each `@name` of a resolved mention wrapped in a highlight."""
    pattern = _pattern(names)
    parts, last = [], 0
    if pattern is not None:
        for match in pattern.finditer(text):
            parts.append(escape(text[last : match.start()]))
            parts.append(f'<span class="mention">@{escape(match.group(1))}</span>')
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts).replace("\r\n", "\n").replace("\n", "<br>"))  # noqa: S308 (every part escaped)
