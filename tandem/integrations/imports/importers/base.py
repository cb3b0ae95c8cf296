"""What every importer shares: cleaning a row, owners, looking up accounts, and the commit hooks.

An importer is built once per validation or commit with the caller's access. `prepare()` loads
everything the row checks need in a few queries (members, existing keys, the name index), so a
row is checked in memory without any query; the commit builds model instances and leaves the
writing (bulk, batched, audited) to `tandem.integrations.services.commit`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tandem.crm.services.dedup import normalize_company_name
from tandem.crm.validators import normalize_credit_code
from tandem.integrations.imports import cells
from tandem.integrations.imports.cells import CellError, Field, looks_like_formula, name

QUERY_CHUNK = 5000


@dataclass(frozen=True)
class Match:
    """An existing record the row may be: its id, how it is shown, what matched, and whether it is certain."""

    record_id: int
    label: str
    reason: str
    score: int = 100
    exact: bool = False


# Example values of the import templates, shared by the importers.
EXAMPLE_CITY = gettext_lazy("Wuhan")
EXAMPLE_ADDRESS = gettext_lazy("88 Jianshe Avenue, Jianghan District")
EXAMPLE_PERSON = gettext_lazy("Zhang Wei")
EXAMPLE_CREDIT_CODE = "91420100MA4K00001U"
MONEY_HELP = gettext_lazy("An amount such as 120000, 12.5万 or ¥120,000.00.")
DATE_HELP = gettext_lazy("A date such as 2026-03-01 (2026/3/1 and 2026年3月1日 are read too).")


def owner_field() -> Field:
    return Field(
        "owner",
        pgettext_lazy("record owner", "Owner"),
        (
            "负责人",
            "所有人",
            "所有者",
            "归属人",
            "销售",
            "销售代表",
            "客户经理",
            "跟进人",
            "业务员",
            "owner",
            "sales rep",
        ),
        updatable=False,
        help=gettext_lazy(
            "The member responsible for the record, by username or name; empty means you. "
            "Only members within your reach can be named."
        ),
    )


def loose(text: str) -> str:
    return " ".join((text or "").split()).casefold()


class Owners:
    """Members a row may name as owner, by username or display name, within the caller's reach."""

    AMBIGUOUS = -1

    def __init__(self, access, model_name: str):
        from tandem.accounts.models import Membership

        self.access = access
        rows = Membership.objects.filter(tenant_id=access.tenant_id).values_list(
            "user_id", "user__username", "user__display_name", "is_active"
        )
        self.labels: dict[int, str] = {}
        self.by_key: dict[str, int] = {}
        by_display: dict[str, set[int]] = defaultdict(set)
        for user_id, username, display_name, is_active in rows:
            self.labels[user_id] = display_name or username
            if not is_active:
                continue
            self.by_key[loose(username)] = user_id
            if display_name:
                by_display[loose(display_name)].add(user_id)
        for key, ids in by_display.items():
            self.by_key.setdefault(key, next(iter(ids)) if len(ids) == 1 else self.AMBIGUOUS)
        scope = access.scope_for(f"crm.view_{model_name}")
        reach = access.visible_owner_ids(scope) if scope is not None else {access.user_id}
        self.reach: set[int] | None = reach

    def resolve(self, text: str) -> int:
        if not text.strip():
            return self.access.user_id
        user_id = self.by_key.get(loose(text))
        if user_id is None:
            raise CellError(_("No active member is called %(name)s.") % {"name": text[:50]})
        if user_id == self.AMBIGUOUS:
            raise CellError(_("Several members are called %(name)s; use the username.") % {"name": text[:50]})
        if self.reach is not None and user_id not in self.reach:
            raise CellError(_("%(name)s is outside your reach; you would no longer see the record.") % {"name": text})
        return user_id

    def label(self, user_id: int | None) -> str:
        return self.labels.get(user_id, "") if user_id else ""


