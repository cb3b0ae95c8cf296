"""A sandboxed Django template engine for text written by tenant admins (message texts, print templates).

Admins write Django template syntax, so the engine here is a dedicated `Engine` with no loaders, no context
processors and only an allow-list of tags and filters. It renders against a copy of the data made of JSON
types only, held in "sealed" containers: a dotted lookup reaches keys and list items, never a method or
attribute, so neither a model instance nor `dict.clear` / `list.pop` is within reach. Names starting with an
underscore are refused by Django's parser itself.

Allowed tags: if (elif/else), for (empty), with, firstof, now, comment. `now` is kept because "printed at"
lines are common and it only reads the clock; everything else (load, include, extends, debug, ssi, url,
csrf_token, autoescape, filter, cycle, ...) is refused by name.

Allowed filters: default, default_if_none, date (on ISO strings), floatformat, truncatechars, truncatewords,
upper, lower, title, capfirst, length, join, first, last, yesno, pluralize, linebreaksbr, cny. `safe`,
`escape`-toggles and anything touching files, URLs or markup are not offered.

Numbers, booleans and None stay plain Python values: their only attributes (`real`, `numerator`, ...) are
arithmetic on the value itself, so they reach nothing beyond the data.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum

from django.template import Context, Engine, Library, TemplateSyntaxError, defaultfilters, defaulttags
from django.template.base import Lexer, TokenType
from django.utils import dateformat, dateparse, formats, timezone, translation
from django.utils.functional import Promise

MAX_TEMPLATE_CHARS = 10_000
MAX_OUTPUT_CHARS = 100_000
# Item visits across all loops of one render; nested loops over modest data would
# otherwise multiply into a very large output before the output cap could be checked.
MAX_LOOP_ITEMS = 10_000
MAX_PAYLOAD_DEPTH = 20

ALLOWED_TAGS = ("if", "for", "with", "firstof", "now", "comment")
# Parsed by their opening tag, never looked up in the library.
_INNER_TAGS = frozenset({"elif", "else", "endif", "empty", "endfor", "endwith", "endcomment"})
ALLOWED_FILTERS = (
    "default",
    "default_if_none",
    "floatformat",
    "truncatechars",
    "truncatewords",
    "upper",
    "lower",
    "title",
    "capfirst",
    "length",
    "join",
    "first",
    "last",
    "yesno",
    "pluralize",
    "linebreaksbr",
)
CUSTOM_FILTERS = ("date", "cny")


class SandboxError(ValueError):
    """A template that cannot be rendered; `reasons` are the human-readable causes."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class _SealedLookup(Exception):
    """Raised for a lookup outside the payload; Django turns it into `string_if_invalid`."""

    silent_variable_failure = True


class _LoopBudgetExceeded(Exception):
    pass


_loop_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("sandbox_loop_budget", default=None)


class _SealedDict(dict):
    # A missing key must not fall through to getattr (dict.items, dict.clear, …); Django only
    # falls back for KeyError and friends, so a silent failure of another type stops it.
    def __missing__(self, key):
        raise _SealedLookup(key)


class _SealedList(list):
    def __getitem__(self, index):
        if isinstance(index, str):
            # "items.0" arrives as the string "0"; anything else would fall back to getattr.
            if not index.isdigit():
                raise _SealedLookup(index)
            try:
                return super().__getitem__(int(index))
            except IndexError as exc:
                raise _SealedLookup(index) from exc
        return super().__getitem__(index)

    def __iter__(self):
        budget = _loop_budget.get()
        for item in super().__iter__():
            if budget is not None:
                budget[0] -= 1
                if budget[0] < 0:
                    raise _LoopBudgetExceeded
            yield item


class _SealedContext(Context):
    # A missing top-level name would otherwise fall back to the Context object's own
    # attributes (`template`, `render_context`, …).
    def __getitem__(self, key):
        for layer in reversed(self.dicts):
            if key in layer:
                return layer[key]
        raise _SealedLookup(key)


class _SealedStr(str):
    def __getitem__(self, index):
        if isinstance(index, str):
            raise _SealedLookup(index)
        return super().__getitem__(index)


