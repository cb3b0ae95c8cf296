"""Importing accounts (客户): matched on credit code, then on the company name, exactly or fuzzily."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.crm.choices import AccountTier, Industry, Region
from tandem.crm.models import Account
from tandem.crm.services.dedup import normalize_company_name
from tandem.integrations.imports import cells
from tandem.integrations.imports.cells import Field
from tandem.integrations.imports.importers.base import (
    EXAMPLE_ADDRESS,
    EXAMPLE_CITY,
    EXAMPLE_CREDIT_CODE,
    QUERY_CHUNK,
    CommitRefused,
    Importer,
    Match,
    label_with_owner,
    loose,
    name_field,
    owner_field,
)
from tandem.integrations.imports.names import NameIndex

MAX_TAGS, MAX_TAG_LENGTH = 20, 30
TIER_SYNONYMS = {
    AccountTier.VIP: ("vip", "vip客户", "重要客户", "战略客户", "s", "s级"),
    AccountTier.A: ("a", "a类", "a级", "a类客户", "a级客户", "重点客户"),
    AccountTier.B: ("b", "b类", "b级", "b类客户", "b级客户", "普通客户"),
    AccountTier.C: ("c", "c类", "c级", "c类客户", "c级客户", "一般客户", "潜在客户"),
}
INDUSTRY_SYNONYMS = {
    Industry.REAL_ESTATE: ("房地产", "地产", "房地产业", "置业"),
    Industry.CONSTRUCTION: ("建筑", "建筑业", "建筑施工", "建设", "施工", "工程"),
    Industry.MANUFACTURING: ("制造", "制造业", "工业", "工厂"),
    Industry.ENERGY: ("能源", "电力", "能源电力", "公用事业", "水务"),
    Industry.TRANSPORT: ("交通", "物流", "交通运输", "运输", "轨道交通"),
    Industry.HEALTHCARE: ("医疗", "医疗卫生", "医院", "医药"),
    Industry.EDUCATION: ("教育", "学校", "高校"),
    Industry.GOVERNMENT: ("政府", "政府机关", "事业单位", "公共事业", "机关"),
    Industry.DATA_CENTER: ("数据中心", "it", "互联网", "信息技术", "通信"),
    Industry.COMMERCIAL: ("商业", "零售", "商业零售", "商贸"),
    Industry.HOSPITALITY: ("酒店", "餐饮", "酒店餐饮", "旅游"),
    Industry.OTHER: ("其他", "其它"),
}
REGION_SYNONYMS = {
    Region.EAST: ("华东", "华东区", "华东地区"),
    Region.SOUTH: ("华南", "华南区", "华南地区"),
    Region.NORTH: ("华北", "华北区", "华北地区"),
    Region.CENTRAL: ("华中", "华中区", "华中地区"),
    Region.SOUTHWEST: ("西南", "西南区", "西南地区"),
    Region.NORTHWEST: ("西北", "西北区", "西北地区"),
    Region.NORTHEAST: ("东北", "东北区", "东北地区"),
    Region.OVERSEAS: ("海外", "境外", "国外", "国际"),
}


class AccountImporter(Importer):
    object_type = "crm.account"
    model = Account
    fields = (
        name_field(
            "name",
            gettext_lazy("Account name"),
            ("客户名称", "公司名称", "企业名称", "单位名称", "客户", "公司", "名称", "name", "company", "company name"),
            200,
            help=gettext_lazy(
                "The company's full registered name. A row named like an existing account is shown as one that "
                "may already exist."
            ),
            example=gettext_lazy("Example Electromechanical Engineering Co., Ltd."),
        ),
        Field(
            "credit_code",
            gettext_lazy("Unified social credit code"),
            ("统一社会信用代码", "社会信用代码", "信用代码", "税号", "纳税人识别号", "credit code", "uscc", "tax id"),
            clean=cells.credit_code,
            help=gettext_lazy(
                "The 18 characters on the business licence; checked, and the first thing an existing account is "
                "found by."
            ),
            example=EXAMPLE_CREDIT_CODE,
        ),
        Field(
            "tier",
            gettext_lazy("Tier"),
            ("等级", "客户等级", "级别", "客户级别", "分级", "level", "grade"),
            help=gettext_lazy("Empty means Tier C."),
            example=AccountTier.B.label,
            choices=tuple(AccountTier.choices),
            choice_synonyms=TIER_SYNONYMS,
        ),
        Field(
            "industry",
            gettext_lazy("Industry"),
            ("行业", "所属行业", "行业类别"),
            example=Industry.CONSTRUCTION.label,
            choices=tuple(Industry.choices),
            choice_synonyms=INDUSTRY_SYNONYMS,
        ),
        Field(
            "region",
            gettext_lazy("Region"),
            ("区域", "大区", "地区", "销售区域"),
            example=Region.CENTRAL.label,
            choices=tuple(Region.choices),
            choice_synonyms=REGION_SYNONYMS,
        ),
        Field(
            "province",
            gettext_lazy("Province"),
            ("省份", "省", "所在省份"),
            clean=cells.text(30),
            example=gettext_lazy("Hubei"),
        ),
        Field("city", gettext_lazy("City"), ("城市", "市", "所在城市"), clean=cells.text(50), example=EXAMPLE_CITY),
        Field(
            "address",
            gettext_lazy("Address"),
            ("地址", "详细地址", "办公地址", "公司地址"),
            clean=cells.text(300),
            example=EXAMPLE_ADDRESS,
        ),
        Field(
            "website",
            gettext_lazy("Website"),
            ("网址", "网站", "官网", "公司网站", "url"),
            clean=cells.url,
            help=gettext_lazy("A web address; http:// is added when it is missing."),
            example="www.example.com",
        ),
        Field(
            "tags",
            gettext_lazy("Tags"),
            ("标签", "客户标签"),
            clean=cells.tags(MAX_TAGS, MAX_TAG_LENGTH),
            help=gettext_lazy("Several tags separated by commas or 、; an update adds them to the account's tags."),
            example=gettext_lazy("state-owned, key account"),
        ),
        Field(
            "notes",
            gettext_lazy("Notes"),
            ("备注", "说明", "描述", "remark", "remarks", "comment"),
            clean=cells.text(5000),
            example=gettext_lazy("Met at the 2026 HVAC trade fair."),
        ),
        owner_field(),
    )

    def prepare(self, mapped) -> None:
        super().prepare(mapped)
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.existing: dict[int, tuple[str, int | None]] = {}
        cores = []
        rows = Account.objects.filter(tenant_id=self.tenant_id).values_list("id", "name", "credit_code", "owner_id")
        for account_id, account_name, code, owner_id in rows.iterator(chunk_size=QUERY_CHUNK):
            self.existing[account_id] = (account_name, owner_id)
            if code:
                self.by_code.setdefault(code, account_id)
            self.by_name.setdefault(loose(account_name), account_id)
            cores.append((account_id, normalize_company_name(account_name)))
        self.index = NameIndex(cores)
        self.seen_codes: dict[str, int] = {}
        self.seen_cores: dict[str, int] = {}

    def check(self, data: dict, errors: list) -> None:
        data["_core"] = normalize_company_name(data.get("name", ""))

    def in_file(self, data: dict, number: int) -> list[list[str]]:
        errors = []
        code = data.get("credit_code")
        if code:
            first = self.seen_codes.setdefault(code, number)
            if first != number:
                errors.append(["credit_code", _("Same credit code as row %(row)d.") % {"row": first}])
        core = data.get("_core")
        if core:
            first = self.seen_cores.setdefault(core, number)
            if first != number:
                errors.append(["name", _("Same company as row %(row)d.") % {"row": first}])
        return errors

    def _match(self, account_id: int, reason: str, score: float, exact: bool) -> Match:
        account_name, owner_id = self.existing[account_id]
        label = label_with_owner(account_name, self.owners.label(owner_id))
        return Match(account_id, label, reason, round(score), exact)

    def match(self, data: dict) -> Match | None:
        code = data.get("credit_code")
        if code and code in self.by_code:
            return self._match(self.by_code[code], "credit_code", 100, True)
        same_name = self.by_name.get(loose(data["name"]))
        if same_name:
            return self._match(same_name, "name", 100, True)
        found = self.index.best(data.get("_core", ""))
        if found is not None:
            return self._match(found[0], "similar_name", found[1], False)
        return None

    def prepare_commit(self) -> None:
        super().prepare_commit()
        self.new_per_owner: Counter = Counter()
        self.new_names: set[str] = set()
        self.new_codes: set[str] = set()

    def before_batch(self, rows: list[dict]) -> None:
        self.new_per_owner.update(row["owner"] for row in rows)
        self.new_names.update(loose(row["name"]) for row in rows)
        self.new_codes.update(row["credit_code"] for row in rows if row.get("credit_code"))

    def finish_commit(self, *, created_ids: set[int], since) -> None:
        self._check_created_meanwhile(created_ids, since)
        self._check_owner_caps()

    def _check_created_meanwhile(self, created_ids: set[int], since) -> None:
        """An account someone else created after the check may carry a name or credit code imported here."""
        if since is None:
            return
        rows = Account.objects.filter(tenant_id=self.tenant_id, created_at__gte=since).values_list(
            "id", "name", "credit_code"
        )
        for pk, name, code in rows.iterator(chunk_size=QUERY_CHUNK):
            if pk not in created_ids and (loose(name) in self.new_names or (code and code in self.new_codes)):
                raise CommitRefused(
                    _("%(name)s was created by someone else after the check; check the file again.") % {"name": name}
                )

    def _check_owner_caps(self) -> None:
        from django.db.models import Count

        from tandem.crm.services.pipelines import crm_settings

        cap = getattr(crm_settings(tenant_id=self.tenant_id), "max_owned_accounts", None)
        if not cap or not self.new_per_owner:
            return
        owned = dict(
            Account.objects.filter(tenant_id=self.tenant_id, owner_id__in=list(self.new_per_owner))
            .values("owner_id")
            .annotate(n=Count("id"))
            .values_list("owner_id", "n")
        )
        for owner_id in sorted(self.new_per_owner):
            if owned.get(owner_id, 0) > cap:
                raise CommitRefused(
                    _("%(owner)s would own %(n)d accounts, more than the limit of %(cap)d per member.")
                    % {"owner": self.owners.label(owner_id), "n": owned[owner_id], "cap": cap}
                )

    def build(self, data: dict, now) -> Account:
        return Account(
            tenant_id=self.tenant_id,
            owner_id=data["owner"],
            name=data["name"],
            credit_code=data.get("credit_code", ""),
            tier=data.get("tier") or AccountTier.C,
            industry=data.get("industry", ""),
            region=data.get("region", ""),
            province=data.get("province", ""),
            city=data.get("city", ""),
            address=data.get("address", ""),
            website=data.get("website", ""),
            tags=data.get("tags", []),
            notes=data.get("notes", ""),
            created_at=now,
        )

    def update(self, obj, data: dict) -> list[str]:
        data = dict(data)
        if "tags" in data:
            # Tags add up rather than replace: an import should not drop the tags people set by hand.
            data["tags"] = list(dict.fromkeys([*obj.tags, *data["tags"]]))[:MAX_TAGS]
        return super().update(obj, data)
