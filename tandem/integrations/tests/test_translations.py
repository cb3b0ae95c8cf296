"""The imports catalogue (tandem/integrations/locale) is complete in Simplified Chinese and compiled."""

from pathlib import Path

from django.utils import translation

from tandem.core.tests.test_translations import _entries

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def test_every_message_has_a_chinese_translation_and_none_is_fuzzy():
    text = (LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = [(msgid, msgstr) for msgid, msgstr in _entries(text) if msgid]
    assert len(entries) > 200
    assert [msgid for msgid, msgstr in entries if not msgstr] == []
    assert "#, fuzzy" not in text


def test_compiled_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Data import") == "数据导入"
        assert translation.gettext("The file has a header row but no data rows.") == "文件只有表头，没有数据行。"