class Accounts:
    """Accounts the caller can see, found by credit code, by name, or by a name with another legal form."""

    def __init__(self, access):
        from tandem.crm.models import Account

        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        by_core: dict[str, set[int]] = defaultdict(set)
        rows = Account.objects.restrict(access).values_list("id", "name", "credit_code")
        for account_id, account_name, code in rows.iterator(chunk_size=QUERY_CHUNK):
            if code:
                self.by_code[code] = account_id
            self.by_name.setdefault(loose(account_name), account_id)
            by_core[normalize_company_name(account_name)].add(account_id)
        self.by_core = {core: ids for core, ids in by_core.items() if core}

    def resolve(self, text: str) -> int:
        found = self.by_code.get(normalize_credit_code(text)) or self.by_name.get(loose(text))
        if found:
            return found
        ids = self.by_core.get(normalize_company_name(text), set())
        if len(ids) == 1:
            return next(iter(ids))
        if ids:
            raise CellError(
                _("Several accounts match %(name)s; use the full name or the credit code.") % {"name": text}
            )
        raise CellError(_("No account called %(name)s that you can see.") % {"name": text[:100]})


def account_field(required: bool) -> Field:
    return Field(
        "account",
        gettext_lazy("Account"),
        (
            "客户名称",
            "客户",
            "公司名称",
            "公司",
            "单位名称",
            "单位",
            "企业名称",
            "所属客户",
            "account",
            "customer",
            "company",
        ),
        required=required,
        updatable=False,
        help=gettext_lazy("The name or unified social credit code of an account you can see."),
    )


