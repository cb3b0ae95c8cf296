"""Event names the finance app emits (payloads are JSON-safe dicts of ids and values)."""

BUDGET_CREATED = "finance.budget.created"  # {budget_id, project_id, original_contract_value}
BUDGET_LOCKED = "finance.budget.locked"  # {budget_id, project_id, original_total}
BUDGET_CHANGED = "finance.budget.changed"  # {budget_id, project_id, what: "lines" | "modification" | "budget"}
CHANGE_ORDER_SUBMITTED = "finance.changeorder.submitted"  # {change_order_id, project_id, number, amount, via}
CHANGE_ORDER_APPROVED = "finance.changeorder.approved"  # {change_order_id, project_id, number, amount, contract_amount}
CHANGE_ORDER_REJECTED = "finance.changeorder.rejected"  # {change_order_id, project_id, number}
CHANGE_ORDER_VOIDED = "finance.changeorder.voided"  # {change_order_id, project_id, number, from}
# {commitment_id, project_id, number, kind, from, to, amount}
COMMITMENT_STATUS_CHANGED = "finance.commitment.status_changed"
COST_RECORDED = "finance.cost.recorded"  # {cost_record_id, project_id, budget_line_id, kind, amount, date}
# {alert_id, project_id, project_name, kind, budget_line_id, value, threshold, url}
COST_ALERT_OPENED = "finance.cost.alert_opened"
COST_ALERT_CLOSED = "finance.cost.alert_closed"  # {alert_id, project_id, kind, budget_line_id}

ALL = [
    BUDGET_CREATED,
    BUDGET_LOCKED,
    BUDGET_CHANGED,
    CHANGE_ORDER_SUBMITTED,
    CHANGE_ORDER_APPROVED,
    CHANGE_ORDER_REJECTED,
    CHANGE_ORDER_VOIDED,
    COMMITMENT_STATUS_CHANGED,
    COST_RECORDED,
    COST_ALERT_OPENED,
    COST_ALERT_CLOSED,
]
