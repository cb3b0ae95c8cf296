"""Two worker processes scanning time triggers at the same moment start each run once (PostgreSQL)."""

import os
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tandem.automation.models import Rule, Run
from tandem.automation.services.rules import rule_create
from tandem.notifications.models import Notification
from tandem.testing.kit import access_for, make_member, make_tenant

WORKER = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime
    import django
    django.setup()
    from tandem.automation.engine import schedules
    start, now = float(sys.argv[1]), datetime.fromisoformat(sys.argv[2])
    while time.time() < start:
        time.sleep(0.001)
    print(schedules.scan_time_triggers(now=now))
    """
)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_fire_each_time_trigger_once(tmp_path):
    from tandem.crm.models import Lead
    from tandem.crm.services.leads import lead_create

    tenant = make_tenant()
    admin = make_member(tenant, "admin")
    sales = make_member(tenant, "sales")
    access = access_for(admin)
    rule_create(
        access=access,
        name="线索即将超时",
        trigger_type="date_relative",
        model="crm.lead",
        trigger={"field": "response_due_at", "offset": -1, "unit": "hours"},
        actions=[{"type": "notify", "params": {"recipients": ["owner"], "subject": "{{ lead.company }} 一小时后超时"}}],
    )
    due = timezone.now() + timedelta(hours=3)
    leads = [lead_create(access=access_for(sales), company=f"客户{i:02d}") for i in range(40)]
    Lead.objects.filter(pk__in=[lead.pk for lead in leads]).update(response_due_at=due)
    Rule.objects.filter(tenant=tenant, trigger_type="date_relative", key="").update(
        scanned_until=due - timedelta(hours=2)
    )
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    name = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "DJANGO_SETTINGS_MODULE": "tandem.settings_test",
        "HUEY_IMMEDIATE": "1",
    }
    start = time.time() + 3
    moment = (due - timedelta(minutes=30)).isoformat()
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), str(start), moment], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err.decode()[-2000:] for _out, err in outputs]
    started = [int(out.decode().strip().splitlines()[-1]) for out, _err in outputs]
    assert sum(started) == 40  # between them, each lead once
    runs = Run.objects.filter(tenant=tenant, rule__key="")
    assert runs.count() == 40
    assert runs.values("record_id").distinct().count() == 40
    assert Notification.objects.filter(tenant=tenant, recipient=sales.user).count() == 40
