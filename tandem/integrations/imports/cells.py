"""Turning one cell's text into a field value, or a message saying what is wrong with it.

Values come back JSON-safe (decimals and dates as text) because validated rows are stored
between the preview and the commit; `Field.load` turns them back into Python values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from tandem.crm.validators import normalize_credit_code, normalize_phone
from tandem.integrations.imports.mapping import header_key

MAX_AMOUNT = Decimal("1e14")  # DecimalField(max_digits=16, decimal_places=2)
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])
_TAG_SPLIT = re.compile(r"[,，;；、|/]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONEY_NOISE = re.compile(r"[\s,，¥￥$]|元|RMB|CNY", re.I)
# What a spreadsheet would run: "=…", or +/-/@ before a function call (@SUM(…)) or a DDE link (cmd|'…'!A0).
# A phone number (+86 …), a negative amount (-5) or a note ("- see below") is not one.
_FORMULA = re.compile(r"^(?:=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\(|[+\-@].*\|.*!)", re.S)
TRUE = {"1", "true", "yes", "y", "是", "对", "√", "✓", "✔", "x"}
FALSE = {"0", "false", "no", "n", "否", "不是", "×", ""}


class CellError(Exception):
    """The cell's text is not a valid value; the message says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


Cleaner = Callable[[str], object]


@dataclass(frozen=True)
class Field:
    """An importable field: its key, label, the header names it goes by, and how a cell becomes a value.

    `help` says what the column holds and `example` is a value that imports, for the import template;
    a field with `choices` (value, label) reads a choice by its value, its label in either language or one
    of `choice_synonyms` {value: names}.
    """

    key: str
    label: object
    synonyms: tuple[str, ...] = ()
    required: bool = False
    clean: Cleaner | None = None
    load: Callable[[object], object] | None = None  # stored JSON value → model value
    updatable: bool = True  # may overwrite an existing record's value
    help: object = ""
    example: object = ""
    choices: tuple[tuple[str, object], ...] = ()
    choice_synonyms: Mapping[str, Iterable[str]] | None = None


def looks_like_formula(value: str) -> bool:
    """The cell would run as a formula if a spreadsheet opened it."""
    return bool(_FORMULA.match(value))


def text(max_length: int) -> Cleaner:
    def clean(value: str) -> str:
        value = value.strip()
        if len(value) > max_length:
            raise CellError(_("At most %(n)d characters.") % {"n": max_length})
        return value

    return clean


def name(max_length: int) -> Cleaner:
    """Text with runs of spaces collapsed, as the services store names."""

    def clean(value: str) -> str:
        value = " ".join(value.split())
        if len(value) > max_length:
            raise CellError(_("At most %(n)d characters.") % {"n": max_length})
        return value

    return clean


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {char: index for index, char in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_DIGITS = frozenset("0123456789")


def uscc_is_valid(code: str) -> bool:
    """GB 32100-2015 as `stdnum.cn.uscc.is_valid` checks it (eight digits, the code alphabet, the check
    character), for a code already compacted; a few times faster, which counts at 100k rows."""
    if len(code) != 18 or not _DIGITS.issuperset(code[:8]):
        return False
    value = _USCC_VALUE
    try:
        total = sum(value[char] * weight for char, weight in zip(code[:17], _USCC_WEIGHTS, strict=True))
        return value[code[17]] == (31 - total) % 31
    except KeyError:
        return False


def credit_code(value: str) -> str:
    code = normalize_credit_code(value)
    if code and not uscc_is_valid(code):
        raise CellError(_("Not a valid unified social credit code: 18 characters ending in a check character."))
    return code


def phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def email(value: str) -> str:
    value = value.strip().lower()
    if value:
        if len(value) > 254:
            raise CellError(_("At most %(n)d characters.") % {"n": 254})
        try:
            _email(value)
        except ValidationError:
            raise CellError(_("Not an email address.")) from None
    return value


def url(value: str) -> str:
    value = value.strip()
    if value and "://" not in value:
        value = "http://" + value
    if value:
        if len(value) > 200:
            raise CellError(_("At most %(n)d characters.") % {"n": 200})
        try:
            _url(value)
        except ValidationError:
            raise CellError(_("Not a web address.")) from None
    return value


def choice(options: Mapping[str, str]) -> Cleaner:
    """A choice given by its value, its label in either language or a synonym (all compared loosely)."""

    def clean(value: str) -> str:
        if not value.strip():
            return ""
        found = options.get(header_key(value))
        if found is None:
            raise CellError(_("Not one of the choices: %(value)s.") % {"value": value[:50]})
        return found

    return clean


def choice_options(choices: Iterable[tuple[str, object]], synonyms: Mapping[str, Iterable[str]] = ()) -> dict:
    """Loose text → choice value, from the values, their labels in English and Chinese, and synonyms."""
    from django.utils import translation

    options: dict[str, str] = {}
    choices = list(choices)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for value, label in choices:
                options.setdefault(header_key(str(label)), value)
    for value, _label in choices:
        options.setdefault(header_key(value), value)
    for value, names in dict(synonyms).items():
        for item in names:
            options.setdefault(header_key(item), value)
    return options


def money(value: str) -> str:
    """An amount of money ≥ 0 with at most two decimals; "12.5万" means 125,000."""
    text = _MONEY_NOISE.sub("", unicodedata.normalize("NFKC", value))
    if not text:
        return ""
    factor = Decimal(1)
    if text.endswith("万"):
        text, factor = text[:-1], Decimal(10000)
    elif text.endswith("亿"):
        text, factor = text[:-1], Decimal(100000000)
    try:
        amount = (Decimal(text) * factor).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise CellError(_("Not an amount.")) from None
    if not amount.is_finite() or amount < 0:
        raise CellError(_("Give an amount of zero or more."))
    if amount >= MAX_AMOUNT:
        raise CellError(_("Too large an amount."))
    return str(amount)


def a_date(value: str) -> str:
    """2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日 or 20260301 (spreadsheet dates arrive as the first)."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return ""
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise CellError(_("Not a date; write it as 2026-03-01."))
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        raise CellError(_("Not a date; write it as 2026-03-01.")) from None


def tags(max_tags: int, max_length: int) -> Cleaner:
    def clean(value: str) -> list[str]:
        items = list(dict.fromkeys(t.strip() for t in _TAG_SPLIT.split(value) if t.strip()))
        if len(items) > max_tags or any(len(t) > max_length for t in items):
            raise CellError(
                _("At most %(n)d tags of at most %(len)d characters each.") % {"n": max_tags, "len": max_length}
            )
        return items

    return clean


def boolean(value: str) -> bool:
    key = header_key(value)
    if key in TRUE:
        return True
    if key in FALSE:
        return False
    raise CellError(_("Write yes or no (是/否)."))


def load_decimal(value):
    return Decimal(value) if value not in (None, "") else None


def load_date(value):
    return date.fromisoformat(value) if value else None
