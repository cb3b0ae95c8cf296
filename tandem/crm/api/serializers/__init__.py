"""Output serializers of the crm API: what clients read, with the caller's field rules applied."""

from tandem.crm.api.serializers.contracts import ContractOutput, MilestoneOutput, ReceiptOutput
from tandem.crm.api.serializers.customers import (
    AccountOutput,
    ActivityOutput,
    ChangeOutput,
    ContactAccountOutput,
    ContactOutput,
    CrmSettingsOutput,
    DuplicateOutput,
    LeadOutput,
    TimelineItem,
)
from tandem.crm.api.serializers.sales import (
    ConversionOutput,
    DealLineOutput,
    DealOutput,
    ForecastRow,
    PipelineOutput,
    StageOutput,
)

__all__ = [
    "AccountOutput",
    "ActivityOutput",
    "ChangeOutput",
    "ContactAccountOutput",
    "ContactOutput",
    "ContractOutput",
    "ConversionOutput",
    "CrmSettingsOutput",
    "DealLineOutput",
    "DealOutput",
    "DuplicateOutput",
    "ForecastRow",
    "LeadOutput",
    "MilestoneOutput",
    "PipelineOutput",
    "ReceiptOutput",
    "StageOutput",
    "TimelineItem",
]
