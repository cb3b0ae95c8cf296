"""Models of the finance app's cost center: cost codes, project budgets and their lines, budget modifications,
change orders, commitments, actual costs, monthly snapshots and alerts."""

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
