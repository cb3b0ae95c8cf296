"""Matching spreadsheet column headers to import fields: remembered choices first, then synonyms.

Headers are compared in a loose form (full-width to half-width, lower case, no spaces, no
punctuation, no "(必填)"/"*" markers), so "客户名称*", "客户名称（必填）" and "Customer Name" all
find their field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

_HINT = re.compile(r"[（(\[【].*?[)）\]】]")
_NOISE = re.compile(r"[\s*＊:：_\-./·•#]+")


def header_key(header: str) -> str:
    """The loose form headers are compared in."""
    text = unicodedata.normalize("NFKC", header or "").lower()
    text = _HINT.sub("", text)
    return _NOISE.sub("", text)


def suggest(
    headers: list[str],
    synonyms: Mapping[str, Iterable[str]],
    remembered: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """{column index (as text): field key} for the columns recognised; each field used once.

    `synonyms` maps field keys to the names their column goes by, in order of preference across
    fields (a header that names two fields goes to the first). `remembered` maps header keys to the
    field (or "" for "ignore") chosen for that header in this tenant's previous import.
    """
    lookup: dict[str, str] = {}
    for key, names in synonyms.items():
        for name in (key, *names):
            lookup.setdefault(header_key(name), key)
    remembered = remembered or {}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    # Remembered choices win over synonyms, so they are placed first.
    for rule in ("remembered", "synonym"):
        for index, header in enumerate(headers):
            column = str(index)
            if column in mapping:
                continue
            hkey = header_key(header)
            if not hkey:
                continue
            if rule == "remembered":
                if hkey not in remembered:
                    continue
                field = remembered[hkey]
                if not field:
                    mapping[column] = ""
                    continue
            else:
                field = lookup.get(hkey, "")
            if field and field in synonyms and field not in used:
                mapping[column] = field
                used.add(field)
    return {column: field for column, field in mapping.items() if field}


def remember(headers: list[str], mapping: Mapping[str, str], previous: Mapping[str, str]) -> dict[str, str]:
    """The tenant's remembered header → field choices after this mapping (ignored columns remembered as "")."""
    memory = dict(previous)
    for index, header in enumerate(headers):
        hkey = header_key(header)
        if hkey:
            memory[hkey] = mapping.get(str(index), "")
    return memory
