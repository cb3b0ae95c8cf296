"""The Simplified Chinese catalogue is complete and compiled."""

import re
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale"
ENTRY = re.compile(
    r'^msgid "(.*)"\n((?:".*"\n)*)(?:msgid_plural .*\n(?:".*"\n)*)?msgstr(?:\[0\])? "(.*)"\n((?:".*"\n)*)', re.M
)


def _entries(text: str):
    for match in ENTRY.finditer(text):
        msgid = match.group(1) + "".join(line[1:-1] for line in match.group(2).splitlines())
        msgstr = match.group(3) + "".join(line[1:-1] for line in match.group(4).splitlines())
        yield msgid, msgstr


def test_every_message_has_a_chinese_translation_and_none_is_fuzzy():
    text = (LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = [(msgid, msgstr) for msgid, msgstr in _entries(text) if msgid]
    assert len(entries) > 300
    missing = [msgid for msgid, msgstr in entries if not msgstr]
    assert missing == []
    assert "#, fuzzy" not in text


def test_compiled_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Recycle bin") == "回收站"
        assert translation.gettext("Audit trail") == "审计日志"
    with translation.override("en"):
        assert translation.gettext("Recycle bin") == "Recycle bin"
