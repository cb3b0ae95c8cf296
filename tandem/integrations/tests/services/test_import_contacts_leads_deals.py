"""Importing contacts, leads and deals: CSV and XLSX happy paths, their own matching and rules."""

from datetime import date
from decimal import Decimal

import pytest

from tandem.audit.models import AuditEntry
from tandem.crm.choices import LeadStatus
from tandem.crm.models import AccountContact, Contact, Deal, Lead
from tandem.crm.tests.factories import make_account, make_contact, make_deal, make_lead
from tandem.integrations.choices import ImportStatus, RowDecision, RowStatus
from tandem.integrations.models import ImportRow
from tandem.integrations.services import jobs
from tandem.integrations.tests.conftest import checked, credit_code, csv_upload, imported, xlsx_upload

both_formats = pytest.mark.parametrize("make_file", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])


@pytest.fixture
def accounts(team):
    owner = team.rep.user
    return {
        "metro": make_account(team.tenant, owner, name="武汉地铁集团有限公司", credit_code=credit_code(7)),
        "jiangong": make_account(team.tenant, owner, name="上海建工集团股份有限公司"),
    }


# --- contacts ------------------------------------------------------------------------------------


@both_formats
def test_contacts_import_linked_to_their_accounts(team, accounts, make_file):
    old_primary = make_contact(team.tenant, team.rep.user, accounts["metro"], primary=True, name="老联系人")
    file = make_file(
        [
            ["姓名", "职务", "手机", "邮箱", "客户名称", "首要联系人", "负责人"],
            ["张伟", "项目经理", "139 0102 3457", "ZhangWei@Metro.cn", "武汉地铁集团有限公司", "是", "陈晓"],
            ["李娜", "采购经理", "+86 138-0013-8000", "", credit_code(7), "否", ""],
            ["王芳", "总工", "", "", "上海建工集团", "", ""],
        ]
    )
    job = checked(team.manager_access, "crm.contact", file)
    assert (job.valid_rows, job.invalid_rows) == (3, 0), job.errors
    job = imported(team.manager_access, job)
    assert (job.status, job.created_count) == (ImportStatus.DONE, 3), job.error_message
    zhang = Contact.objects.get(tenant=team.tenant, name="张伟")
    assert (zhang.mobile, zhang.email, zhang.title, zhang.owner) == (
        "13901023457",
        "zhangwei@metro.cn",
        "项目经理",
        team.rep.user,
    )
    assert Contact.objects.get(tenant=team.tenant, name="李娜").mobile == "13800138000"
    links = AccountContact.objects.filter(tenant=team.tenant)
    assert set(links.filter(account=accounts["metro"]).values_list("contact__name", "is_primary")) == {
        ("老联系人", False),
        ("张伟", True),
        ("李娜", False),
    }
    # "上海建工集团" finds the account whatever its legal form.
    assert links.get(contact__name="王芳").account == accounts["jiangong"]
    # Personal data is masked in the audit rows, as the services mask it.
    entry = AuditEntry.objects.get(object_type="crm.contact", object_id=str(zhang.pk))
    assert entry.after["mobile"] == "139****3457"
    assert old_primary.account_links.get().is_primary is False


def test_contacts_match_on_mobile_certainly_and_on_email_maybe(team, accounts):
    known = make_contact(team.tenant, team.rep.user, name="张伟", mobile="13901023457", email="zw@metro.cn")
    file = csv_upload(
        [
            ["姓名", "手机", "邮箱", "客户名称", "职务"],
            ["张伟", "13901023457", "", "", "总经理"],
            ["张伟（新）", "13800138000", "ZW@metro.cn", "", ""],
            ["重复手机", "13800138000", "", "", ""],
            ["未知客户", "", "", "不存在的公司", ""],
            ["坏号码", "12345", "", "", ""],
            ["首要无客户", "", "", "", ""],
        ]
    )
    job = checked(team.manager_access, "crm.contact", file)
    rows = {r.number: r for r in ImportRow.objects.filter(job=job)}
    assert (rows[2].status, rows[2].match_id, rows[2].match_exact) == (RowStatus.MATCHED, known.pk, True)
    assert (rows[3].status, rows[3].match_reason, rows[3].match_exact) == (RowStatus.MATCHED, "email", False)
    assert rows[4].errors == [["mobile", "Same mobile phone as row 3."]]
    assert rows[5].errors[0][0] == "account" and "不存在的公司" in rows[5].errors[0][1]
    assert rows[6].errors[0][0] == "mobile"
    jobs.import_decisions_set(access=team.manager_access, job=job, default=RowDecision.UPDATE, skip_invalid=True)
    job = imported(team.manager_access, job)
    assert (job.created_count, job.updated_count, job.skipped_count) == (1, 2, 3)
    known.refresh_from_db()
    assert known.title == "总经理"


# --- leads ---------------------------------------------------------------------------------------


