"""The audit listener and the watched record types: a write no rule watches reads no rule, and every change of the
rules is seen by the very next write, committed or not, in each tenant apart."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tandem.audit.models import AuditAction
from tandem.audit.services import audit
from tandem.automation import catalog
from tandem.automation.engine import watched
from tandem.automation.engine.triggers import RECORD_EVENT
from tandem.automation.models import Rule
from tandem.automation.services.rules import rule_create, rule_delete, rule_update
from tandem.core.models import OutboxEvent
from tandem.crm.services.accounts import account_create, account_update
from tandem.crm.services.leads import lead_create, lead_update
from tandem.records.services.recycle_bin import record_restore
from tandem.testing.kit import access_for, make_member

NOTE = {"type": "add_activity", "params": {"subject": "自动：{{ account.name }}"}}
NOTIFY = {"type": "notify", "params": {"recipients": ["owner"], "subject": "线索 {{ lead.company }} 有变更"}}
FAILING = {"type": "send_webhook", "params": {"url": "http://169.254.169.254/latest"}}


def watch(access, model="crm.account", actions=(NOTE,), **fields):
    return rule_create(
        access=access, name="记录变更", trigger_type="record_updated", model=model, actions=list(actions), **fields
    )


def record_events(obj) -> int:
    return OutboxEvent.objects.filter(name=RECORD_EVENT, payload__model=catalog.key_of(obj), payload__id=obj.pk).count()


def rule_queries(queries) -> list[str]:
    # Reads of the rule tables (automation_rule, automation_ruleversion), not audit columns named automation_rule_*.
    return [q["sql"] for q in queries.captured_queries if 'FROM "automation_rule' in q["sql"]]


def rename(access, account, name: str) -> None:
    account_update(access=access, account=account, name=name)


@pytest.fixture
def access(admin_member):
    return access_for(admin_member)


@pytest.mark.django_db(transaction=True)
def test_an_audited_write_of_a_type_no_rule_watches_costs_no_query(tenant, access, monkeypatch):
    watch(access)  # the tenant watches accounts, not leads
    lead = lead_create(access=access, company="华东机电")  # this write reads the tenant's rules once

    def audited_write():
        with CaptureQueriesContext(connection) as queries:
            audit.audit_record(obj=lead, action=AuditAction.UPDATE, before={"company": "甲"}, after={"company": "乙"})
        return queries

    with_listener = audited_write()
    monkeypatch.setattr(audit, "_record_listeners", [])
    without_listener = audited_write()
    assert rule_queries(with_listener) == []
    assert len(with_listener) == len(without_listener)
    assert record_events(lead) == 0


@pytest.mark.django_db(transaction=True)
def test_a_write_of_a_watched_type_emits_without_reading_the_rules(tenant, access):
    watch(access)
    account = account_create(access=access, name="武汉宏达机电有限公司")
    # Inside a transaction, so that what the event sets off after the commit is not counted as this write's cost.
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rename(access, account, "武汉宏达机电集团")
    assert rule_queries(queries) == []
    assert record_events(account) == 2  # its creation and this change


@pytest.mark.django_db(transaction=True)
def test_every_change_of_the_rules_is_seen_by_the_next_write(tenant, access):
    account = account_create(access=access, name="上海申能")
    lead = lead_create(access=access, company="上海申能")
    rename(access, account, "上海申能 1")
    assert record_events(account) == 0

    rule = watch(access)  # created
    rename(access, account, "上海申能 2")
    assert record_events(account) == 1

    rule_update(access=access, rule=rule, enabled=False)  # disabled
    rename(access, account, "上海申能 3")
    assert record_events(account) == 1

    rule_update(access=access, rule=rule, enabled=True)  # enabled
    rename(access, account, "上海申能 4")
    assert record_events(account) == 2

    rule_update(access=access, rule=rule, model="crm.lead", actions=[NOTIFY])  # a new version, on leads
    rule = Rule.objects.get(pk=rule.pk)
    assert rule.version == 2
    rename(access, account, "上海申能 5")
    assert record_events(account) == 2
    lead_update(access=access, lead=lead, company="上海申能集团")
    assert record_events(lead) == 1

    rule_delete(access=access, rule=rule)  # deleted
    lead_update(access=access, lead=lead, company="上海申能集团 2")
    assert record_events(lead) == 1

    record_restore(access=access, obj=Rule.all_objects.get(pk=rule.pk))  # restored from the recycle bin
    lead_update(access=access, lead=lead, company="上海申能集团 3")
    assert record_events(lead) == 2


@pytest.mark.django_db(transaction=True)
def test_a_rule_the_engine_disables_after_failures_is_seen_by_the_next_write(tenant, access):
    watch(access, actions=[FAILING], max_failures=1)
    account = account_create(access=access, name="南京鼎盛")
    rename(access, account, "南京鼎盛 1")  # fires; the run fails and the rule is disabled
    assert record_events(account) == 2
    assert not Rule.objects.get(name="记录变更").enabled
    rename(access, account, "南京鼎盛 2")
    assert record_events(account) == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_of_the_rules_leaves_nothing_behind(tenant, access):
    rule = watch(access)
    account = account_create(access=access, name="杭州新禾")
    with pytest.raises(RuntimeError), transaction.atomic():
        rule_update(access=access, rule=rule, enabled=False)
        rename(access, account, "杭州新禾 1")  # the transaction sees its own change
        assert record_events(account) == 1  # its creation only
        raise RuntimeError
    rename(access, account, "杭州新禾 2")  # the rule was never disabled
    assert record_events(account) == 2


def test_inside_the_transaction_that_changed_the_rules_each_write_reads_them(tenant, access):
    account = account_create(access=access, name="成都蓉城")
    rename(access, account, "成都蓉城 1")
    assert record_events(account) == 0
    watch(access)
    rename(access, account, "成都蓉城 2")
    assert record_events(account) == 1
    with CaptureQueriesContext(connection) as queries:
        assert watched.watched_types(tenant.pk) == {"crm.account"}
        assert watched.watched_types(tenant.pk) == {"crm.account"}
    assert len(rule_queries(queries)) == 2  # nothing kept before the commit


@pytest.mark.django_db(transaction=True)
def test_two_tenants_keep_their_own_sets(tenant, other_tenant, access):
    other = access_for(make_member(other_tenant, "admin"))
    watch(access)
    assert watched.watched_types(tenant.pk) == {"crm.account"}
    assert watched.watched_types(other_tenant.pk) == frozenset()

    watch(other, model="crm.lead", actions=[NOTIFY])
    with CaptureQueriesContext(connection) as queries:
        assert watched.watched_types(tenant.pk) == {"crm.account"}  # kept: only the other tenant's rules changed
    assert rule_queries(queries) == []
    assert watched.watched_types(other_tenant.pk) == {"crm.lead"}
    account = account_create(access=other, name="重庆山城")
    rename(other, account, "重庆山城 1")
    assert record_events(account) == 0
