"""Objects for the generic permission test: each printing URL with parameters, filled with a colleague's record."""

from tandem.crm.tests.factories import make_account, make_contract
from tandem.printing import defaults
from tandem.printing.models import PrintLog, PrintTemplate
from tandem.testing.permissions import colleague, seed_name, url_objects


def _template(tenant, **fields):
    fields.setdefault("is_default", False)
    return PrintTemplate.objects.create(
        tenant=tenant,
        object_type="crm.contract",
        name=seed_name(tenant, "print template"),
        body=defaults.shipped_body("contract", "zh-hans"),
        shipped_key="contract",
        **fields,
    )


@url_objects(
    "api:printtemplate-detail",
    "api:printtemplate-make-default",
    "api:printtemplate-reset",
    "api:printtemplate-preview",
    "printing:template_edit",
    "printing:template_default",
    "printing:template_reset",
    "printing:template_delete",
)
def print_template(tenant):
    return {"pk": _template(tenant).pk}


@url_objects("api:printlog-detail")
def print_log(tenant):
    owner = colleague(tenant, "sales").user
    log = PrintLog.objects.create(
        tenant=tenant,
        object_type="crm.contract",
        object_id="1",
        object_repr=seed_name(tenant, "printed"),
        template_name=seed_name(tenant, "print template"),
        printed_by=owner,
    )
    return {"pk": log.pk}


@url_objects("printing:print")
def printed_contract(tenant):
    owner = colleague(tenant, "sales").user
    contract = make_contract(tenant, owner, make_account(tenant, owner), name=seed_name(tenant, "contract"))
    return {"object_type": "crm.contract", "pk": contract.pk}
