"""`tandem demo --scale N`: the synthetic benchmark data set has the promised sizes, consistent rows, and is never
written twice into the same tenant by accident."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Q, Sum

from tandem.accounts.models import Membership, Tenant
from tandem.core.models import NumberSequence
from tandem.crm.choices import ActivityKind, DealStatus
from tandem.crm.models import Account, AccountContact, Activity, Contact, Deal, Stage
from tandem.crm.scale import ScaleRefused, scale_load
from tandem.crm.selectors.deals import deal_board, deal_forecast
from tandem.records.services.numbering import number_next

N = 50


def _scale(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--scale", str(N), *args, stdout=out)
    return out.getvalue()


def _counts(tenant) -> tuple[int, int, int, int]:
    return (
        Account.objects.filter(tenant=tenant).count(),
        Contact.objects.filter(tenant=tenant).count(),
        Deal.objects.filter(tenant=tenant).count(),
        Activity.objects.filter(tenant=tenant).count(),
    )


def test_scale_writes_n_accounts_3n_contacts_2n_deals_10n_activities(db):
    output = _scale()

    tenant = Tenant.objects.get(slug="scale")
    assert _counts(tenant) == (N, 3 * N, 2 * N, 10 * N)
    assert "50 accounts, 150 contacts, 100 deals, 500 activities" in output
    roles = set(Membership.objects.filter(tenant=tenant).values_list("roles__key", flat=True))
    assert {"admin", "sales_manager", "sales"} <= roles
    # Every account has a primary contact, and only one.
    primaries = AccountContact.objects.filter(tenant=tenant, is_primary=True)
    assert primaries.count() == N and primaries.values("account").distinct().count() == N


def test_every_deal_sits_in_a_stage_of_the_tenants_pipeline_with_a_matching_status(db):
    _scale()
    tenant = Tenant.objects.get(slug="scale")

    deals = Deal.objects.filter(tenant=tenant)
    stages = Stage.objects.filter(tenant=tenant)
    assert not deals.exclude(stage__in=stages).exists()
    assert not deals.exclude(stage__pipeline=F("pipeline")).exists()
    assert deals.values("stage").distinct().count() > 1
    assert not deals.filter(stage__is_won=True).exclude(status=DealStatus.WON, won_at__isnull=False).exists()
    assert not deals.filter(stage__is_lost=True).exclude(status=DealStatus.LOST, lost_at__isnull=False).exists()
    assert not deals.filter(stage__is_won=False, stage__is_lost=False).exclude(status=DealStatus.OPEN).exists()
    assert not deals.filter(Q(amount__lte=0) | ~Q(currency="CNY") | Q(expected_close_date=None)).exists()
    assert not deals.exclude(account__tenant=tenant).exists()


def test_deal_numbers_are_unique_and_new_deals_number_on(db):
    _scale()
    tenant = Tenant.objects.get(slug="scale")

    numbers = list(Deal.objects.filter(tenant=tenant).values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) and all(n.startswith("SJ-") for n in numbers)
    latest = Deal.objects.filter(tenant=tenant).order_by("-created_at").first()
    period = latest.number.split("-")[1]
    same_day = Deal.objects.filter(tenant=tenant, number__startswith=f"SJ-{period}-").count()
    assert NumberSequence.objects.get(tenant=tenant, object_type="crm.deal", period=period).last_value == same_day
    assert number_next(tenant_id=tenant.pk, object_type="crm.deal", default_prefix="SJ", on=latest.created_at) == (
        f"SJ-{period}-{same_day + 1:04d}"
    )


def test_accounts_carry_their_latest_follow_up(db):
    _scale()
    tenant = Tenant.objects.get(slug="scale")

    follow_ups = Activity.objects.filter(tenant=tenant).exclude(kind=ActivityKind.TASK, done=False)
    latest = follow_ups.values("account").annotate(at=Max("occurred_at"))
    by_account = {row["account"]: row["at"] for row in latest}
    for account in Account.objects.filter(tenant=tenant):
        if account.pk not in by_account:
            continue
        # Done tasks count from when they were done, which may be later than when they were planned.
        assert account.last_activity_at >= by_account[account.pk]
        assert account.last_activity_summary
    busiest = Activity.objects.filter(tenant=tenant).values("account").annotate(n=Count("id")).order_by("-n").first()
    assert busiest["n"] >= 25  # a key account with a long timeline
    linked = Activity.objects.filter(tenant=tenant, deal__isnull=False)
    assert not linked.exclude(deal__account=F("account")).exists()


def test_a_second_run_is_refused_with_a_clear_message(db):
    _scale()
    tenant = Tenant.objects.get(slug="scale")

    with pytest.raises(CommandError, match=r"already has CRM data .*--reset"):
        _scale()
    with pytest.raises(ScaleRefused):
        scale_load(n=5)
    assert _counts(tenant) == (N, 3 * N, 2 * N, 10 * N)


def test_reset_replaces_the_data(db):
    _scale()
    tenant = Tenant.objects.get(slug="scale")
    before = set(Account.objects.filter(tenant=tenant).values_list("pk", flat=True))

    output = _scale("--reset", "--seed", "7")

    assert "reset" in output
    assert _counts(tenant) == (N, 3 * N, 2 * N, 10 * N)
    assert not before & set(Account.objects.filter(tenant=tenant).values_list("pk", flat=True))
    assert Deal.objects.filter(tenant=tenant).values("number").distinct().count() == 2 * N


def test_another_tenant_and_its_data_are_left_alone(db):
    _scale("--tenant", "bench-small")
    call_command("demo", "--scale", "3", "--tenant", "other", stdout=StringIO())

    small, other = Tenant.objects.get(slug="bench-small"), Tenant.objects.get(slug="other")
    assert _counts(small) == (N, 3 * N, 2 * N, 10 * N)
    assert _counts(other) == (3, 9, 6, 30)
    call_command("demo", "--scale", "3", "--tenant", "other", "--reset", stdout=StringIO())
    assert _counts(small) == (N, 3 * N, 2 * N, 10 * N)


def test_a_scale_of_zero_is_refused(db):
    with pytest.raises(CommandError, match="positive"):
        call_command("demo", "--scale", "0", stdout=StringIO())


def test_the_board_shows_each_stages_most_recently_moved_deals_and_the_forecast_adds_up(db):
    _scale()
    tenant = Tenant.objects.get(slug="scale")
    stages = list(Stage.objects.filter(tenant=tenant).order_by("order"))
    deals = Deal.objects.filter(tenant=tenant)
    # Never moved deals go last, whatever the database puts first.
    deals.filter(pk__in=deals.filter(stage=stages[0]).values("pk")[:3]).update(stage_changed_at=None)

    columns = deal_board(deals, stages=stages, per_stage=5)

    for column in columns:
        in_stage = sorted(
            deals.filter(stage=column["stage"]),
            key=lambda d: (d.stage_changed_at is not None, d.stage_changed_at, d.pk),
            reverse=True,
        )
        assert [d.pk for d in column["deals"]] == [d.pk for d in in_stage[:5]]
        assert column["count"] == len(in_stage)
    open_deals = deals.filter(status=DealStatus.OPEN)
    rows = deal_forecast(deals)
    assert sum(row["deals"] for row in rows) == open_deals.count()
    assert sum(row["amount"] for row in rows) == open_deals.aggregate(total=Sum("amount"))["total"]
    weighted = sum(d.amount * d.stage.probability for d in open_deals.select_related("stage")) / 100
    assert abs(sum(row["weighted"] for row in rows) - weighted) < len(rows) * Decimal("0.01")
    assert [row["month"] for row in rows] == sorted(row["month"] for row in rows)
