"""Importing contacts (联系人): matched on mobile phone (certain), office phone or email; linked to an account."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.crm.models import AccountContact, Contact
from tandem.integrations.imports import cells
from tandem.integrations.imports.cells import Field
from tandem.integrations.imports.importers.base import (
    EXAMPLE_PERSON,
    QUERY_CHUNK,
    CommitRefused,
    Importer,
    Match,
    account_field,
    label_with_owner,
    name_field,
    owner_field,
)


class ContactImporter(Importer):
    object_type = "crm.contact"
    model = Contact
    fields = (
        name_field(
            "name",
            gettext_lazy("Name"),
            ("姓名", "联系人", "联系人姓名", "名字", "name", "contact", "contact name"),
            100,
            help=gettext_lazy("The person's full name."),
            example=EXAMPLE_PERSON,
        ),
        Field(
            "title",
            gettext_lazy("Job title"),
            ("职位", "职务", "岗位", "头衔", "title", "position"),
            clean=cells.text(100),
            example=gettext_lazy("Purchasing manager"),
        ),
        Field(
            "department",
            gettext_lazy("Department"),
            ("部门", "所在部门", "科室"),
            clean=cells.text(100),
            example=gettext_lazy("Purchasing"),
        ),
        Field(
            "mobile",
            gettext_lazy("Mobile phone"),
            ("手机", "手机号", "手机号码", "移动电话", "mobile", "cell", "cellphone", "mobile number"),
            clean=cells.phone,
            help=gettext_lazy("A contact with the same mobile phone is certainly the same person."),
            example="13912345678",
        ),
        Field(
            "phone",
            gettext_lazy("Office phone"),
            ("电话", "办公电话", "座机", "固定电话", "联系电话", "phone", "telephone", "tel"),
            clean=cells.phone,
            help=gettext_lazy("With the area code, e.g. 027-85551234."),
            example="027-85551234",
        ),
        Field(
            "email",
            gettext_lazy("Email"),
            ("邮箱", "电子邮箱", "邮件", "电子邮件", "email", "e-mail", "mail"),
            clean=cells.email,
            example="zhang.wei@example.com",
        ),
        Field(
            "wechat",
            gettext_lazy("WeChat ID"),
            ("微信", "微信号", "wechat", "weixin"),
            clean=cells.text(50),
            example="zhangwei_88",
        ),
        account_field(required=False),
        Field(
            "is_primary",
            gettext_lazy("Primary contact"),
            ("首要联系人", "主联系人", "主要联系人", "primary", "primary contact"),
            clean=cells.boolean,
            updatable=False,
            help=gettext_lazy("Whether the person is the account's primary contact: yes or no (是/否)."),
            example=gettext_lazy("Yes"),
        ),
        Field(
            "notes",
            gettext_lazy("Notes"),
            ("备注", "说明", "remark", "remarks", "comment"),
            clean=cells.text(5000),
            example=gettext_lazy("Prefers WeChat to calls."),
        ),
        owner_field(),
    )

    def prepare(self, mapped) -> None:
        super().prepare(mapped)
        self.by_mobile: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.existing: dict[int, tuple[str, int]] = {}
        rows = Contact.objects.filter(tenant_id=self.tenant_id).values_list(
            "id", "name", "mobile", "phone", "email", "owner_id"
        )
        for contact_id, contact_name, mobile, phone, email, owner_id in rows.iterator(chunk_size=QUERY_CHUNK):
            self.existing[contact_id] = (contact_name, owner_id)
            if mobile:
                self.by_mobile.setdefault(mobile, contact_id)
                self.by_phone.setdefault(mobile, contact_id)
            if phone:
                self.by_phone.setdefault(phone, contact_id)
            if email:
                self.by_email.setdefault(email.lower(), contact_id)
        self.seen_mobiles: dict[str, int] = {}
        self.seen_primaries: dict[int, int] = {}

    def check(self, data: dict, errors: list) -> None:
        if data.get("is_primary") and not data.get("account"):
            errors.append(["is_primary", _("A primary contact needs an account.")])

    def in_file(self, data: dict, number: int) -> list[list[str]]:
        errors = []
        mobile = data.get("mobile")
        if mobile:
            first = self.seen_mobiles.setdefault(mobile, number)
            if first != number:
                errors.append(["mobile", _("Same mobile phone as row %(row)d.") % {"row": first}])
        if data.get("is_primary"):
            first = self.seen_primaries.setdefault(data["account"], number)
            if first != number:
                errors.append(
                    ["is_primary", _("Row %(row)d is already this account's primary contact.") % {"row": first}]
                )
        return errors

    def _match(self, contact_id: int, reason: str, exact: bool) -> Match:
        contact_name, owner_id = self.existing[contact_id]
        return Match(contact_id, label_with_owner(contact_name, self.owners.label(owner_id)), reason, 100, exact)

    def match(self, data: dict) -> Match | None:
        mobile = data.get("mobile")
        if mobile and mobile in self.by_mobile:
            return self._match(self.by_mobile[mobile], "mobile", True)
        for number in (mobile, data.get("phone")):
            if number and number in self.by_phone:
                return self._match(self.by_phone[number], "phone", False)
        email = data.get("email")
        if email and email in self.by_email:
            return self._match(self.by_email[email], "email", False)
        return None

    def prepare_commit(self) -> None:
        super().prepare_commit()
        self.new_mobiles: set[str] = set()

    def before_batch(self, rows: list[dict]) -> None:
        self.new_mobiles.update(row["mobile"] for row in rows if row.get("mobile"))

    def finish_commit(self, *, created_ids: set[int], since) -> None:
        """A contact someone else created after the check may have a mobile phone imported here."""
        if since is None or not self.new_mobiles:
            return
        rows = Contact.objects.filter(tenant_id=self.tenant_id, created_at__gte=since).exclude(mobile="")
        for pk, name, mobile in rows.values_list("id", "name", "mobile").iterator(chunk_size=QUERY_CHUNK):
            if pk not in created_ids and mobile in self.new_mobiles:
                raise CommitRefused(
                    _(
                        "%(name)s was created by someone else after the check with the same mobile phone; "
                        "check the file again."
                    )
                    % {"name": name}
                )

    def build(self, data: dict, now) -> Contact:
        return Contact(
            tenant_id=self.tenant_id,
            owner_id=data["owner"],
            name=data["name"],
            title=data.get("title", ""),
            department=data.get("department", ""),
            mobile=data.get("mobile", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            wechat=data.get("wechat", ""),
            notes=data.get("notes", ""),
            created_at=now,
        )

    def after_create(self, created: list, rows: list[dict]) -> None:
        self._link([(contact.pk, row) for contact, row in zip(created, rows, strict=True)])

    def after_update(self, updated: list, rows: list[dict]) -> None:
        self._link([(contact.pk, row) for contact, row in zip(updated, rows, strict=True)])

    def _link(self, pairs: list[tuple[int, dict]]) -> None:
        """Link contacts to their rows' accounts; a new primary contact replaces the account's previous one."""
        wanted = {
            (contact_id, row["account"]): bool(row.get("is_primary")) for contact_id, row in pairs if row.get("account")
        }
        if not wanted:
            return
        accounts = {account_id for _contact, account_id in wanted}
        existing = {
            (c, a): (pk, primary)
            for pk, c, a, primary in AccountContact.objects.filter(
                tenant_id=self.tenant_id, account_id__in=accounts, contact_id__in={c for c, _a in wanted}
            ).values_list("pk", "contact_id", "account_id", "is_primary")
        }
        new_primary_accounts = {a for (c, a), primary in wanted.items() if primary}
        if new_primary_accounts:
            AccountContact.objects.filter(
                tenant_id=self.tenant_id, account_id__in=new_primary_accounts, is_primary=True
            ).update(is_primary=False)
        links = []
        for (contact_id, account_id), primary in wanted.items():
            if (contact_id, account_id) in existing:
                if primary:
                    AccountContact.objects.filter(pk=existing[(contact_id, account_id)][0]).update(is_primary=True)
                continue
            links.append(
                AccountContact(
                    tenant_id=self.tenant_id, account_id=account_id, contact_id=contact_id, is_primary=primary
                )
            )
        AccountContact.objects.bulk_create(links, batch_size=1000)
