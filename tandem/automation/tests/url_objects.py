"""Objects for the generic URL permission test: each created in `tenant`, belonging to a colleague.

Each feature keeps its factories in its own marked block.
"""

from tandem.testing.kit import access_for
from tandem.testing.permissions import colleague, seed_name, url_objects

# --- notification channels ------------------------------------------------------------------------


@url_objects(
    "automation:channel_edit",
    "automation:channel_delete",
    "automation:channel_test",
    "api:automation-channel-detail",
    "api:automation-channel-test",
)
def _channel_url(tenant):
    from tandem.automation.channels.services import channel_create

    channel = channel_create(
        access=access_for(colleague(tenant, "admin")),
        kind="email",
        name=seed_name(tenant, "channel"),
        recipients=["seed-channel@example.com"],
    )
    return {"pk": channel.pk}


# --- end of notification channels -----------------------------------------------------------------


# --- outbound webhooks ----------------------------------------------------------------------------


def _webhook_endpoint(tenant):
    from tandem.automation.webhooks.services import endpoint_create

    return endpoint_create(
        access=access_for(colleague(tenant, "admin")),
        url="https://hooks.example.com/tandem",
        event_types=["crm.*"],
        description=seed_name(tenant, "webhook"),
    )


@url_objects(
    "automation:webhook_detail",
    "automation:webhook_edit",
    "automation:webhook_delete",
    "automation:webhook_secret",
    "automation:webhook_rotate",
    "automation:webhook_test",
    "api:automation-webhookendpoint-detail",
    "api:automation-webhookendpoint-rotate-secret",
    "api:automation-webhookendpoint-send-test",
    "api:automation-webhookendpoint-deliveries",
)
def _webhook_endpoint_url(tenant):
    return {"pk": _webhook_endpoint(tenant).pk}


def _webhook_delivery(tenant):
    from tandem.automation.webhooks.services import deliveries_for_event
    from tandem.core.events import emit

    endpoint = _webhook_endpoint(tenant)
    event = emit("crm.deal.won", tenant=tenant, payload={"name": seed_name(tenant, "deal")})
    return next(d for d in deliveries_for_event(event) if d.endpoint_id == endpoint.pk)


@url_objects("automation:webhook_replay")
def _webhook_replay_url(tenant):
    delivery = _webhook_delivery(tenant)
    return {"pk": delivery.endpoint_id, "delivery_id": delivery.pk}


@url_objects("api:automation-webhookdelivery-detail", "api:automation-webhookdelivery-replay")
def _webhook_delivery_url(tenant):
    return {"pk": _webhook_delivery(tenant).pk}


# --- end of outbound webhooks ---------------------------------------------------------------------


# --- rule pages and the run log -------------------------------------------------------------------


def _seed_rule(tenant):
    from tandem.automation.services.rules import rule_create

    return rule_create(
        access=access_for(colleague(tenant, "admin")),
        name=seed_name(tenant, "rule"),
        trigger_type="manual",
        model="crm.account",
        actions=[{"type": "add_activity", "params": {"subject": "seed"}}],
    )


def _seed_account(tenant):
    from tandem.crm.tests.factories import make_account

    return make_account(tenant, colleague(tenant, "sales").user, name=seed_name(tenant, "account"))


@url_objects(
    "automation:rule_detail",
    "automation:rule_edit",
    "automation:rule_toggle",
    "automation:rule_delete",
    "automation:rule_run",
    "automation:rule_rotate_secret",
)
def _rule_url(tenant):
    return {"pk": _seed_rule(tenant).pk}


@url_objects("automation:record_rules")
def _record_rules_url(tenant):
    _seed_rule(tenant)
    return {"model": "crm.account", "record_id": _seed_account(tenant).pk}


@url_objects("automation:run_detail")
def _run_url(tenant):
    from tandem.automation.services.rules import rule_run_manual

    rule = _seed_rule(tenant)
    run = rule_run_manual(access=access_for(colleague(tenant, "admin")), rule=rule, record_id=_seed_account(tenant).pk)
    return {"pk": run.pk}


# --- end of rule pages and the run log ------------------------------------------------------------


# --- rules API ------------------------------------------------------------------------------------


@url_objects(
    "api:automation-rule-detail",
    "api:automation-rule-dry-run",
    "api:automation-rule-run",
    "api:automation-rule-rotate-secret",
)
def _rule_api_url(tenant):
    from tandem.automation.services.rules import rule_create

    rule = rule_create(
        access=access_for(colleague(tenant, "admin")),
        name=seed_name(tenant, "rule"),
        trigger_type="manual",
        model="crm.account",
        actions=[{"type": "add_activity", "params": {"subject": "seed"}}],
    )
    return {"pk": rule.pk}


@url_objects("api:automation-run-detail")
def _run_api_url(tenant):
    from tandem.automation.services.rules import rule_create
    from tandem.crm.services.accounts import account_create

    access = access_for(colleague(tenant, "admin"))
    rule = rule_create(
        access=access,
        name=seed_name(tenant, "rule"),
        trigger_type="manual",
        model="crm.account",
        actions=[{"type": "add_activity", "params": {"subject": "seed"}}],
    )
    account = account_create(access=access, name=seed_name(tenant, "account"))
    from tandem.automation.services.rules import rule_run_manual

    return {"pk": rule_run_manual(access=access, rule=rule, record_id=account.pk).pk}


# --- end of rules API -----------------------------------------------------------------------------
