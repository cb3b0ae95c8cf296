from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "tandem.crm"
    label = "crm"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from tandem.core import permissions
        from tandem.crm import scale  # noqa: F401  (registers the scale loader)
        from tandem.crm.demo import approvals, customers, northwind, pools  # noqa: F401  (register the demo loaders)

        personal = {
            "mobile": _("Mobile phone"),
            "phone": _("Office phone"),
            "email": _("Email"),
            "wechat": _("WeChat ID"),
        }
        permissions.register_type("crm", "account", _("Account"))
        permissions.register_type("crm", "contact", _("Contact"), fields=personal)
        permissions.register_type(
            "crm", "lead", _("Lead"), fields={"phone": _("Phone"), "email": _("Email"), "wechat": _("WeChat ID")}
        )
        permissions.register_type("crm", "deal", _("Deal"))
        permissions.register_type("crm", "pipeline", _("Pipeline"), actions=("view", "add", "change", "delete"))
        permissions.register_type(
            "crm", "activity", _("Activity"), actions=("view", "add", "change", "delete", "export", "transfer")
        )
        permissions.register_type("crm", "contract", _("Contract"))
        permissions.register_type("crm", "paymentmilestone", _("Payment milestone"), actions=("view", "export"))
        permissions.register_type("crm", "receipt", _("Receipt"), actions=("view", "add", "delete", "export", "print"))
        # Pools: view opens them, transfer assigns their accounts; add/change/delete set them up (with the
        # "all" scope). Claiming takes view + crm.add_account. See tandem.crm.services.pools.
        permissions.register_type(
            "crm", "pool", _("Customer pool"), actions=("view", "add", "change", "delete", "transfer")
        )
        permissions.register_type("crm", "salestarget", _("Sales target"), actions=("view", "add", "change", "delete"))
        _register_commentables()

        from tandem.crm.models import Contract, Receipt
        from tandem.crm.selectors import prints
        from tandem.printing.registry import PrintableType, register

        register(
            PrintableType(
                "crm.contract",
                _("Contract"),
                Contract,
                context=prints.contract_print_context,
                default_templates=["contract"],
                variables=prints.CONTRACT_VARIABLES,
            )
        )
        register(
            PrintableType(
                "crm.receipt",
                _("Receipt"),
                Receipt,
                context=prints.receipt_print_context,
                default_templates=["receipt"],
                variables=prints.RECEIPT_VARIABLES,
            )
        )

        from tandem.audit.changes import register_change_key
        from tandem.crm.choices import PoolMoveKind

        register_change_key("pool_move", _("Pool move"), PoolMoveKind.choices)

        from tandem.crm.approvables import register_approvables

        # Contracts and receipts go through approval flows (审批流) when the tenant sets one up.
        register_approvables()

        from tandem.core.navigation import NavItem, register_section

        register_section(
            "crm",
            _("Customers"),
            10,
            [
                NavItem(_("Accounts"), "crm:accounts", "building", "crm.view_account", 10),
                NavItem(_("Contacts"), "crm:contacts", "person-vcard", "crm.view_contact", 15),
                NavItem(_("Leads"), "crm:leads", "funnel", "crm.view_lead", 20),
                NavItem(_("Deals"), "crm:deals", "briefcase", "crm.view_deal", 30),
                NavItem(_("Contracts"), "crm:contracts", "file-earmark-text", "crm.view_contract", 40),
                NavItem(_("Sales workbench"), "crm:workbench", "speedometer2", "crm.view_account", 5),
                NavItem(_("Customer pools"), "crm:pools", "inboxes", "crm.view_pool", 15),
                NavItem(_("Sales targets"), "crm:targets", "bullseye", "crm.view_salestarget", 60),
            ],
        )


def _register_commentables() -> None:
    """Comments on the record pages: who may view the record (within their scope) reads and writes its comments."""
    from django.urls import reverse

    from tandem.comments.registry import Commentable, register
    from tandem.crm.selectors import accounts, contracts, deals, leads

    for model, records, page in (
        ("account", accounts.account_list, "crm:account_detail"),
        ("contact", accounts.contact_list, "crm:contact_detail"),
        ("lead", leads.lead_list, "crm:lead_detail"),
        ("deal", deals.deal_list, "crm:deal_detail"),
        ("contract", contracts.contract_list, "crm:contract_detail"),
    ):
        register(
            Commentable(
                type_key=f"crm.{model}",
                permission=f"crm.view_{model}",
                records=lambda access, records=records: records(access=access),
                url=lambda obj, page=page: reverse(page, args=[obj.pk]),
            )
        )
