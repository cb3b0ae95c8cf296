"""The duplicate finder: normalised fuzzy names, phone, email and credit code across the tenant."""

import pytest

from tandem.crm.services.dedup import duplicates_find, name_similarity, normalize_company_name
from tandem.crm.tests.factories import make_account, make_contact
from tandem.testing.kit import make_member, make_tenant


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("上海建工集团股份有限公司", "上海建工集团"),
        ("中建三局第一建设工程有限责任公司", "中建三局第一建设工程有限公司"),
        ("华为技术有限公司（深圳）", "华为技术(深圳)有限公司"),
        ("Acme Co., Ltd.", "ACME Inc"),
        ("ＡＣＭＥ　Ｌｉｍｉｔｅｄ", "acme"),
    ],
)
def test_legal_forms_width_and_punctuation_do_not_matter(a, b):
    assert normalize_company_name(a) == normalize_company_name(b)


def test_similar_names_score_high_and_different_ones_low():
    assert name_similarity(normalize_company_name("中建三局一公司"), normalize_company_name("中建三局第一公司")) >= 80
    assert name_similarity(normalize_company_name("中建三局"), normalize_company_name("中建三局北京分公司")) >= 90
    assert name_similarity(normalize_company_name("上海建工"), normalize_company_name("北京城建")) < 50


def test_finds_colleagues_accounts_by_name_phone_email_and_code(team):
    by_name = make_account(team.tenant, team.rep2.user, name="上海建工集团股份有限公司")
    by_code = make_account(team.tenant, team.rep2.user, name="毫不相干", credit_code="91110000600037341L")
    by_phone = make_account(team.tenant, team.rep2.user, name="电话匹配公司")
    make_contact(team.tenant, team.rep2.user, by_phone, mobile="13901023457", email="li@example.com")
    make_account(team.tenant, team.rep2.user, name="北京城建集团")
    foreign = make_tenant()
    make_account(foreign, make_member(foreign).user, name="上海建工集团")

    matches = duplicates_find(
        access=team.rep_access,
        name="上海建工集团",
        phone="+86 139 0102 3457",
        email="LI@example.com",
        credit_code="91110000600037341l",
    )
    found = {m.account.pk: sorted(m.reasons) for m in matches}
    assert found == {by_name.pk: ["name"], by_code.pk: ["credit_code"], by_phone.pk: ["email", "phone"]}
    assert matches[0].account == by_phone  # two reasons rank first


def test_nothing_given_finds_nothing_and_exclude_skips_the_record_itself(team):
    account = make_account(team.tenant, team.rep.user, name="上海建工集团")
    assert duplicates_find(access=team.rep_access) == []
    assert duplicates_find(access=team.rep_access, name="上海建工集团", exclude_id=account.pk) == []
    assert duplicates_find(access=team.rep_access, phone="not a phone", email="nope") == []


def test_large_tenants_prefilter_in_the_database(team, monkeypatch):
    from tandem.crm.services import dedup

    monkeypatch.setattr(dedup, "FULL_SCAN_LIMIT", 2)
    target = make_account(team.tenant, team.rep.user, name="中建三局第一建设工程有限责任公司")
    for name in ("北京城建", "广州地铁", "深圳能源"):
        make_account(team.tenant, team.rep.user, name=name)
    matches = duplicates_find(access=team.rep_access, name="中建三局第一建设工程有限公司")
    assert [m.account for m in matches] == [target]


@pytest.mark.parametrize(
    "a, b, duplicate",
    [
        ("武汉华创鼎盛机电工程有限公司", "武汉华创宏达机电工程有限公司", False),  # same city and trade, other 字号
        ("武汉华创机电工程有限公司", "武汉宏达机电工程有限公司", False),
        ("武汉华创机电工程有限公司", "武汉华仓机电工程有限公司", True),  # one character apart: a typo, maybe
        ("华为技术有限公司", "华为技术股份有限公司", True),
        ("江城轨道交通装备有限公司", "江城轨道交通装备股份有限公司（武汉）", True),
    ],
)
def test_names_that_share_only_place_and_trade_are_not_duplicates(a, b, duplicate):
    from tandem.crm.services.dedup import NAME_THRESHOLD
    from tandem.integrations.imports.names import NameIndex

    score = name_similarity(normalize_company_name(a), normalize_company_name(b))
    assert (score >= NAME_THRESHOLD) is duplicate, score
    index = NameIndex([(1, normalize_company_name(a))])
    assert (index.best(normalize_company_name(b)) is not None) is duplicate
