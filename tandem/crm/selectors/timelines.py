"""Record timelines: one stream of a record's follow-ups, the comments on it and the recorded changes to it (and
its children), newest first, as rows of (kind, id, at) to paginate and then load with `timeline_load`."""

from __future__ import annotations

from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast

from tandem.audit.models import AuditEntry
from tandem.comments.selectors import comments_by_id, comments_on
from tandem.crm.models import Account, Activity, Contact, Contract, Deal, Lead, Receipt
from tandem.crm.selectors.activities import activity_related

_account_changes = []


def register_account_changes(fn) -> None:
    """Let an upper app add its own recorded changes to an account's timeline: `fn(tenant_id, account)` returns
    a Q over AuditEntry for the rows to include (say, the answers and recoveries about the account)."""
    if fn not in _account_changes:
        _account_changes.append(fn)


def _ids_as_text(qs):
    return qs.annotate(text_id=Cast("pk", output_field=CharField())).values("text_id")


def _comments(access, type_key: str, record):
    """The comments on the record (the caller reached the record, so they may read them), as timeline rows."""
    return (
        comments_on(tenant_id=access.tenant_id, type_key=type_key, object_ids=[record.pk])
        .annotate(row_kind=Value("comment", output_field=CharField()), row_id=F("pk"), row_at=F("created_at"))
        .values_list("row_kind", "row_id", "row_at")
    )


def _registered_changes(tenant_id, account: Account) -> Q:
    extra = Q(pk__in=[])
    for fn in _account_changes:
        extra |= fn(tenant_id, account)
    return extra


def account_timeline(*, access, account: Account, scoped: bool = True):
    """One stream of the account's follow-ups, the comments on it and the recorded changes to it, its deals,
    contracts and receipts, newest first: rows of (kind, id, at) to paginate, then load with `timeline_load`.

    `scoped=False` takes every follow-up of the account, not only those in the caller's data scope (a project
    page shows its customer's context to the delivery team)."""
    activities = (
        (Activity.objects.restrict(access) if scoped else Activity.objects.filter(tenant_id=access.tenant_id))
        .filter(account=account)
        .order_by()
        .annotate(row_kind=Value("activity", output_field=CharField()), row_id=F("pk"), row_at=F("occurred_at"))
        .values_list("row_kind", "row_id", "row_at")
    )
    deals = Deal.all_objects.filter(tenant_id=access.tenant_id, account=account)
    contracts = Contract.all_objects.filter(tenant_id=access.tenant_id, account=account)
    receipts = Receipt.objects.filter(tenant_id=access.tenant_id, contract__account=account)
    changes = (
        AuditEntry.objects.filter(tenant_id=access.tenant_id)
        .filter(
            Q(object_type="crm.account", object_id=str(account.pk))
            | Q(object_type="crm.deal", object_id__in=_ids_as_text(deals))
            | Q(object_type="crm.contract", object_id__in=_ids_as_text(contracts))
            | Q(object_type="crm.receipt", object_id__in=_ids_as_text(receipts))
            | _registered_changes(access.tenant_id, account)
        )
        .order_by()
        .annotate(row_kind=Value("change", output_field=CharField()), row_id=F("pk"), row_at=F("created_at"))
        .values_list("row_kind", "row_id", "row_at")
    )
    if not scoped:
        # The delivery team's view of the customer: the account's comments stay with who may open the account.
        return activities.union(changes, all=True).order_by("-row_at", "-row_id")
    comments = _comments(access, "crm.account", account)
    return activities.union(changes, comments, all=True).order_by("-row_at", "-row_id")


def timeline_load(rows) -> list[dict]:
    """The activities, comments and audit entries behind a page of timeline rows, in the rows' order."""
    ids = {"activity": [], "change": [], "comment": []}
    for kind, row_id, _at in rows:
        ids[kind].append(row_id)
    loaded = {
        "activity": activity_related(Activity.objects.filter(pk__in=ids["activity"])).in_bulk()
        if ids["activity"]
        else {},
        "change": AuditEntry.objects.in_bulk(ids["change"]) if ids["change"] else {},
        "comment": comments_by_id(ids["comment"]),
    }
    items = []
    for kind, row_id, at in rows:
        obj = loaded[kind].get(row_id)
        if obj is not None:
            items.append({"type": kind, "at": at, **{key: obj if key == kind else None for key in loaded}})
    return items


def _record_timeline(*, access, activities: Q, changes: Q, type_key: str, record):
    rows = (
        Activity.objects.restrict(access)
        .filter(activities)
        .order_by()
        .annotate(row_kind=Value("activity", output_field=CharField()), row_id=F("pk"), row_at=F("occurred_at"))
        .values_list("row_kind", "row_id", "row_at")
    )
    audit = (
        AuditEntry.objects.filter(tenant_id=access.tenant_id)
        .filter(changes)
        .order_by()
        .annotate(row_kind=Value("change", output_field=CharField()), row_id=F("pk"), row_at=F("created_at"))
        .values_list("row_kind", "row_id", "row_at")
    )
    return rows.union(audit, _comments(access, type_key, record), all=True).order_by("-row_at", "-row_id")


def deal_timeline(*, access, deal: Deal):
    """The deal's follow-ups and the recorded changes to it and its contracts, newest first (see timeline_load)."""
    contracts = Contract.all_objects.filter(tenant_id=access.tenant_id, deal=deal)
    return _record_timeline(
        access=access,
        activities=Q(deal=deal),
        changes=Q(object_type="crm.deal", object_id=str(deal.pk))
        | Q(object_type="crm.contract", object_id__in=_ids_as_text(contracts)),
        type_key="crm.deal",
        record=deal,
    )


def lead_timeline(*, access, lead: Lead):
    """The lead's follow-ups and the recorded changes to it, newest first (see timeline_load)."""
    return _record_timeline(
        access=access,
        activities=Q(lead=lead),
        changes=Q(object_type="crm.lead", object_id=str(lead.pk)),
        type_key="crm.lead",
        record=lead,
    )


def contact_timeline(*, access, contact: Contact):
    """The contact's follow-ups and the recorded changes to it, newest first (see timeline_load)."""
    return _record_timeline(
        access=access,
        activities=Q(contact=contact),
        changes=Q(object_type="crm.contact", object_id=str(contact.pk)),
        type_key="crm.contact",
        record=contact,
    )


def contract_timeline(*, access, contract: Contract):
    """The recorded changes to a contract and its receipts, newest first (see timeline_load)."""
    receipts = Receipt.objects.filter(tenant_id=access.tenant_id, contract=contract)
    return _record_timeline(
        access=access,
        activities=Q(pk__in=[]),
        changes=Q(object_type="crm.contract", object_id=str(contract.pk))
        | Q(object_type="crm.receipt", object_id__in=_ids_as_text(receipts)),
        type_key="crm.contract",
        record=contract,
    )
