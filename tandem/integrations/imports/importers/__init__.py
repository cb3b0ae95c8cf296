"""The importers, one per object type an import can create."""

from __future__ import annotations

from tandem.integrations.imports.importers.accounts import AccountImporter
from tandem.integrations.imports.importers.base import CommitRefused, Importer, Match
from tandem.integrations.imports.importers.contacts import ContactImporter
from tandem.integrations.imports.importers.costs import BillOfQuantitiesImporter, CostCodeImporter
from tandem.integrations.imports.importers.deals import DealImporter
from tandem.integrations.imports.importers.leads import LeadImporter

IMPORTERS: dict[str, type[Importer]] = {
    cls.object_type: cls
    for cls in (
        AccountImporter,
        ContactImporter,
        LeadImporter,
        DealImporter,
        CostCodeImporter,
        BillOfQuantitiesImporter,
    )
}


def importer_for(object_type: str) -> type[Importer]:
    return IMPORTERS[object_type]


__all__ = ["IMPORTERS", "CommitRefused", "Importer", "Match", "importer_for"]
