"""Importing deals (商机): each needs an account; numbered SJ-… in one block; matched on number or account + name."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.models import NumberingRule, NumberSequence
from tandem.crm.choices import DealStatus, DealType, LeadSource
from tandem.crm.models import Deal, Stage
from tandem.crm.services.pipelines import pipeline_default
from tandem.integrations.imports import cells
from tandem.integrations.imports.cells import CellError, Field
from tandem.integrations.imports.importers.base import (
    DATE_HELP,
    MONEY_HELP,
    QUERY_CHUNK,
    Importer,
    Match,
    account_field,
    label_with_owner,
    loose,
    name_field,
    owner_field,
)
from tandem.integrations.imports.importers.leads import SOURCE_SYNONYMS

NUMBER_TYPE, NUMBER_PREFIX = "crm.deal", "SJ"  # as deal_create numbers them
DEAL_TYPE_SYNONYMS = {
    DealType.INSTALLATION: ("新建安装", "安装", "新建", "安装工程", "新装"),
    DealType.RETROFIT: ("改造", "更新改造", "技改", "翻新"),
    DealType.MAINTENANCE: ("维保", "维护", "维修", "运维", "保养"),
    DealType.DESIGN: ("设计", "设计咨询"),
    DealType.SUPPLY: ("供货", "设备供货", "采购", "销售"),
    DealType.CONSULTING: ("咨询", "顾问"),
    DealType.OTHER: ("其他", "其它"),
}


def currency(value: str) -> str:
    code = {"人民币": "CNY", "rmb": "CNY", "元": "CNY", "美元": "USD", "欧元": "EUR", "港币": "HKD", "港元": "HKD"}.get(
        value.strip().lower(), value.strip().upper()
    )
    if len(code) != 3 or not code.isalpha():
        raise CellError(_("Write a currency code such as CNY."))
    return code


class DealImporter(Importer):
    object_type = "crm.deal"
    model = Deal
    fields = (
        Field(
            "number",
            gettext_lazy("Number"),
            ("商机编号", "编号", "number", "deal number"),
            updatable=False,
            help=gettext_lazy("Empty for new deals, which are numbered SJ-…; the number of a deal finds it."),
        ),
        name_field(
            "name",
            gettext_lazy("Deal name"),
            ("商机名称", "项目名称", "商机", "名称", "deal", "opportunity", "name"),
            200,
            help=gettext_lazy("A deal with the same account and name may already exist."),
            example=gettext_lazy("Office tower HVAC retrofit"),
        ),
        account_field(required=True),
        Field(
            "amount",
            gettext_lazy("Amount"),
            ("金额", "商机金额", "预计金额", "合同金额", "amount", "value"),
            clean=cells.money,
            load=cells.load_decimal,
            help=MONEY_HELP,
            example="850000",
        ),
        Field(
            "currency",
            gettext_lazy("Currency"),
            ("币种", "货币", "currency"),
            clean=currency,
            help=gettext_lazy("A currency code such as CNY; empty means your organisation's currency."),
            example="CNY",
        ),
        Field(
            "pipeline",
            gettext_lazy("Pipeline"),
            ("销售流程", "流程", "pipeline"),
            updatable=False,
            help=gettext_lazy("The name of a sales pipeline; empty means the default one."),
        ),
        Field(
            "stage",
            gettext_lazy("Stage"),
            ("阶段", "销售阶段", "商机阶段", "stage"),
            updatable=False,
            help=gettext_lazy("The name of an open stage of that pipeline; empty means its first stage."),
        ),
        Field(
            "expected_close_date",
            gettext_lazy("Expected close date"),
            ("预计成交日期", "预计签约日期", "预计成交时间", "成交日期", "预计结单日期", "close date"),
            clean=cells.a_date,
            load=cells.load_date,
            help=DATE_HELP,
        ),
        Field(
            "deal_type",
            gettext_lazy("Deal type"),
            ("商机类型", "业务类型", "类型", "type"),
            example=DealType.RETROFIT.label,
            choices=tuple(DealType.choices),
            choice_synonyms=DEAL_TYPE_SYNONYMS,
        ),
        Field(
            "source",
            gettext_lazy("Source"),
            ("来源", "商机来源"),
            example=LeadSource.REFERRAL.label,
            choices=tuple(LeadSource.choices),
            choice_synonyms=SOURCE_SYNONYMS,
        ),
        Field(
            "description",
            gettext_lazy("Description"),
            ("描述", "备注", "说明", "description", "notes"),
            clean=cells.text(5000),
            example=gettext_lazy("Replace two chillers and the cooling towers."),
        ),
        owner_field(),
    )

    def examples(self) -> dict[str, str]:
        values = super().examples()
        stage = (
            Stage.objects.filter(tenant_id=self.tenant_id, pipeline__is_default=True, is_won=False, is_lost=False)
            .select_related("pipeline")
            .order_by("order", "id")
            .first()
        )
        if stage is not None:  # a tenant without a pipeline yet gets the default one on its first import
            values["pipeline"], values["stage"] = stage.pipeline.name, stage.name
        values["expected_close_date"] = (timezone.localdate() + timedelta(days=90)).isoformat()
        return values

    def prepare(self, mapped) -> None:
        super().prepare(mapped)
        tenant = self.access.membership.tenant
        self.default_pipeline = pipeline_default(tenant=tenant)
        self.currency = tenant.currency
        self.pipelines: dict[str, int] = {}
        self.stages: dict[tuple[int, str], Stage] = {}
        self.first_stage: dict[int, Stage] = {}
        for stage in Stage.objects.filter(tenant_id=self.tenant_id).select_related("pipeline").order_by("order", "id"):
            self.pipelines.setdefault(loose(stage.pipeline.name), stage.pipeline_id)
            self.stages.setdefault((stage.pipeline_id, loose(stage.name)), stage)
            if not stage.is_won and not stage.is_lost:
                self.first_stage.setdefault(stage.pipeline_id, stage)
        self.by_number: dict[str, int] = {}
        self.by_account_name: dict[tuple[int, str], int] = {}
        self.existing: dict[int, tuple[str, int]] = {}
        rows = Deal.objects.filter(tenant_id=self.tenant_id).values_list(
            "id", "number", "name", "account_id", "owner_id"
        )
        for deal_id, number, deal_name, account_id, owner_id in rows.iterator(chunk_size=QUERY_CHUNK):
            self.existing[deal_id] = (f"{number} {deal_name}".strip(), owner_id)
            if number:
                self.by_number[number.upper()] = deal_id
            self.by_account_name.setdefault((account_id, loose(deal_name)), deal_id)
        self.seen: dict[tuple, int] = {}

    def check(self, data: dict, errors: list) -> None:
        pipeline_id = self.default_pipeline.pk
        if data.get("pipeline"):
            pipeline_id = self.pipelines.get(loose(data["pipeline"]))
            if pipeline_id is None:
                errors.append(["pipeline", _("No pipeline called %(name)s.") % {"name": data["pipeline"][:100]}])
                return
        if data.get("stage"):
            stage = self.stages.get((pipeline_id, loose(data["stage"])))
            if stage is None:
                errors.append(
                    ["stage", _("No stage called %(name)s in this pipeline.") % {"name": data["stage"][:100]}]
                )
                return
            if stage.is_won or stage.is_lost:
                errors.append(["stage", _("Create deals in an open stage; mark them won or lost afterwards.")])
                return
        else:
            stage = self.first_stage.get(pipeline_id)
            if stage is None:
                errors.append(["pipeline", _("This pipeline has no open stage.")])
                return
        data["stage_id"], data["pipeline_id"] = stage.pk, pipeline_id
        if data.get("number"):
            data["number"] = data["number"].strip().upper()

    def in_file(self, data: dict, number: int) -> list[list[str]]:
        errors = []
        keys = [("name", (data["account"], loose(data["name"])), _("Same account and deal name as row %(row)d."))]
        if data.get("number"):
            keys.append(("number", ("number", data["number"]), _("Same number as row %(row)d.")))
        for field, key, message in keys:
            first = self.seen.setdefault(key, number)
            if first != number:
                errors.append([field, message % {"row": first}])
        return errors

    def _match(self, deal_id: int, reason: str, exact: bool) -> Match:
        label, owner_id = self.existing[deal_id]
        return Match(deal_id, label_with_owner(label, self.owners.label(owner_id)), reason, 100, exact)

    def match(self, data: dict) -> Match | None:
        if data.get("number") in self.by_number:
            return self._match(self.by_number[data["number"]], "number", True)
        same = self.by_account_name.get((data["account"], loose(data["name"])))
        if same:
            return self._match(same, "account_and_name", False)
        return None

    def prepare_commit(self) -> None:
        super().prepare_commit()
        self.currency = self.access.membership.tenant.currency

    def before_batch(self, rows: list[dict]) -> None:
        self.numbers = iter(numbers_reserve(tenant_id=self.tenant_id, count=len(rows)))

    def build(self, data: dict, now) -> Deal:
        return Deal(
            tenant_id=self.tenant_id,
            owner_id=data["owner"],
            number=next(self.numbers),
            name=data["name"],
            account_id=data["account"],
            pipeline_id=data["pipeline_id"],
            stage_id=data["stage_id"],
            status=DealStatus.OPEN,
            amount=cells.load_decimal(data.get("amount")) or 0,
            currency=data.get("currency") or self.currency,
            expected_close_date=cells.load_date(data.get("expected_close_date")),
            deal_type=data.get("deal_type") or DealType.OTHER,
            source=data.get("source", ""),
            description=data.get("description", ""),
            stage_changed_at=now,
            created_at=now,
        )


def numbers_reserve(*, tenant_id: int, count: int) -> list[str]:
    """`count` consecutive deal numbers in one step, formatted as `number_next` formats one.

    Drawing 100k numbers one by one would lock the sequence row 100k times; this locks it once.
    """
    if count <= 0:
        return []
    rule = NumberingRule.objects.filter(tenant_id=tenant_id, object_type=NUMBER_TYPE).first()
    rule = rule or NumberingRule(tenant_id=tenant_id, object_type=NUMBER_TYPE, prefix=NUMBER_PREFIX)
    period = {"daily": "%Y%m%d", "monthly": "%Y%m", "yearly": "%Y", "never": ""}[rule.reset]
    period_key = timezone.localdate().strftime(period) if period else ""
    NumberSequence.objects.get_or_create(tenant_id=tenant_id, object_type=NUMBER_TYPE, period=period_key)
    sequence = NumberSequence.objects.select_for_update().get(
        tenant_id=tenant_id, object_type=NUMBER_TYPE, period=period_key
    )
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    head = [rule.prefix] + ([period_key] if period_key else [])
    return [
        rule.separator.join(p for p in [*head, str(value).zfill(rule.padding)] if p)
        for value in range(first, first + count)
    ]