@both_formats
def test_leads_import_with_sla_and_first_response(team, make_file):
    file = make_file(
        [
            ["公司名称", "联系人", "电话", "来源", "状态", "预计金额", "需求描述", "负责人"],
            ["南京众诚机电有限公司", "赵工", "13912345678", "展会", "新线索", "12.5万", "冷水机组改造", "陈晓"],
            ["", "钱经理", "025-83456789", "转介绍", "已联系", "¥80,000", "", ""],
            ["苏州恒信物流有限公司", "", "", "Website", "无效", "", "", ""],
        ]
    )
    job = checked(team.manager_access, "crm.lead", file)
    rows = {r.number: r for r in ImportRow.objects.filter(job=job)}
    assert rows[4].errors == [["lost_reason", "Say why the lead was lost."]]
    job = imported(team.manager_access, job, skip_invalid=True)
    assert (job.created_count, job.skipped_count) == (2, 1)
    lead = Lead.objects.get(tenant=team.tenant, company="南京众诚机电有限公司")
    assert (lead.source, lead.status, lead.estimated_amount, lead.owner) == (
        "exhibition",
        LeadStatus.NEW,
        Decimal("125000.00"),
        team.rep.user,
    )
    assert lead.response_due_at is not None and lead.first_response_at is None
    contacted = Lead.objects.get(tenant=team.tenant, contact_name="钱经理")
    assert contacted.status == LeadStatus.CONTACTED and contacted.first_response_at is not None
    assert (contacted.phone, contacted.estimated_amount) == ("02583456789", Decimal("80000.00"))


def test_leads_match_on_phone_email_or_similar_company_and_converted_ones_stay(team):
    make_lead(team.tenant, team.rep.user, company="杭州海康威视数字技术有限公司", phone="")
    converted = make_lead(team.tenant, team.rep.user, company="老客户", phone="13912345678", status="converted")
    file = csv_upload(
        [
            ["公司名称", "联系人", "手机"],
            ["杭州海康威视数字技术股份有限公司", "", ""],
            ["别的公司", "孙工", "139-1234-5678"],
        ]
    )
    job = checked(team.manager_access, "crm.lead", file)
    rows = {r.number: r for r in ImportRow.objects.filter(job=job)}
    assert (rows[2].match_reason, rows[2].can_update) == ("similar_name", True)
    assert (rows[3].match_id, rows[3].match_reason, rows[3].can_update) == (converted.pk, "phone", False)
    assert rows[3].allowed_decisions() == ["create", "skip"]


# --- deals ---------------------------------------------------------------------------------------


@both_formats
def test_deals_import_numbered_in_stages_of_the_pipeline(team, accounts, make_file):
    file = make_file(
        [
            ["商机名称", "客户名称", "金额", "阶段", "预计成交日期", "商机类型", "负责人"],
            ["2号线机电安装", "武汉地铁集团有限公司", "1,280,000", "方案报价", "2026-09-30", "安装", "陈晓"],
            ["总部大楼暖通改造", "上海建工集团", "35万", "", "2026年12月1日", "改造", ""],
        ]
    )
    job = checked(team.manager_access, "crm.deal", file)
    assert job.valid_rows == 2, job.errors
    job = imported(team.manager_access, job)
    assert job.created_count == 2, job.error_message
    first = Deal.objects.get(tenant=team.tenant, name="2号线机电安装")
    assert (first.account, first.amount, first.stage.name, first.status) == (
        accounts["metro"],
        Decimal("1280000.00"),
        "方案报价",
        "open",
    )
    assert (first.expected_close_date, first.deal_type, first.owner) == (
        date(2026, 9, 30),
        "installation",
        team.rep.user,
    )
    second = Deal.objects.get(tenant=team.tenant, name="总部大楼暖通改造")
    assert second.stage.order == 1 and second.amount == Decimal("350000.00") and second.currency == "CNY"
    numbers = sorted(Deal.objects.filter(tenant=team.tenant).values_list("number", flat=True))
    assert numbers[0].startswith("SJ-") and numbers[1][-4:] == "0002" and numbers[0][-4:] == "0001"
    # The next deal created by hand goes on from the imported block.
    from tandem.crm.services.deals import deal_create

    later = deal_create(access=team.manager_access, name="手工商机", account=accounts["metro"])
    assert later.number[-4:] == "0003"


def test_deal_rules_closed_stage_unknown_account_and_matching(team, accounts):
    existing = make_deal(team.tenant, team.rep.user, accounts["metro"], name="2号线机电安装", number="SJ-OLD-1")
    file = csv_upload(
        [
            ["商机编号", "商机名称", "客户名称", "阶段", "金额"],
            ["sj-old-1", "改名了", "武汉地铁集团有限公司", "", "10"],
            ["", "2号线机电安装", "武汉地铁集团有限公司", "", "20"],
            ["", "新商机", "不存在的公司", "", ""],
            ["", "赢单导入", "武汉地铁集团有限公司", "赢单", ""],
            ["", "负金额", "武汉地铁集团有限公司", "", "-5"],
        ]
    )
    job = checked(team.manager_access, "crm.deal", file)
    rows = {r.number: r for r in ImportRow.objects.filter(job=job)}
    assert (rows[2].match_id, rows[2].match_exact, rows[2].match_reason) == (existing.pk, True, "number")
    assert (rows[3].match_id, rows[3].match_exact, rows[3].match_reason) == (existing.pk, False, "account_and_name")
    assert rows[4].errors[0][0] == "account"
    assert rows[5].errors == [["stage", "Create deals in an open stage; mark them won or lost afterwards."]]
    assert rows[6].errors[0][0] == "amount"
    jobs.import_decisions_set(access=team.manager_access, job=job, rows={2: RowDecision.UPDATE, 3: RowDecision.SKIP})
    job = imported(team.manager_access, job, skip_invalid=True)
    existing.refresh_from_db()
    assert (existing.name, existing.amount) == ("2号线机电安装", Decimal("10.00"))  # identity kept, amount updated
    assert (job.created_count, job.updated_count, job.skipped_count) == (0, 1, 4)
