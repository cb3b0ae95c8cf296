"""The sales workbench: funnel, targets, team ranking, forgotten customers, overdue leads and upcoming recalls,
as JSON and as a page; and every new list page and endpoint in a constant number of queries."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.crm.choices import ContractStatus, TargetLevel, TargetMetric
from tandem.crm.models import Pool, PoolMove, PoolRule, SalesTarget
from tandem.crm.selectors.workbench import workbench
from tandem.crm.services.pipelines import pipeline_default
from tandem.crm.tests.factories import make_account, make_contract, make_deal, make_lead, stage_named
from tandem.testing.kit import api_client, make_member, page_client

_seq = itertools.count(1)


@pytest.fixture
def sales_floor(team):
    """Deals, a contract, targets, a forgotten account, an overdue lead and an account near its recall."""
    today = timezone.localdate()
    pipeline_default(tenant=team.tenant)
    rep, rep2 = team.rep.user, team.rep2.user
    make_deal(team.tenant, rep, stage=stage_named(team.tenant, 1), amount=Decimal("100"))
    make_deal(team.tenant, rep, stage=stage_named(team.tenant, 3), amount=Decimal("300"))
    make_deal(team.tenant, rep, stage=stage_named(team.tenant, 5), won_at=timezone.now(), amount=Decimal("500"))
    make_deal(team.tenant, rep2, stage=stage_named(team.tenant, 1), amount=Decimal("999"))
    make_contract(team.tenant, rep, amount=Decimal("400000"), signed_on=today, status=ContractStatus.SIGNED)
    make_contract(team.tenant, rep2, amount=Decimal("600000"), signed_on=today, status=ContractStatus.SIGNED)
    SalesTarget.objects.create(
        tenant=team.tenant,
        level=TargetLevel.PERSON,
        user=rep,
        metric=TargetMetric.CONTRACTS,
        year=today.year,
        month=today.month,
        amount=Decimal("800000"),
    )
    pool = Pool.objects.create(tenant=team.tenant, name="公共池", is_default=True, open_deals_exempt=False)
    PoolRule.objects.create(tenant=team.tenant, pool=pool, tier="", no_follow_up_days=30, reminder_days=3)
    make_account(
        team.tenant,
        rep,
        name="快被收回的客户",
        claimed_at=timezone.now() - timedelta(days=25),
        last_activity_at=timezone.now() - timedelta(days=25),
    )
    make_account(
        team.tenant, rep, name="被遗忘的客户", last_activity_at=timezone.now() - timedelta(days=200), locked=True
    )
    make_lead(team.tenant, rep, company="超时线索", response_due_at=timezone.now() - timedelta(hours=3))
    return team


def test_the_reps_workbench(sales_floor):
    team = sales_floor
    data = workbench(access=team.rep_access)
    funnel = {row["stage"]: (row["deals"], row["amount"]) for row in data["funnel"]}
    stages = [s.name for s in pipeline_default(tenant=team.tenant).stages.order_by("order") if not s.is_lost]
    assert list(funnel) == stages
    counts = [row["deals"] for row in data["funnel"]]
    assert counts[0] == 1 and counts[2] == 1 and counts[-1] == 1  # the rep's own deals only; won this month
    (target,) = data["targets"]
    assert (target.actual, target.percent) == (Decimal("400000.00"), Decimal("50.0"))
    ranking = [(row["name"], row["contracts"], row["is_me"]) for row in data["ranking"]]
    # Ranked within 销售部, the department above the rep's group.
    assert ranking == [
        (str(team.rep2.user), Decimal("600000.00"), False),
        (str(team.rep.user), Decimal("400000.00"), True),
        (str(team.manager.user), Decimal("0.00"), False),
    ]
    assert [a.name for a in data["forgotten"]["accounts"]][:1] == ["被遗忘的客户"]
    assert [str(lead) for lead in data["overdue_leads"]["leads"]] == ["超时线索"]
    recalls = data["upcoming_recalls"]["accounts"]
    assert [(r["name"], r["days_left"]) for r in recalls][:1] == [("快被收回的客户", 5)]
    assert "被遗忘的客户" not in [r["name"] for r in recalls]  # locked


def test_the_managers_ranking_covers_the_department_tree(sales_floor):
    names = {row["name"] for row in workbench(access=sales_floor.manager_access)["ranking"]}
    assert names == {str(sales_floor.rep.user), str(sales_floor.rep2.user), str(sales_floor.manager.user)}


def test_the_workbench_endpoint_and_page(sales_floor):
    team = sales_floor
    response = api_client(team.rep).get("/api/v1/crm/workbench/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["targets"][0]["percent"] == "50.0"
    assert data["upcoming_recalls"]["accounts"][0]["reason"] == "no_follow_up"
    assert data["overdue_leads"]["count"] == 1
    page = page_client(team.rep).get(reverse("crm:workbench"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="workbench-data"' in html and "vendor/echarts.min.js" in html and "crm/workbench.js" in html
    assert "<script>" not in html.replace('<script type="application/json"', "")  # no inline code (CSP)
    assert "被遗忘的客户" in html and "快被收回的客户" in html
    assert api_client(make_member(team.tenant, "foreman")).get("/api/v1/crm/workbench/").status_code == 403


def test_the_targets_page(sales_floor):
    team = sales_floor
    today = timezone.localdate()
    client = page_client(team.manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("crm:targets"))
    assert page.status_code == 200 and "50.0%" in page.content.decode()
    response = client.post(
        reverse("crm:targets"),
        {
            "level": "person",
            "user": team.rep2.user.pk,
            "metric": "receipts",
            "year": today.year,
            "month": 0,
            "amount": "5000000",
        },
    )
    assert response.status_code == 302
    assert SalesTarget.objects.filter(user=team.rep2.user, metric="receipts", month=0).exists()
    refused = client.post(
        reverse("crm:targets"),
        {"level": "company", "metric": "receipts", "year": today.year, "month": 0, "amount": "1"},
    )
    assert refused.status_code == 200 and "set from above" in refused.content.decode()
    rep_page = page_client(team.rep).get(reverse("crm:targets"))
    assert rep_page.status_code == 200 and 'id="save-target"' not in rep_page.content.decode()
    assert (
        page_client(team.rep).post(reverse("crm:target_delete", args=[SalesTarget.objects.first().pk])).status_code
        == 403
    )


def test_the_response_times_page(sales_floor):
    page = page_client(sales_floor.manager).get(reverse("crm:response_times"))
    assert page.status_code == 200 and "by-owner" in page.content.decode()


# --- constant queries ------------------------------------------------------------------------------


def _rep(team):
    return make_member(team.tenant, "sales", manager=team.manager.user, department=team.manager.department).user


def add_floor(team, n):
    today = timezone.localdate()
    pool = Pool.objects.get(tenant=team.tenant, is_default=True)
    for _ in range(n):
        owner = _rep(team)
        make_deal(team.tenant, owner, stage=stage_named(team.tenant, 1 + next(_seq) % 5), won_at=timezone.now())
        make_contract(team.tenant, owner, amount=Decimal("1000"), signed_on=today)
        make_account(team.tenant, owner, last_activity_at=timezone.now() - timedelta(days=90))
        make_account(team.tenant, team.rep.user, claimed_at=timezone.now() - timedelta(days=28))
        make_lead(team.tenant, owner, response_due_at=timezone.now() - timedelta(hours=1))
        for metric in TargetMetric.values:
            SalesTarget.objects.create(
                tenant=team.tenant,
                level=TargetLevel.PERSON,
                user=owner,
                metric=metric,
                year=today.year,
                month=next(_seq) % 13,
                amount=Decimal("1000"),
            )
        waiting = make_account(team.tenant, None, pool=pool)
        PoolMove.objects.create(tenant=team.tenant, account=waiting, pool=pool, kind="recall", from_user=owner)
        Pool.objects.create(tenant=team.tenant, name=f"池{next(_seq)}")


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, len(queries)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("manager", "/api/v1/crm/workbench/"),
        ("manager", "/api/v1/crm/pools/"),
        ("manager", "/api/v1/crm/pools/{pool}/accounts/"),
        ("manager", "/api/v1/crm/targets/"),
        ("manager", "/api/v1/crm/response-times/"),
        ("rep", "/api/v1/crm/workbench/"),
        ("manager", "page:crm:workbench"),
        ("rep", "page:crm:workbench"),
        ("manager", "page:crm:pools"),
        ("manager", "page:crm:pool_detail"),
        ("manager", "page:crm:targets"),
        ("manager", "page:crm:response_times"),
    ],
)
def test_queries_do_not_grow_with_rows(sales_floor, who, url):
    team = sales_floor
    member = team.manager if who == "manager" else team.rep
    pool = Pool.objects.get(tenant=team.tenant, is_default=True)
    if url.startswith("page:"):
        name = url[5:]
        url = reverse(name, args=[pool.pk]) if name == "crm:pool_detail" else reverse(name)
        client = page_client(member)
    else:
        url = url.format(pool=pool.pk)
        client = api_client(member)
    add_floor(team, 2)
    client.get(url)  # warm-up
    few_response, few = _count(client, url)
    add_floor(team, 12)
    many_response, many = _count(client, url)
    assert len(many_response.content) > len(few_response.content)
    assert many == few, f"{few} queries before, {many} after"
