"""Suggesting the field of each column from its header, in Chinese or English, or as last time."""

from tandem.integrations.imports.importers import IMPORTERS
from tandem.integrations.imports.mapping import header_key, remember, suggest


def synonyms(object_type):
    return IMPORTERS[object_type].synonyms()


def test_header_key_is_loose():
    assert header_key("客户名称（必填）*") == header_key("客户名称") == header_key(" 客户 名称 ")
    assert header_key("Credit Code") == header_key("credit_code") == "creditcode"
    assert header_key("Ｅｍａｉｌ") == "email"


def test_chinese_and_english_headers_find_their_fields():
    headers = ["客户名称*", "统一社会信用代码", "客户等级", "所属行业", "负责人", "Website", "无关列"]
    assert suggest(headers, synonyms("crm.account")) == {
        "0": "name",
        "1": "credit_code",
        "2": "tier",
        "3": "industry",
        "4": "owner",
        "5": "website",
    }
    headers = ["Name", "Mobile", "E-mail", "Company", "Title"]
    assert suggest(headers, synonyms("crm.contact")) == {
        "0": "name",
        "1": "mobile",
        "2": "email",
        "3": "account",
        "4": "title",
    }


def test_the_same_header_means_different_fields_per_object_type():
    headers = ["公司名称", "联系人", "手机"]
    assert suggest(headers, synonyms("crm.lead")) == {"0": "company", "1": "contact_name", "2": "phone"}
    assert suggest(headers, synonyms("crm.contact")) == {"0": "account", "1": "name", "2": "mobile"}


def test_a_field_is_suggested_for_one_column_only():
    assert suggest(["电话", "手机", "联系电话"], synonyms("crm.lead")) == {"0": "phone"}


def test_remembered_choices_win_and_ignored_columns_stay_ignored():
    headers = ["单位", "备注", "客户名称"]
    memory = remember(headers, {"0": "name", "1": ""}, {})
    assert memory == {"单位": "name", "备注": "", "客户名称": ""}
    assert suggest(headers, synonyms("crm.account"), memory) == {"0": "name"}


def test_the_fast_credit_code_check_agrees_with_python_stdnum():
    import random

    from stdnum.cn import uscc

    from tandem.integrations.imports.cells import uscc_is_valid

    rng = random.Random(7)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXYIOZSV-a２"
    samples = ["91110000600037341L", "91110000600037341M", "9111000060003734", "9111000060003734IL"]
    for _ in range(5000):
        body = "9" + "".join(rng.choice("0123456789") for _ in range(7))
        body += "".join(rng.choice(alphabet) for _ in range(rng.choice([9, 9, 9, 8, 10])))
        checkable = len(body) >= 17 and all(c in "0123456789ABCDEFGHJKLMNPQRTUWXY" for c in body[:17])
        samples.append(body[:17] + uscc.calc_check_digit(body[:17]) if checkable and rng.random() < 0.7 else body)
    assert sum(uscc.is_valid(code) for code in samples) > 200
    for code in samples:
        assert uscc_is_valid(uscc.compact(code)) == uscc.is_valid(code), code
