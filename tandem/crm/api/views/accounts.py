"""Accounts and contacts endpoints: CRUD, the account timeline, duplicates and merge."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import resolve, validated, visible
from tandem.crm import exports
from tandem.crm.api.serializers.customers import (
    AccountInput,
    AccountOutput,
    ContactInput,
    ContactOutput,
    DuplicateOutput,
    MergeInput,
    TimelineItem,
)
from tandem.crm.api.serializers.fields import MAX_ID
from tandem.crm.api.views.common import CrmViewSet, ExportMixin, refuse_owner_change
from tandem.crm.filters import AccountFilter, ContactFilter
from tandem.crm.models import Account, Contact
from tandem.crm.selectors.accounts import account_related, contact_related
from tandem.crm.selectors.timelines import account_timeline, timeline_load
from tandem.crm.services import accounts as account_services
from tandem.crm.services import contacts as contact_services
from tandem.crm.services.dedup import duplicates_find
from tandem.crm.services.merge import account_merge

ACCOUNT_REFS = {"parent": (Account, "view"), "risk_owner": "user", "owner": "user"}


class DuplicatesQuery(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    email = serializers.CharField(required=False, allow_blank=True, max_length=200)
    credit_code = serializers.CharField(required=False, allow_blank=True, max_length=30)
    exclude = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


PaginatedTimeline = inline_serializer(
    "PaginatedTimeline",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": TimelineItem(many=True),
    },
)


class AccountViewSet(ExportMixin, CrmViewSet):
    """Customer companies (客户)."""

    queryset = Account.objects.all()
    serializer_class = AccountOutput
    filterset_class = AccountFilter
    ordering_fields = ["id", "name", "tier", "created_at", "last_activity_at"]
    ordering = ["-id"]
    action_permissions = {
        "export": "export",
        "timeline": "view",
        "duplicates": "view",
        "merge": "change",
    }
    export_columns = staticmethod(exports.account_columns)
    export_basename = "accounts"

    def related(self, qs):
        return account_related(qs)

    def _out(self, account):
        return AccountOutput(account_related(Account.objects.filter(pk=account.pk)).get()).data

    @extend_schema(request=AccountInput, responses={201: AccountOutput})
    def create(self, request):
        data = resolve(request.access, validated(AccountInput, request.data), ACCOUNT_REFS)
        account = account_services.account_create(access=request.access, **data)
        return Response(self._out(account), status=status.HTTP_201_CREATED)

    @extend_schema(request=AccountInput, responses=AccountOutput)
    def partial_update(self, request, pk=None):
        account = self.get_object()
        data = validated(AccountInput, request.data, partial=True)
        refuse_owner_change(data)
        data = resolve(request.access, data, ACCOUNT_REFS)
        account = account_services.account_update(access=request.access, account=account, **data)
        return Response(self._out(account))

    def destroy(self, request, pk=None):
        account_services.account_delete(access=request.access, account=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=PaginatedTimeline, filters=False)
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """The account's follow-ups and recorded changes (its own, its deals', contracts', receipts'), newest first."""
        account = self.get_object()
        page = self.paginate_queryset(account_timeline(access=request.access, account=account))
        items = timeline_load(page)
        data = TimelineItem(items, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(
        parameters=[DuplicatesQuery],
        responses=DuplicateOutput(many=True),
        filters=False,
        description="Accounts of the whole organisation that may be the same company, best first. Accounts the "
        "caller cannot open are shown by name and owner only.",
    )
    @action(detail=False, methods=["get"])
    def duplicates(self, request):
        query = validated(DuplicatesQuery, request.query_params)
        matches = duplicates_find(
            access=request.access,
            name=query.get("name", ""),
            phone=query.get("phone", ""),
            email=query.get("email", ""),
            credit_code=query.get("credit_code", ""),
            exclude_id=query.get("exclude"),
        )
        ids = [m.account.pk for m in matches]
        visible_ids = set(Account.objects.restrict(request.access).filter(pk__in=ids).values_list("pk", flat=True))
        rows = [
            {
                "account": m.account,
                "owner_name": str(m.account.owner) if m.account.owner_id else "",
                "score": round(m.score, 1),
                "reasons": m.reasons,
                "visible": m.account.pk in visible_ids,
            }
            for m in matches
        ]
        return Response(DuplicateOutput(rows, many=True).data)

    @extend_schema(
        request=MergeInput,
        responses=inline_serializer(
            "MergeResult",
            {"account": AccountOutput(), "moved": serializers.DictField(child=serializers.IntegerField())},
        ),
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge a duplicate (`source`) into this account; the duplicate goes to the recycle bin."""
        target = self.get_object()
        data = validated(MergeInput, request.data)
        source = visible(request.access, Account, data["source"], "source", "change")
        moved = account_merge(access=request.access, target=target, source=source)
        return Response({"account": self._out(target), "moved": moved})


def _links(request, data: dict) -> dict:
    if "accounts" in data:
        data["links"] = [
            (visible(request.access, Account, row["account"], "accounts"), row["is_primary"])
            for row in data.pop("accounts")
        ]
    return data


class ContactViewSet(ExportMixin, CrmViewSet):
    """People at customer companies (联系人); phone, email and WeChat follow the caller's field rules."""

    queryset = Contact.objects.all()
    serializer_class = ContactOutput
    filterset_class = ContactFilter
    ordering_fields = ["id", "name", "created_at"]
    ordering = ["-id"]
    export_columns = staticmethod(exports.contact_columns)
    export_basename = "contacts"

    def related(self, qs):
        return contact_related(qs)

    def _out(self, contact):
        obj = contact_related(Contact.objects.filter(pk=contact.pk)).get()
        return ContactOutput(obj, context=self.get_serializer_context()).data

    @extend_schema(request=ContactInput, responses={201: ContactOutput})
    def create(self, request):
        data = _links(request, validated(ContactInput, request.data))
        data = resolve(request.access, data, {"owner": "user"})
        contact = contact_services.contact_create(access=request.access, **data)
        return Response(self._out(contact), status=status.HTTP_201_CREATED)

    @extend_schema(request=ContactInput, responses=ContactOutput)
    def partial_update(self, request, pk=None):
        contact = self.get_object()
        data = validated(ContactInput, request.data, partial=True)
        refuse_owner_change(data)
        contact = contact_services.contact_update(access=request.access, contact=contact, **_links(request, data))
        return Response(self._out(contact))

    def destroy(self, request, pk=None):
        contact_services.contact_delete(access=request.access, contact=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
