"""The import template of an object type: its columns, an example row that imports, what each column holds.

The headers are the fields' labels in the caller's language (required ones marked *), which the column
suggestions recognise in either language, so a downloaded template filled in and uploaded maps itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import pgettext

from tandem.integrations.imports.importers.base import Importer
from tandem.integrations.imports.mapping import header_key


@dataclass(frozen=True)
class TemplateColumn:
    """One column of the template and its line on the help sheet."""

    header: str
    required: bool
    help: str
    values: str  # the choices, for a choice field
    example: str
    also: str  # other headers the column is recognised by


def template_columns(importer: Importer) -> list[TemplateColumn]:
    """The template's columns in the importer's field order, with the example row filled for its caller."""
    examples = importer.examples()
    separator = pgettext("list separator", ", ")
    language = translation.get_language()
    columns = []
    for field in importer.field_list():
        header = str(field.label)
        other_language = "en" if language != "en" else "zh-hans"
        with translation.override(other_language):
            names = [str(field.label), *field.synonyms]
        also: dict[str, str] = {}  # loose form → name, so "Number" and "number" are listed once
        for name in names:
            also.setdefault(header_key(name), name)
        also.pop(header_key(header), None)
        columns.append(
            TemplateColumn(
                header=f"{header} *" if field.required else header,
                required=field.required,
                help=str(field.help),
                values=separator.join(str(label) for _value, label in field.choices),
                example=examples.get(field.key, ""),
                also=separator.join(also.values()),
            )
        )
    return columns