def template_data(value, *, _depth: int = 0):
    """Copy a payload into JSON types (Decimal → str, dates → ISO) inside sealed containers."""
    if _depth > MAX_PAYLOAD_DEPTH:
        raise TypeError(f"payload is nested deeper than {MAX_PAYLOAD_DEPTH} levels")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Enum):
        return template_data(value.value, _depth=_depth + 1)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str | Promise):
        return _SealedStr(str(value))
    if isinstance(value, Decimal | uuid.UUID):
        return _SealedStr(str(value))
    if isinstance(value, dt.date | dt.time):
        return _SealedStr(value.isoformat())
    if isinstance(value, Mapping):
        return _SealedDict((str(k), template_data(v, _depth=_depth + 1)) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return _SealedList(template_data(v, _depth=_depth + 1) for v in value)
    raise TypeError(f"payload value of type {type(value).__name__} is not JSON-safe")


# --- the template library ----------------------------------------------------------------------

register = Library()
for _name in ALLOWED_TAGS:
    register.tags[_name] = defaulttags.register.tags[_name]
for _name in ALLOWED_FILTERS:
    # The registered function carries Django's flags (is_safe, needs_autoescape, …) with it.
    register.filters[_name] = defaultfilters.register.filters[_name]


def _parse_iso(value):
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dateparse.parse_datetime(value) or dateparse.parse_date(value)
    except ValueError:
        return None


@register.filter(name="date")
def date_filter(value, arg=None):
    """Format an ISO date or datetime string; aware datetimes are shown in the active timezone."""
    parsed = _parse_iso(value)
    if parsed is None:
        return ""
    if isinstance(parsed, dt.datetime) and timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    try:
        return formats.date_format(parsed, arg)
    except (AttributeError, TypeError, ValueError):
        try:
            return dateformat.format(parsed, arg)
        except (AttributeError, TypeError, ValueError):
            return ""


@register.filter(is_safe=True)
def cny(value, places=2):
    """Format an amount in yuan: 1280000 → ¥1,280,000.00 (negative amounts as -¥…)."""
    try:
        amount = Decimal(str(value).strip())
        places = int(places)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if not amount.is_finite() or not 0 <= places <= 6:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.{places}f}"


class _SandboxEngine(Engine):
    # Engine always prepends Django's full tag/filter set; the sandbox starts from nothing.
    default_builtins = []


@functools.cache
def _engine(autoescape: bool) -> Engine:
    return _SandboxEngine(
        loaders=[],
        context_processors=[],
        libraries={},
        builtins=[__name__],
        string_if_invalid="",
        autoescape=autoescape,
        # Debug only annotates errors with their line, which the editors show.
        debug=True,
    )


# --- validation and rendering ------------------------------------------------------------------


def _tag_reasons(template_text: str) -> list[str]:
    reasons = []
    allowed = ", ".join(ALLOWED_TAGS)
    for token in Lexer(template_text).tokenize():
        if token.token_type != TokenType.BLOCK or not token.contents.split():
            continue
        name = token.contents.split()[0]
        if name not in ALLOWED_TAGS and name not in _INNER_TAGS:
            reasons.append(f"line {token.lineno}: tag {{% {name} %}} is not allowed (allowed tags: {allowed})")
    return reasons


def _syntax_reason(exc: TemplateSyntaxError) -> str:
    message = str(exc)
    line = getattr(exc, "template_debug", {}).get("line")
    where = f"line {line}: " if line else ""
    if message.startswith("Invalid filter:"):
        name = message.split(":", 1)[1].strip().strip("'\"")
        allowed = ", ".join(sorted((*ALLOWED_FILTERS, *CUSTOM_FILTERS)))
        return f"{where}filter |{name} is not allowed (allowed filters: {allowed})"
    return f"{where}template syntax error: {message}"


def _compile(template_text: str, *, autoescape: bool, max_chars: int = MAX_TEMPLATE_CHARS):
    if not isinstance(template_text, str):
        raise SandboxError(["template must be text"])
    if len(template_text) > max_chars:
        raise SandboxError([f"template is {len(template_text)} characters long; the limit is {max_chars}"])
    reasons = _tag_reasons(template_text)
    if reasons:
        raise SandboxError(reasons)
    try:
        return _engine(autoescape).from_string(template_text)
    except TemplateSyntaxError as exc:
        raise SandboxError([_syntax_reason(exc)]) from None


def validate_template(template_text, *, max_chars: int = MAX_TEMPLATE_CHARS) -> list[str]:
    """Reasons the template would be refused; an empty list means it is acceptable."""
    try:
        _compile(template_text, autoescape=False, max_chars=max_chars)
    except SandboxError as exc:
        return exc.reasons
    return []


def render_template(
    template_text: str,
    data: dict,
    *,
    language: str,
    autoescape: bool = False,
    max_chars: int = MAX_TEMPLATE_CHARS,
    max_output: int = MAX_OUTPUT_CHARS,
    what: str = "rendered text",
) -> str:
    """Render a user-written template against a JSON-only copy of `data` in `language`.

    `autoescape` is off for plain text, Markdown and IM messages and on for HTML (email bodies, print templates).
    Raises SandboxError for a refused template, a runaway loop or an oversized result (`what` names it).
    """
    template = _compile(template_text, autoescape=autoescape, max_chars=max_chars)
    context = _SealedContext(template_data(dict(data)), autoescape=autoescape)
    token = _loop_budget.set([MAX_LOOP_ITEMS])
    try:
        with translation.override(language):
            output = template.render(context)
    except _LoopBudgetExceeded:
        raise SandboxError([f"loops visit more than {MAX_LOOP_ITEMS} items"]) from None
    finally:
        _loop_budget.reset(token)
    if len(output) > max_output:
        raise SandboxError([f"{what} is {len(output)} characters; the limit is {max_output}"])
    return output
