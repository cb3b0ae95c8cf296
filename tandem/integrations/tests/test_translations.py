"""The imports catalogue (tandem/integrations/locale) is complete in Simplified Chinese and compiled."""

import gettext
from pathlib import Path

from django.utils import translation

from tandem.core.tests.test_translations import _entries

LOCALE = Path(__file__).resolve().parents[1] / "locale"
PROJECT_LOCALE = Path(__file__).resolve().parents[2] / "locale"


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


def test_no_message_is_translated_differently_from_the_project_catalogue():
    """The project catalogue (LOCALE_PATHS) wins at run time: a message both catalogues hold must read the same
    in both, or the one written here is silently replaced (an import's "Owner" showed as 老板, the role)."""
    catalogues = {}
    for path in (LOCALE, PROJECT_LOCALE):
        with open(path / "zh_Hans" / "LC_MESSAGES" / "django.mo", "rb") as mo:
            catalogues[path] = gettext.GNUTranslations(mo)._catalog
    here, project = catalogues[LOCALE], catalogues[PROJECT_LOCALE]
    differ = {
        key: (text, project[key]) for key, text in here.items() if key and key in project and project[key] != text
    }
    assert differ == {}


def test_the_import_fields_are_named_as_on_the_records():
    from tandem.integrations.imports.importers import IMPORTERS

    with translation.override("zh-hans"):
        labels = {str(f.label) for importer in IMPORTERS.values() for f in importer.field_list()}
    assert "负责人" in labels and "老板" not in labels
