"""Finding accounts that may be the same company: fuzzy name, phone, email, unified social credit code.

Company names are compared after normalising away legal-form words (有限公司, 有限责任公司, 股份,
集团, Co., Ltd., Inc. …), width and punctuation, so "上海建工集团股份有限公司" and "上海建工集团"
match, as do "Acme Co., Ltd." and "ACME Inc".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from rapidfuzz import fuzz, process

from tandem.crm.models import Account, AccountContact
from tandem.crm.validators import normalize_credit_code, normalize_phone

NAME_THRESHOLD = 80
# Above this many accounts, names are pre-filtered in the database before fuzzy matching.
FULL_SCAN_LIMIT = 5000
PREFILTER_ROWS = 20000

_CN_LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团股份",
    "集团公司",
    "集团",
    "股份",
    "总公司",
    "公司",
)
_EN_LEGAL_FORMS = re.compile(
    r"\b(co|company|corp|corporation|inc|incorporated|ltd|limited|llc|plc|gmbh|group|holdings?)\b"
)
_BRACKETS = re.compile(r"[()（）\[\]【】<>《》]")
_NOT_WORD = re.compile(r"[\W_]+")


def normalize_company_name(name: str) -> str:
    """The core of a company name: lower case, half-width, no legal form, no punctuation or spaces."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = _BRACKETS.sub(" ", text)
    text = _EN_LEGAL_FORMS.sub(" ", re.sub(r"[.,&/]", " ", text))
    for form in _CN_LEGAL_FORMS:
        text = text.replace(form, "")
    return _NOT_WORD.sub("", text)


DISTINCT_SCORE = 60.0


def distinct_brands(a: str, b: str) -> bool:
    """Two normalised names that share their place and trade but whose distinctive middles (字号) have two or
    more characters each and not one in common: 武汉华创机电工程 and 武汉宏达机电工程 are different companies,
    however many characters they share; 武汉华创机电 and 武汉华仓机电 (one character apart) may be one."""
    prefix = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        prefix += 1
    suffix = 0
    for x, y in zip(reversed(a[prefix:]), reversed(b[prefix:]), strict=False):
        if x != y:
            break
        suffix += 1
    middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    return len(middle_a) >= 2 and len(middle_b) >= 2 and not set(middle_a) & set(middle_b)


def name_similarity(a: str, b: str) -> float:
    """0–100 similarity of two normalised names; one name contained in the other scores at least 90; names
    whose distinctive parts differ completely score at most `DISTINCT_SCORE` (below the threshold)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    score = fuzz.ratio(a, b)
    if score >= NAME_THRESHOLD and distinct_brands(a, b):
        return min(score, DISTINCT_SCORE)
    if min(len(a), len(b)) >= 4 and (a in b or b in a):
        score = max(score, 90.0)
    return score


@dataclass
class DuplicateMatch:
    account: Account
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def _name_candidates(qs, name: str, limit: int) -> dict[int, float]:
    core = normalize_company_name(name)
    if len(core) < 2:
        return {}
    if qs.count() > FULL_SCAN_LIMIT:
        # Any shared two-character chunk; a duplicate with every chunk mistyped is not worth a full scan.
        step = max(1, (len(core) - 1) // 6)
        chunks = {core[i : i + 2] for i in range(0, len(core) - 1, step)}
        condition = Q()
        for chunk in chunks:
            condition |= Q(name__icontains=chunk)
        qs = qs.filter(condition)[:PREFILTER_ROWS]
    choices = {pk: normalize_company_name(n) for pk, n in qs.values_list("pk", "name")}
    found = process.extract(core, choices, scorer=_scorer, score_cutoff=NAME_THRESHOLD, limit=limit)
    return {pk: score for _choice, score, pk in found}


def _scorer(a, b, **_kwargs) -> float:
    return name_similarity(a, b)


def duplicates_find(
    *,
    access,
    name: str = "",
    phone: str = "",
    email: str = "",
    credit_code: str = "",
    exclude_id: int | None = None,
    limit: int = 10,
) -> list[DuplicateMatch]:
    """Accounts of the whole tenant that may be the same company, best first.

    The search spans the tenant, not the caller's scope: a colleague's customer is exactly the
    duplicate to catch. Callers show such matches by name and owner only.
    """
    accounts = Account.objects.filter(tenant_id=access.tenant_id)
    if exclude_id:
        accounts = accounts.exclude(pk=exclude_id)
    matches: dict[int, DuplicateMatch] = {}

    def add(pk: int, reason: str, score: float) -> None:
        match = matches.setdefault(pk, DuplicateMatch(account=None))
        match.reasons.append(reason)
        match.score = max(match.score, score)

    if name:
        for pk, score in _name_candidates(accounts, name, limit).items():
            add(pk, "name", score)
    code = normalize_credit_code(credit_code)
    if code:
        for pk in accounts.filter(credit_code=code).values_list("pk", flat=True):
            add(pk, "credit_code", 100.0)
    links = AccountContact.objects.filter(tenant_id=access.tenant_id, contact__deleted_at__isnull=True)
    if phone:
        try:
            number = normalize_phone(phone)
        except ValidationError:
            number = ""
        if number:
            hits = links.filter(Q(contact__mobile=number) | Q(contact__phone=number)).values_list(
                "account_id", flat=True
            )
            for pk in set(hits):
                add(pk, "phone", 100.0)
    if email and "@" in email:
        for pk in set(links.filter(contact__email__iexact=email.strip()).values_list("account_id", flat=True)):
            add(pk, "email", 100.0)
    if not matches:
        return []
    found = accounts.filter(pk__in=list(matches)).select_related("owner")
    for account in found:
        matches[account.pk].account = account
    result = [m for m in matches.values() if m.account is not None]
    result.sort(key=lambda m: (-len(m.reasons), -m.score, m.account.pk))
    return result[:limit]
