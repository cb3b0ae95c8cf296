"""The object types that can be printed, registered by the apps that own them (printing imports none of them).

An upper app registers in its `AppConfig.ready()`:

    register(PrintableType("crm.contract", _("Contract"), Contract, context=contract_print_context,
                           default_templates=["contract"]))

`context(obj)` returns plain JSON-like data (str, numbers, bools, None, lists, dicts, dates, Decimals) — never
a model instance — which the sandbox seals. `variables` documents it for the template editor: (name, label)
pairs. `default_templates` name shipped files in `printing/defaults/<key>.<language>.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tandem.core.permissions import permission_code


@dataclass(frozen=True)
class PrintableType:
    object_type: str
    label: object
    model: type | None
    context: Callable[[object], dict] | None = None
    permission: str = ""
    default_templates: list[str] = field(default_factory=list)
    variables: list[tuple[str, object]] = field(default_factory=list)
    sample: Callable[[], dict] | None = None

    @property
    def permission_code(self) -> str:
        """The code a print needs: the type's own `print` action unless the registration names another."""
        if self.permission:
            return self.permission
        if self.model is None:
            return f"{self.object_type.replace('.', '.print_', 1)}"
        return permission_code(self.model, "print")

    @property
    def printable(self) -> bool:
        """False for a type whose records do not exist yet: its defaults ship, nothing prints."""
        return self.model is not None and self.context is not None


_REGISTRY: dict[str, PrintableType] = {}


def register(printable: PrintableType) -> PrintableType:
    _REGISTRY[printable.object_type] = printable
    return printable


def printable_types() -> list[PrintableType]:
    return list(_REGISTRY.values())


def get(object_type: str) -> PrintableType | None:
    return _REGISTRY.get(object_type)
