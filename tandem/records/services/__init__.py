"""Writes of the shared record features, each audited in the caller's transaction."""


def permission_code(obj_or_model, action: str) -> str:
    """The permission code of an action on a record's own type, e.g. `crm.transfer_account`."""
    meta = obj_or_model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"
