"""Fuzzy company-name lookup by rare bigrams: finds the look-alikes, scores like the CRM dedup."""

from tandem.crm.services.dedup import name_similarity, normalize_company_name
from tandem.integrations.imports.names import NameIndex

EXISTING = [
    "上海建工集团股份有限公司",
    "武汉地铁集团有限公司",
    "武汉宏泰建设工程有限公司",
    "深圳华为技术有限公司",
    "杭州海康威视数字技术股份有限公司",
    "Acme Co., Ltd.",
] + [f"上海{a}{b}科技有限公司" for a in "东南西北中" for b in "一二三四五六七八九十"]


def index():
    return NameIndex((i, normalize_company_name(name)) for i, name in enumerate(EXISTING, start=1))


def best(name):
    return index().best(normalize_company_name(name))


def test_exact_core_scores_100():
    assert best("上海建工集团有限公司") == (1, 100.0)
    assert best("ACME Inc") == (6, 100.0)


def test_a_typo_in_the_brand_is_found():
    found = best("武汉宏太建设工程有限公司")
    assert found is not None and found[0] == 3 and found[1] >= 80


def test_one_name_inside_the_other_scores_90():
    assert best("华为技术有限公司") == (4, 90.0)
    assert best("杭州海康威视") == (5, 90.0)


def test_unrelated_names_with_common_words_are_not_matched():
    assert best("北京城建科技有限公司") is None
    assert best("上海") is None


def test_agrees_with_the_crm_scorer_on_what_it_finds():
    idx = index()
    for name in ["上海东一科技", "上海东一科技发展", "武汉地铁", "上海南三科技有限公司"]:
        core = normalize_company_name(name)
        found = idx.best(core)
        exhaustive = max(
            ((name_similarity(core, normalize_company_name(other)), i) for i, other in enumerate(EXISTING, start=1)),
        )
        if exhaustive[0] >= 80:
            assert found is not None and found[1] == exhaustive[0], name
        else:
            assert found is None, name
