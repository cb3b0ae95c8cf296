"""Importing leads (线索): matched on phone, email or a similar company name, never certainly."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.crm.choices import Industry, LeadSource, LeadStatus, Region
from tandem.crm.models import Lead
from tandem.crm.services.dedup import normalize_company_name
from tandem.integrations.imports import cells
from tandem.integrations.imports.cells import Field
from tandem.integrations.imports.importers.accounts import INDUSTRY_SYNONYMS, REGION_SYNONYMS
from tandem.integrations.imports.importers.base import (
    EXAMPLE_ADDRESS,
    EXAMPLE_CITY,
    EXAMPLE_PERSON,
    MONEY_HELP,
    QUERY_CHUNK,
    Importer,
    Match,
    label_with_owner,
    name_field,
    owner_field,
)
from tandem.integrations.imports.names import NameIndex

SOURCE_SYNONYMS = {
    LeadSource.WEBSITE: ("官网", "网站", "官网咨询", "网络", "线上"),
    LeadSource.REFERRAL: ("转介绍", "介绍", "客户介绍", "推荐", "老客户介绍"),
    LeadSource.EXHIBITION: ("展会", "展览", "会展"),
    LeadSource.TENDER: ("招标", "招标公告", "招投标", "投标"),
    LeadSource.COLD_CALL: ("电话", "陌拜", "电话营销", "陌生拜访", "电销"),
    LeadSource.WECHAT: ("微信", "公众号", "企业微信"),
    LeadSource.ADVERTISING: ("广告", "投放", "百度", "搜索推广"),
    LeadSource.PARTNER: ("合作伙伴", "渠道", "代理商", "伙伴"),
    LeadSource.OTHER: ("其他", "其它"),
}
STATUS_SYNONYMS = {
    LeadStatus.NEW: ("新建", "新线索", "未联系", "待跟进", "新"),
    LeadStatus.CONTACTED: ("已联系", "跟进中", "已跟进"),
    LeadStatus.QUALIFIED: ("已确认", "有效", "合格", "已验证"),
    LeadStatus.LOST: ("无效", "丢失", "已丢失", "关闭", "已关闭"),
}


class LeadImporter(Importer):
    object_type = "crm.lead"
    model = Lead
    one_of = ("company", "contact_name")
    fields = (
        name_field(
            "company",
            gettext_lazy("Company"),
            ("公司名称", "客户名称", "公司", "单位", "企业名称", "单位名称", "company", "company name"),
            200,
            required=False,
            help=gettext_lazy("The company's name; give the company, the contact person or both."),
            example=gettext_lazy("Example Property Development Co., Ltd."),
        ),
        name_field(
            "contact_name",
            gettext_lazy("Contact person"),
            ("联系人", "姓名", "联系人姓名", "contact", "name"),
            100,
            required=False,
            example=EXAMPLE_PERSON,
        ),
        Field(
            "title",
            gettext_lazy("Job title"),
            ("职位", "职务", "岗位", "title", "position"),
            clean=cells.text(100),
            example=gettext_lazy("Project director"),
        ),
        Field(
            "phone",
            gettext_lazy("Phone"),
            ("电话", "手机", "手机号", "联系电话", "手机号码", "mobile", "telephone", "tel"),
            clean=cells.phone,
            help=gettext_lazy("A mobile or office phone; a lead with the same phone may already exist."),
            example="13912345678",
        ),
        Field(
            "email",
            gettext_lazy("Email"),
            ("邮箱", "电子邮箱", "邮件", "email", "e-mail", "mail"),
            clean=cells.email,
            example="zhang.wei@example.com",
        ),
        Field(
            "wechat",
            gettext_lazy("WeChat ID"),
            ("微信", "微信号", "wechat", "weixin"),
            clean=cells.text(50),
            example="zhangwei_88",
        ),
        Field(
            "source",
            gettext_lazy("Source"),
            ("来源", "线索来源", "渠道来源", "获取渠道"),
            example=LeadSource.EXHIBITION.label,
            choices=tuple(LeadSource.choices),
            choice_synonyms=SOURCE_SYNONYMS,
        ),
        Field(
            "status",
            gettext_lazy("Status"),
            ("状态", "线索状态"),
            help=gettext_lazy("Empty means a new lead; a lost lead needs the reason."),
            example=LeadStatus.CONTACTED.label,
            choices=tuple((v, label) for v, label in LeadStatus.choices if v != LeadStatus.CONVERTED),
            choice_synonyms=STATUS_SYNONYMS,
        ),
        Field(
            "lost_reason",
            gettext_lazy("Reason lost"),
            ("无效原因", "丢失原因", "lost reason"),
            clean=cells.text(300),
            help=gettext_lazy("Why the lead was lost; required when the status says so."),
        ),
        Field(
            "industry",
            gettext_lazy("Industry"),
            ("行业", "所属行业"),
            example=Industry.REAL_ESTATE.label,
            choices=tuple(Industry.choices),
            choice_synonyms=INDUSTRY_SYNONYMS,
        ),
        Field(
            "region",
            gettext_lazy("Region"),
            ("区域", "大区", "地区"),
            example=Region.CENTRAL.label,
            choices=tuple(Region.choices),
            choice_synonyms=REGION_SYNONYMS,
        ),
        Field(
            "province",
            gettext_lazy("Province"),
            ("省份", "省"),
            clean=cells.text(30),
            example=gettext_lazy("Hubei"),
        ),
        Field("city", gettext_lazy("City"), ("城市", "市"), clean=cells.text(50), example=EXAMPLE_CITY),
        Field(
            "address",
            gettext_lazy("Address"),
            ("地址", "详细地址"),
            clean=cells.text(300),
            example=EXAMPLE_ADDRESS,
        ),
        Field(
            "estimated_amount",
            gettext_lazy("Estimated amount"),
            ("预计金额", "预算", "预估金额", "金额", "budget", "amount"),
            clean=cells.money,
            load=cells.load_decimal,
            help=MONEY_HELP,
            example="1200000",
        ),
        Field(
            "description",
            gettext_lazy("Requirements"),
            ("需求", "需求描述", "描述", "备注", "说明", "description", "notes"),
            clean=cells.text(5000),
            example=gettext_lazy("Chiller replacement for the office tower."),
        ),
        owner_field(),
    )

    def prepare(self, mapped) -> None:
        super().prepare(mapped)
        self.by_phone: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.existing: dict[int, tuple[str, int, bool]] = {}
        cores = []
        rows = Lead.objects.filter(tenant_id=self.tenant_id).values_list(
            "id", "company", "contact_name", "phone", "email", "owner_id", "status"
        )
        for lead_id, company, person, phone, email, owner_id, status in rows.iterator(chunk_size=QUERY_CHUNK):
            self.existing[lead_id] = (company or person, owner_id, status == LeadStatus.CONVERTED)
            if phone:
                self.by_phone.setdefault(phone, lead_id)
            if email:
                self.by_email.setdefault(email.lower(), lead_id)
            if company:
                cores.append((lead_id, normalize_company_name(company)))
        self.index = NameIndex(cores)
        self.seen: dict[tuple[str, str], int] = {}

    def check(self, data: dict, errors: list) -> None:
        if data.get("status") == LeadStatus.LOST and not data.get("lost_reason"):
            errors.append(["lost_reason", _("Say why the lead was lost.")])
        if data.get("company"):
            data["_core"] = normalize_company_name(data["company"])

    def in_file(self, data: dict, number: int) -> list[list[str]]:
        errors = []
        for key, message in (("phone", _("Same phone as row %(row)d.")), ("email", _("Same email as row %(row)d."))):
            value = data.get(key)
            if value:
                first = self.seen.setdefault((key, value), number)
                if first != number:
                    errors.append([key, message % {"row": first}])
        return errors

    def _match(self, lead_id: int, reason: str, score: float) -> Match:
        label, owner_id, _converted = self.existing[lead_id]
        return Match(lead_id, label_with_owner(label, self.owners.label(owner_id)), reason, round(score), False)

    def match(self, data: dict) -> Match | None:
        if data.get("phone") in self.by_phone:
            return self._match(self.by_phone[data["phone"]], "phone", 100)
        if data.get("email") in self.by_email:
            return self._match(self.by_email[data["email"]], "email", 100)
        found = self.index.best(data.get("_core", ""))
        if found is not None:
            return self._match(found[0], "similar_name", found[1])
        return None

    def updatable(self, ids: list[int]) -> set[int]:
        # A converted lead is closed; its account and deal carry on (as in lead_update).
        return {pk for pk in super().updatable(ids) if not self.existing[pk][2]}

    def prepare_commit(self) -> None:
        from django.utils import timezone

        from tandem.crm.services.sla import lead_response_due

        super().prepare_commit()
        self.now = timezone.now()
        self.response_due = lead_response_due(tenant_id=self.tenant_id, start=self.now)

    def build(self, data: dict, now) -> Lead:
        status = data.get("status") or LeadStatus.NEW
        amount = data.get("estimated_amount")
        return Lead(
            tenant_id=self.tenant_id,
            owner_id=data["owner"],
            company=data.get("company", ""),
            contact_name=data.get("contact_name", ""),
            title=data.get("title", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            wechat=data.get("wechat", ""),
            source=data.get("source") or LeadSource.OTHER,
            status=status,
            lost_reason=data.get("lost_reason", "") if status == LeadStatus.LOST else "",
            industry=data.get("industry", ""),
            region=data.get("region", ""),
            province=data.get("province", ""),
            city=data.get("city", ""),
            address=data.get("address", ""),
            estimated_amount=cells.load_decimal(amount),
            description=data.get("description", ""),
            created_at=now,
            response_due_at=self.response_due,
            # Moving past "new" counts as the first response, as when a lead is created by hand.
            first_response_at=now if status not in (LeadStatus.NEW, LeadStatus.LOST) else None,
        )

    def update(self, obj, data: dict) -> list[str]:
        changed = super().update(obj, data)
        if obj.status in (LeadStatus.CONTACTED, LeadStatus.QUALIFIED) and obj.first_response_at is None:
            obj.first_response_at = self.now
            changed.append("first_response_at")
        if obj.status != LeadStatus.LOST and obj.lost_reason:
            obj.lost_reason = ""
            changed.append("lost_reason")
        return changed
