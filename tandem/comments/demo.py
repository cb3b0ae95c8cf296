"""Demo comments: a short conversation with @mentions on a deal, a contract and a project of each demo tenant.

Written through the services (so mentions resolve and notify like real ones) and only while the tenant has no
comments, so running `tandem demo` again is safe. Records are found through the commentable registry: this app
names no crm or projects model."""

from __future__ import annotations

from tandem.core import demo
from tandem.core.errors import ApplicationError

# tenant slug → (record type, whose records, [(author, text with {name} placeholders for mentions)])
CONVERSATIONS = {
    "demo": [
        (
            "crm.deal",
            "sales",
            [
                ("sales", "@{salesmgr} 客户希望本周内拿到正式报价，折扣能否放到 92 折？"),
                ("salesmgr", "@{sales} 可以，92 折以内你直接报；再低要拉上 @{finance} 看回款条件。"),
            ],
        ),
        ("crm.contract", "sales", [("finance", "@{sales} 首付款已到账，发票本周开出。")]),
        (
            "projects.project",
            "pm",
            [("pm", "@{pm2} 下周二设备进场，请提前确认吊装方案。"), ("pm2", "@{pm} 收到，方案周一前发你。")],
        ),
    ],
    "northwind": [
        (
            "projects.project",
            "emily",
            [("emily", "@{grace} the second milestone invoice can go out once the site handover is signed.")],
        ),
    ],
}


def _access(tenant, username):
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership

    membership = (
        Membership.objects.select_related("tenant", "user")
        .filter(tenant=tenant, user__username=username, is_active=True)
        .first()
    )
    return MembershipAccess(membership) if membership else None


@demo.register(45, "comments")
def load() -> None:
    from tandem.accounts.models import Tenant
    from tandem.comments.models import Comment
    from tandem.comments.registry import commentable
    from tandem.comments.services.comments import comment_create

    for tenant in Tenant.objects.filter(slug__in=list(CONVERSATIONS)):
        if Comment.objects.filter(tenant=tenant).exists():
            continue
        for type_key, owner, lines in CONVERSATIONS[tenant.slug]:
            owner_access = _access(tenant, owner)
            if owner_access is None:
                continue
            record = commentable(type_key).records(owner_access).order_by("pk").first()
            if record is None:
                continue
            for author, text in lines:
                access = _access(tenant, author)
                if access is None:
                    continue
                names = {u: str(a.membership.user) for u in _usernames(text) if (a := _access(tenant, u))}
                if len(names) != len(_usernames(text)):
                    continue
                try:
                    comment_create(access=access, type_key=type_key, object_id=record.pk, body=text.format(**names))
                except ApplicationError:
                    continue  # the author cannot reach this record in a tenant whose people were edited


def _usernames(text: str) -> set[str]:
    import string

    return {field for _literal, field, _spec, _conv in string.Formatter().parse(text) if field}
