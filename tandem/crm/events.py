"""Names of the domain events the crm app emits (payloads are JSON-safe dicts of ids and values)."""

ACCOUNT_CREATED = "crm.account.created"
LEAD_CONVERTED = "crm.lead.converted"
DEAL_CREATED = "crm.deal.created"
DEAL_STAGE_CHANGED = "crm.deal.stage_changed"
DEAL_WON = "crm.deal.won"
DEAL_LOST = "crm.deal.lost"
CONTRACT_SIGNED = "crm.contract.signed"
RECEIPT_RECORDED = "crm.receipt.recorded"
# A follow-up with the customer was logged (or a follow-up task ticked done).
# payload: activity_id, account_id, project_id
FOLLOW_UP_LOGGED = "crm.activity.follow_up"
ACCOUNT_CLAIMED = "crm.account.claimed"
ACCOUNT_ASSIGNED = "crm.account.assigned"
ACCOUNT_RELEASED = "crm.account.released"
ACCOUNT_RECALLED = "crm.account.recalled"

ALL = (
    ACCOUNT_CREATED,
    LEAD_CONVERTED,
    DEAL_CREATED,
    DEAL_STAGE_CHANGED,
    DEAL_WON,
    DEAL_LOST,
    CONTRACT_SIGNED,
    RECEIPT_RECORDED,
    FOLLOW_UP_LOGGED,
    ACCOUNT_CLAIMED,
    ACCOUNT_ASSIGNED,
    ACCOUNT_RELEASED,
    ACCOUNT_RECALLED,
)
