"""Objects for the generic permission test: each comments URL with parameters, filled with a colleague's comment."""

from django.core.files.base import ContentFile

from tandem.comments.services.comments import comment_create
from tandem.crm.tests.factories import make_account, make_deal
from tandem.testing.kit import access_for
from tandem.testing.permissions import colleague, seed_name, url_objects


def _deal(tenant):
    owner = colleague(tenant, "sales")
    deal = make_deal(tenant, owner.user, make_account(tenant, owner.user), name=seed_name(tenant, "deal"))
    return owner, deal


@url_objects("comments:create", "comments:members", "api:comment-list")
def record(tenant):
    _owner, deal = _deal(tenant)
    return {"type_key": "crm.deal", "pk": deal.pk}


def _comment(tenant, files=()):
    owner, deal = _deal(tenant)
    access = access_for(owner)
    return comment_create(
        access=access, type_key="crm.deal", object_id=deal.pk, body=seed_name(tenant, "comment"), files=files
    )


@url_objects("comments:detail", "comments:edit", "comments:delete", "api:comment-detail")
def comment(tenant):
    return {"pk": _comment(tenant).pk}


@url_objects("comments:file")
def comment_file(tenant):
    upload = ContentFile(b"site photo notes", name=seed_name(tenant, "file") + ".txt")
    return {"pk": _comment(tenant, files=[upload]).attachments.get().pk}
