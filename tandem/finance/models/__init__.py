"""Models of the finance app's cost center: cost codes, project budgets and their lines, budget modifications,
change orders, commitments, actual costs, monthly snapshots and alerts.

References between the money records of a project (and to cost codes) are RESTRICT, not PROTECT: a line something
points at cannot be deleted on its own, while deleting the project (or the tenant) takes all of it along."""

from tandem.finance.models.actuals import CostAlert, CostRecord, CostSnapshot
from tandem.finance.models.budgets import (
    BudgetLine,
    BudgetModification,
    ChangeOrder,
    ChangeOrderLine,
    CostCode,
    CostSettings,
    ProjectBudget,
    TemplateBudgetLine,
)
from tandem.finance.models.commitments import Commitment, CommitmentLine

__all__ = [
    "BudgetLine",
    "BudgetModification",
    "ChangeOrder",
    "ChangeOrderLine",
    "Commitment",
    "CommitmentLine",
    "CostAlert",
    "CostCode",
    "CostRecord",
    "CostSettings",
    "CostSnapshot",
    "ProjectBudget",
    "TemplateBudgetLine",
]
