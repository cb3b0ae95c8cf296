"""The print templates Tandem ships, one HTML file per key and language (`contract.zh-hans.html`).

A shipped file may start with `[[letterhead]]`, replaced by the letterhead file of its language when the
default is copied into a tenant's template, so the admin edits one self-contained template (the sandbox has
no include). Each key has sample data with the variables its object's context gives, for previews and tests
of defaults whose objects do not exist yet (payment requests, day-work tickets, site visas, daily logs).
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
LANGUAGES = ("zh-hans", "en")
NAMES = {
    "contract": {"zh-hans": "合同（标准）", "en": "Contract (standard)"},
    "receipt": {"zh-hans": "收款确认单", "en": "Receipt confirmation"},
    "payment_request": {"zh-hans": "工程款支付申请单", "en": "Payment request"},
    "daywork_ticket": {"zh-hans": "零星用工签证单", "en": "Day-work ticket"},
    "site_visa": {"zh-hans": "工程现场签证单", "en": "Site variation order"},
    "daily_log": {"zh-hans": "施工日志", "en": "Daily site log"},
}


def language_of(language: str) -> str:
    return "zh-hans" if (language or "").lower().startswith("zh") else "en"


def shipped_body(key: str, language: str) -> str:
    """The shipped template `key` in `language` (Chinese for any zh variant, else English), letterhead filled."""
    if key not in NAMES:
        raise KeyError(key)
    language = language_of(language)
    body = (FOLDER / f"{key}.{language}.html").read_text(encoding="utf-8")
    letterhead = (FOLDER / f"letterhead.{language}.html").read_text(encoding="utf-8").strip()
    return body.replace("[[letterhead]]", letterhead)


def shipped_name(key: str, language: str) -> str:
    return NAMES[key][language_of(language)]


SAMPLE_COMPANY = {
    "name": "杭州同舟智能科技有限公司",
    "address": "杭州市西湖区文三路 90 号",
    "phone": "0571-8888 6666",
    "tax_id": "91330100MA2XXXXXX1",
    "bank_name": "招商银行杭州分行",
    "bank_account": "5719 0000 0000 0001",
    "logo": "",
    "stamp": "",
    "signature": "",
    "signatory": "王建国",
}
SAMPLES = {
    "payment_request": {
        "customer": {"name": "滨江园区管理有限公司"},
        "project": {"name": "滨江园区智能化改造"},
        "contract": {"number": "HT-2026-0012", "amount": "1280000.00"},
        "request": {
            "number": "QK-2026-003",
            "requested_on": "2026-06-30",
            "period": "第二期进度款",
            "amount": "384000.00",
            "amount_in_words": "人民币叁拾捌万肆仟元整",
        },
        "items": [
            {"description": "综合布线 1～3 层完成", "amount": "214000.00"},
            {"description": "安防监控前端安装", "amount": "170000.00"},
        ],
    },
    "daywork_ticket": {
        "project": {"name": "滨江园区智能化改造"},
        "ticket": {
            "number": "DG-0425",
            "work_on": "2026-05-12",
            "location": "3 号楼弱电井",
            "crew": "李师傅班组",
            "description": "甲方要求临时拆改桥架",
            "amount": "1500.00",
            "amount_in_words": "人民币壹仟伍佰元整",
        },
        "workers": [
            {"name": "李强", "trade": "电工", "days": "1", "rate": "500.00", "amount": "500.00"},
            {"name": "张伟", "trade": "普工", "days": "2", "rate": "500.00", "amount": "1000.00"},
        ],
    },
    "site_visa": {
        "customer": {"name": "滨江园区管理有限公司"},
        "project": {"name": "滨江园区智能化改造"},
        "visa": {
            "number": "QZ-0031",
            "issued_on": "2026-05-20",
            "reason": "业主变更门禁点位",
            "content": "新增门禁点位 6 个，含读卡器、电锁及布线",
            "amount": "18600.00",
            "amount_in_words": "人民币壹万捌仟陆佰元整",
        },
    },
    "daily_log": {
        "project": {"name": "滨江园区智能化改造"},
        "log": {
            "log_on": "2026-05-21",
            "weather": "晴",
            "temperature": "18～26℃",
            "headcount": 12,
            "author": "赵工",
            "work": "2 号楼机房配电柜安装；3 层桥架敷设",
            "safety": "高处作业系挂安全带，已检查",
            "issues": "",
        },
    },
}


def sample_data(key: str) -> dict:
    """Example data of a shipped key (with a sample company), for previews without a record."""
    return {"company": dict(SAMPLE_COMPANY), "printed_at": "2026-06-30T09:00:00+08:00", **SAMPLES.get(key, {})}
