"""Importing accounts: CSV and XLSX happy paths, row errors, dedup decisions, audit and the one event."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.audit.models import AuditEntry
from tandem.core.errors import ApplicationError
from tandem.core.models import OutboxEvent
from tandem.crm.models import Account
from tandem.crm.tests.factories import make_account
from tandem.integrations.choices import ImportStatus, RowDecision, RowStatus
from tandem.integrations.models import ImportMapping, ImportRow
from tandem.integrations.services import jobs
from tandem.integrations.tests.conftest import checked, credit_code, csv_upload, imported, upload, xlsx_upload

HEADER = ["客户名称", "统一社会信用代码", "客户等级", "行业", "城市", "负责人", "标签"]


def rows(team):
    return [
        HEADER,
        ["武汉宏泰建设工程有限公司", credit_code(1), "A类", "建筑", "武汉", "陈晓", "国企,重点"],
        ["上海瑞丰置业有限公司", credit_code(2), "VIP", "房地产", "上海", team.rep2.user.username, ""],
        ["成都蓝海数据科技有限公司", "", "", "数据中心", "成都", "", ""],
    ]


@pytest.mark.parametrize("make_file", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])
def test_accounts_import_from_csv_and_xlsx(team, make_file):
    job = checked(team.manager_access, "crm.account", make_file(rows(team)))
    assert job.status == ImportStatus.VALIDATED, job.error_message
    assert (job.total_rows, job.valid_rows, job.invalid_rows, job.matched_rows) == (3, 3, 0, 0)
    job = imported(team.manager_access, job)
    assert job.status == ImportStatus.DONE, job.error_message
    assert (job.created_count, job.updated_count, job.skipped_count) == (3, 0, 0)
    first = Account.objects.get(tenant=team.tenant, name="武汉宏泰建设工程有限公司")
    assert (first.credit_code, first.tier, first.industry, first.city) == (credit_code(1), "a", "construction", "武汉")
    assert first.owner == team.rep.user and first.tags == ["国企", "重点"]
    second = Account.objects.get(tenant=team.tenant, name="上海瑞丰置业有限公司")
    assert (second.tier, second.industry, second.owner) == ("vip", "real_estate", team.rep2.user)
    third = Account.objects.get(tenant=team.tenant, name="成都蓝海数据科技有限公司")
    assert third.owner == team.manager.user and third.tier == "c"  # the importer owns rows without an owner
    # One audit row per account (as the service writes) and one for the job; one event for the whole job.
    created = AuditEntry.objects.filter(tenant_id=team.tenant.pk, object_type="crm.account", action="create")
    assert created.count() == 3
    entry = created.get(object_id=str(first.pk))
    assert entry.after["name"] == first.name and entry.actor_id == team.manager.user_id
    assert entry.request_id == f"import-{job.pk}"
    summary = AuditEntry.objects.get(tenant_id=team.tenant.pk, object_type="integrations.importjob")
    assert summary.after["created"] == 3
    events = OutboxEvent.objects.filter(tenant=team.tenant)
    assert list(events.values_list("name", flat=True)) == ["integrations.import.completed"]
    assert events.get().payload == {
        "job_id": job.pk,
        "object_type": "crm.account",
        "file": job.file_name,
        "created": 3,
        "updated": 0,
        "skipped": 0,
    }


def test_row_errors_are_reported_per_row_and_block_the_commit_unless_skipped(team):
    outsider = team.admin.user  # outside the manager's department tree
    job = checked(
        team.manager_access,
        "crm.account",
        csv_upload(
            [
                HEADER,
                ["好公司", credit_code(1), "", "", "", "", ""],
                ["坏信用代码公司", "91420100MA4K123450", "", "", "", "", ""],
                ["", credit_code(3), "", "", "", "", ""],
                ["未知负责人公司", "", "", "", "", "张三丰", ""],
                ["好公司有限公司", "", "", "", "", "", ""],
                ["同代码公司", credit_code(1), "", "", "", "", ""],
                ["不在范围公司", "", "", "", "", outsider.username, ""],
                ["等级错误公司", "", "S+++", "", "", "", ""],
            ]
        ),
    )
    assert (job.valid_rows, job.invalid_rows) == (1, 7)
    errors = {row.number: row.errors for row in ImportRow.objects.filter(job=job, status=RowStatus.INVALID)}
    assert errors[3] == [["credit_code", errors[3][0][1]]] and "credit code" in errors[3][0][1]
    assert errors[4] == [["name", "Required."]]
    assert errors[5] == [["owner", "No active member is called 张三丰."]]
    assert errors[6] == [["name", "Same company as row 2."]]
    assert errors[7] == [["credit_code", "Same credit code as row 2."]]
    assert errors[8][0][0] == "owner" and "outside your reach" in errors[8][0][1]
    assert errors[9][0][0] == "tier"
    assert {e["field"] for e in job.errors} == {"credit_code", "name", "owner", "tier"}
    with pytest.raises(ApplicationError, match="7 rows have errors"):
        jobs.import_commit_start(access=team.manager_access, job=job)
    assert not Account.objects.filter(tenant=team.tenant).exists()
    job = imported(team.manager_access, job, skip_invalid=True)
    assert (job.status, job.created_count, job.skipped_count) == (ImportStatus.DONE, 1, 7)
    assert list(Account.objects.filter(tenant=team.tenant).values_list("name", flat=True)) == ["好公司"]


def test_gbk_csv_from_excel_on_chinese_windows(team):
    file = csv_upload(rows(team), encoding="gbk")
    job = upload(team.manager_access, "crm.account", file)
    assert job.encoding == "gb18030" and jobs.encoding_label(job.encoding) == "GBK/GB18030"
    assert job.headers == HEADER
    job = jobs.import_validation_start(access=team.manager_access, job=job)
    job = imported(team.manager_access, job)
    assert job.created_count == 3
    assert Account.objects.filter(tenant=team.tenant, name="上海瑞丰置业有限公司").exists()


def dedup_file():
    return csv_upload(
        [
            ["客户名称", "统一社会信用代码", "城市", "标签"],
            ["武汉地铁集团", credit_code(7), "武汉", "地铁"],  # same credit code: certain
            ["上海建工集团股份有限公司", "", "上海", ""],  # same name: certain
            ["杭州海康威视数字技术股份有限公司", "", "杭州", ""],  # similar name: maybe
            ["全新客户有限公司", "", "南京", ""],
        ]
    )


@pytest.fixture
def existing(team):
    owner = team.rep.user
    return {
        "metro": make_account(
            team.tenant, owner, name="武汉地铁集团有限公司", credit_code=credit_code(7), tags=["国企"]
        ),
        "jiangong": make_account(team.tenant, owner, name="上海建工集团股份有限公司"),
        "hik": make_account(team.tenant, owner, name="杭州海康威视数字技术有限公司"),
    }


def test_duplicates_are_found_by_credit_code_name_and_similar_name(team, existing):
    job = checked(team.manager_access, "crm.account", dedup_file())
    assert (job.valid_rows, job.matched_rows, job.invalid_rows) == (1, 3, 0)
    matched = {r.number: r for r in ImportRow.objects.filter(job=job, status=RowStatus.MATCHED)}
    assert (matched[2].match_id, matched[2].match_reason, matched[2].match_exact) == (
        existing["metro"].pk,
        "credit_code",
        True,
    )
    assert (matched[3].match_id, matched[3].match_reason, matched[3].match_exact) == (
        existing["jiangong"].pk,
        "name",
        True,
    )
    assert (matched[4].match_id, matched[4].match_reason, matched[4].match_exact) == (
        existing["hik"].pk,
        "similar_name",
        False,
    )
    assert matched[4].match_score == 100  # same core once the legal form is set aside
    assert "陈晓" in matched[2].match_label  # shown with the owner
    assert all(r.can_update for r in matched.values())  # the manager may change the rep's accounts
    assert matched[2].allowed_decisions() == ["update", "skip"]
    assert matched[4].allowed_decisions() == ["create", "update", "skip"]


def test_default_skip_creates_only_new_companies(team, existing):
    job = imported(team.manager_access, checked(team.manager_access, "crm.account", dedup_file()))
    assert (job.created_count, job.updated_count, job.skipped_count) == (1, 0, 3)
    assert Account.objects.filter(tenant=team.tenant).count() == 4


def test_decisions_per_row_and_default_for_all(team, existing):
    job = checked(team.manager_access, "crm.account", dedup_file())
    jobs.import_decisions_set(
        access=team.manager_access, job=job, default=RowDecision.CREATE, rows={2: RowDecision.UPDATE}
    )
    with pytest.raises(ApplicationError):  # a second account with the same name is refused
        jobs.import_decisions_set(access=team.manager_access, job=job, rows={3: RowDecision.CREATE})
    job = imported(team.manager_access, job)
    # Row 2 updates the metro account, row 3 (certain) cannot be created so it is skipped, row 4 is created.
    assert (job.created_count, job.updated_count, job.skipped_count) == (2, 1, 1)
    metro = Account.objects.get(pk=existing["metro"].pk)
    assert metro.name == "武汉地铁集团有限公司"  # the match keeps its name
    assert metro.city == "武汉" and metro.tags == ["国企", "地铁"]  # tags add up
    update = AuditEntry.objects.get(object_type="crm.account", object_id=str(metro.pk), action="update")
    assert update.before == {"city": "", "tags": ["国企"]}
    assert update.after == {"city": "武汉", "tags": ["国企", "地铁"]}
    assert Account.objects.filter(tenant=team.tenant, name="杭州海康威视数字技术股份有限公司").exists()
    assert Account.objects.filter(tenant=team.tenant, name="上海建工集团股份有限公司").count() == 1


def test_update_needs_the_right_to_change_the_record(team, existing):
    """A rep (own scope) may import but not update a colleague's account."""
    from tandem.accounts.models import Role

    role = Role.objects.get(tenant=team.tenant, key="sales")
    role.permissions = [*role.permissions, "crm.import_account"]
    role.save()
    from tandem.testing.kit import access_for

    rep2 = access_for(team.rep2)
    job = checked(rep2, "crm.account", dedup_file())
    assert not ImportRow.objects.filter(job=job, can_update=True).exists()
    with pytest.raises(ApplicationError):
        jobs.import_decisions_set(access=rep2, job=job, rows={2: RowDecision.UPDATE})
    jobs.import_decisions_set(access=rep2, job=job, default=RowDecision.UPDATE)
    job = imported(rep2, job)
    assert job.updated_count == 0 and job.skipped_count == 3 and job.created_count == 1