class Importer:
    """One object type's import rules; subclasses declare `fields` and the hooks below."""

    object_type = ""
    model = None
    fields: tuple[Field, ...] = ()
    # Fields a row must give one of (e.g. a lead's company or contact person).
    one_of: tuple[str, ...] = ()
    # True when the app's own services write (and audit) the rows: the commit hands all the rows to `write()`
    # at once instead of building, bulk inserting and auditing them itself.
    writes_itself = False

    def __init__(self, *, access):
        self.access = access
        self.tenant_id = access.tenant_id
        # Choice labels are read in both languages once per import, not once per module import.
        self.by_key = {
            f.key: replace(f, clean=cells.choice(cells.choice_options(f.choices, f.choice_synonyms or {})))
            if f.choices and f.clean is None
            else f
            for f in self.fields
        }
        self.owners: Owners | None = None
        self.accounts: Accounts | None = None

    @property
    def model_name(self) -> str:
        return self.object_type.split(".")[1]

    @property
    def app_label(self) -> str:
        return self.object_type.split(".")[0]

    @classmethod
    def field_list(cls) -> list[Field]:
        return list(cls.fields)

    @classmethod
    def synonyms(cls) -> dict[str, tuple[str, ...]]:
        """The names each field's column goes by: its label in both languages (a template downloaded in
        English maps in Chinese too), then its synonyms."""
        labels = {}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                for f in cls.fields:
                    labels.setdefault(f.key, []).append(str(f.label))
        return {f.key: (*labels[f.key], *f.synonyms) for f in cls.fields}

    def examples(self) -> dict[str, str]:
        """A value for each field that imports for the caller: the template's example row."""
        values = {f.key: str(f.example) for f in self.fields}
        if "owner" in values:
            values["owner"] = self.access.membership.user.username
        if "account" in values:
            from tandem.crm.models import Account

            visible = Account.objects.restrict(self.access).order_by("name").values_list("name", flat=True)
            values["account"] = visible.first() or ""
        return values

    def prepare(self, mapped: Iterable[str]) -> None:
        """Load what the row checks need; `mapped` names the fields the file gives."""
        mapped = set(mapped)
        self.mapped = mapped
        if "owner" in self.by_key:
            self.owners = Owners(self.access, self.model_name)
        if "account" in mapped:
            self.accounts = Accounts(self.access)

    def clean(self, raw: dict[str, str]) -> tuple[dict, list[list[str]]]:
        """Cleaned values and [field, message] errors of one row given as {field: cell text}."""
        data: dict = {}
        errors: list[list[str]] = []
        for key, text in raw.items():
            field = self.by_key[key]
            if not text:
                if field.required:
                    errors.append([key, _("Required.")])
                continue
            if looks_like_formula(text):
                errors.append([key, _("This is a spreadsheet formula, not a value; type the value itself.")])
                continue
            try:
                if key == "owner":
                    data[key] = self.owners.resolve(text)
                elif key == "account":
                    data[key] = self.accounts.resolve(text)
                else:
                    value = field.clean(text) if field.clean else text
                    if value not in ("", None, []):
                        data[key] = value
            except CellError as exc:
                errors.append([key, exc.message])
        for field in self.fields:
            if field.required and field.key not in raw:
                errors.append([field.key, _("Required.")])
        if self.one_of and not any(data.get(k) for k in self.one_of) and not any(e[0] in self.one_of for e in errors):
            labels = " / ".join(str(self.by_key[k].label) for k in self.one_of)
            errors.append([self.one_of[0], _("Give at least one of: %(fields)s.") % {"fields": labels}])
        if not errors:
            self.check(data, errors)
        if "owner" in self.by_key and "owner" not in data and not any(e[0] == "owner" for e in errors):
            data["owner"] = self.access.user_id
        return data, errors

    # --- hooks ---------------------------------------------------------------------------------------

    def check(self, data: dict, errors: list) -> None:
        """Rules across fields of one row; append [field, message] to `errors`."""

    def in_file(self, data: dict, number: int) -> list[list[str]]:
        """Errors when the row repeats an earlier row of the same file (remembered here)."""
        return []

    def match(self, data: dict) -> Match | None:
        """The existing record this row may be."""
        return None

    def updatable(self, ids: list[int]) -> set[int]:
        """Of the matched records, those the caller may change."""
        if not ids or not self.access.has_perm(f"{self.app_label}.change_{self.model_name}"):
            return set()
        found: set[int] = set()
        qs = self.model.objects.restrict(self.access, "change")
        for start in range(0, len(ids), QUERY_CHUNK):
            found.update(qs.filter(pk__in=ids[start : start + QUERY_CHUNK]).values_list("pk", flat=True))
        return found

    # commit
    def prepare_commit(self) -> None:
        """What the commit needs before the first batch."""
        self.owners = Owners(self.access, self.model_name)

    def before_batch(self, rows: list[dict]) -> None:
        """Reservations for a batch of rows about to be created (e.g. their numbers)."""

    def build(self, data: dict, now) -> object:
        """An unsaved model instance for a row to create."""
        raise NotImplementedError

    def after_create(self, created: list, rows: list[dict]) -> None:
        """Writes that need the created rows' ids (e.g. a contact's account link)."""

    def update(self, obj, data: dict) -> list[str]:
        """Set the row's values on an existing record; returns the fields that changed."""
        changed = []
        for key, value in data.items():
            field = self.by_key.get(key)
            if field is None or not field.updatable:
                continue
            value = field.load(value) if field.load else value
            if getattr(obj, key) != value:
                setattr(obj, key, value)
                changed.append(key)
        return changed

    def after_update(self, updated: list, rows: list[dict]) -> None:
        """Writes that follow updates (e.g. linking an updated contact to the row's account)."""

    def finish_commit(self, *, created_ids: set[int], since) -> None:
        """Checks over everything written, before the transaction commits; raise CommitRefused to undo it all."""

    def write(self, creates: list[dict], updates: list[tuple[int, dict]]) -> tuple[list, int]:
        """For an importer that `writes_itself`: create and update through the app's services (which audit);
        returns the created records and how many were updated. Raise CommitRefused to undo it all."""
        raise NotImplementedError


def label_with_owner(record_name: str, owner: str) -> str:
    return f"{record_name} ({owner})" if owner else record_name


def name_field(
    key: str, label, synonyms: tuple[str, ...], max_length: int, *, required: bool = True, **described
) -> Field:
    """A name column; `described` gives its help and example."""
    return Field(key, label, synonyms, required=required, clean=name(max_length), updatable=False, **described)


class CommitRefused(Exception):
    """The rows cannot be written as a whole; the message says why, and nothing is written."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)
