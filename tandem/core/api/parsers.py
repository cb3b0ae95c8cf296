"""The API's JSON parser: DRF's, refusing bodies nested deeper than any of our inputs with a 400."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# The deepest input of ours (a condition tree of an automation rule) nests a few dozen levels; a body nested
# thousands deep is an attack on the decoder and on everything that walks the data after it.
MAX_DEPTH = 100


def too_deep(data, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and objects nest deeper than `limit`, found without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        message = _("The JSON body is nested too deeply (at most %(limit)s levels).") % {"limit": MAX_DEPTH}
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(message) from exc
        if too_deep(data):
            raise ParseError(message)
        return data