def test_the_mapping_is_remembered_for_the_next_import(team):
    file = csv_upload([["单位全称", "附注"], ["南京众诚机电有限公司", "老客户"]])
    job = upload(team.manager_access, "crm.account", file)
    assert job.mapping == {}  # neither header is known
    with pytest.raises(ApplicationError, match="column"):
        jobs.import_mapping_set(access=team.manager_access, job=job, mapping={"1": "notes"})
    jobs.import_mapping_set(access=team.manager_access, job=job, mapping={"0": "name", "1": "notes"})
    assert ImportMapping.objects.get(tenant=team.tenant, object_type="crm.account").columns == {
        "单位全称": "name",
        "附注": "notes",
    }
    again = upload(team.admin_access, "crm.account", csv_upload([["附注", "单位全称"], ["x", "y"]]))
    assert again.mapping == {"0": "notes", "1": "name"}
    other_tenant_job = ImportMapping.objects.exclude(tenant=team.tenant).exists()
    assert not other_tenant_job


def test_a_quoted_value_over_several_lines_imports_as_one_value(team):
    data = (
        '客户名称,地址,备注\n"武汉宏泰建设工程有限公司","武汉市\n江岸区","一期\n二期, 三期"\n'
        "上海瑞丰置业有限公司,上海,\n"
    )
    job = checked(team.manager_access, "crm.account", SimpleUploadedFile("multi.csv", data.encode()))
    assert (job.status, job.total_rows, job.valid_rows) == (ImportStatus.VALIDATED, 2, 2)
    job = imported(team.manager_access, job)
    first = Account.objects.get(tenant=team.tenant, name="武汉宏泰建设工程有限公司")
    assert (first.address, first.notes) == ("武汉市\n江岸区", "一期\n二期, 三期")
    assert Account.objects.get(tenant=team.tenant, name="上海瑞丰置业有限公司").address == "上海"


def test_a_formula_cell_is_a_row_error_while_phones_and_signs_stay_values(team):
    data = [
        ["客户名称", "地址", "备注"],
        ['=HYPERLINK("http://evil")', "武汉", ""],
        ["武汉宏泰建设工程有限公司", "@SUM(1+1)*cmd|' /C calc'!A0", ""],
        ["上海瑞丰置业有限公司", "+86 上海", "- 二期待定"],
    ]
    job = checked(team.manager_access, "crm.account", csv_upload(data))
    errors = {row.number: row.errors for row in ImportRow.objects.filter(job=job, status=RowStatus.INVALID)}
    formula = "This is a spreadsheet formula, not a value; type the value itself."
    assert errors == {2: [["name", formula]], 3: [["address", formula]]}
    assert ImportRow.objects.get(job=job, number=4).status == RowStatus.VALID
