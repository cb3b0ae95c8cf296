"""Every model of the projects and calendars apps, and every field they declare, has a name of its own in both
languages: none falls back to the name Django makes from the code, which stays English in Chinese."""

import re

import pytest
from django.apps import apps
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_TERMS = {"WBS", "MS Project", "UID", "ID"}  # names that read the same in Chinese


def declared(model):
    """The fields the model declares itself (the kit's tenant and timestamps are core's)."""
    inherited = {f.name for base in model.__mro__[1:] if hasattr(base, "_meta") for f in base._meta.get_fields()}
    return [f for f in model._meta.get_fields() if hasattr(f, "verbose_name") and f.name not in inherited]


def names(model) -> list[tuple[str, object]]:
    meta = model._meta
    return [("model", meta.verbose_name), ("plural", meta.verbose_name_plural)] + [
        (f.name, f.verbose_name) for f in declared(model) if f.name != "id"
    ]


@pytest.mark.parametrize("label", ["projects", "calendars"])
def test_models_and_fields_are_named_in_english_and_chinese(label):
    missing = []
    for model in apps.get_app_config(label).get_models():
        for key, name in names(model):
            # A name Django makes from the code, or one left out of the translations, stays English in Chinese.
            with translation.override("zh-hans"):
                chinese = str(name)
            if not CJK.search(chinese) and not any(term in chinese for term in LATIN_TERMS):
                missing.append(f"{model.__name__}.{key}: “{chinese}” in Chinese")
    assert not missing, missing
