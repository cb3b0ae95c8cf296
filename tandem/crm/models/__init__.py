"""Models of the crm app: accounts and contacts, leads, pipelines and deals, activities, contracts, public pools
and sales targets."""

from tandem.crm.models.accounts import Account, AccountContact, Contact, CrmSettings
from tandem.crm.models.activities import Activity
from tandem.crm.models.contracts import Contract, PaymentMilestone, Receipt
from tandem.crm.models.deals import Deal, DealLine, Pipeline, Stage
from tandem.crm.models.leads import Lead
from tandem.crm.models.pools import Pool, PoolMove, PoolRule
from tandem.crm.models.targets import SalesTarget

__all__ = [
    "Account",
    "AccountContact",
    "Activity",
    "Contact",
    "Contract",
    "CrmSettings",
    "Deal",
    "DealLine",
    "Lead",
    "PaymentMilestone",
    "Pipeline",
    "Pool",
    "PoolMove",
    "PoolRule",
    "Receipt",
    "SalesTarget",
    "Stage",
]
