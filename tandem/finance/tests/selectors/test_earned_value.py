"""Earned value of the hand-computed project (`view_fixtures`) on 2025-03-15.

PV: L1 on task A (03-01..03-10, done by then) 11,000.00; L2 on task B (03-11..03-30) 7,550 × 5/20 = 1,887.50;
L3 with no task over the baseline's span (03-01..03-30) 20,500 × 15/30 = 10,250.00 → 23,137.50.
EV: 11,000 × 50 % + 7,550 × 25 % + 20,500 × 33.33 % (A 4,800 min at 50 %, B 9,600 min at 25 %) = 14,220.15.
AC to the 15th: 2,500.00 + 400.50 + 99.50 + 6,000.00 (the invoice against the subcontract counts) = 9,000.00.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.finance.models import CostSnapshot
from tandem.finance.selectors.earned_value import project_earned_value
from tandem.finance.tests.view_fixtures import seed_budget
from tandem.projects.tests.factories import make_project, pm_member
from tandem.testing.kit import access_for

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def seeded(tenant):
    member = pm_member(tenant)
    return member, seed_budget(make_project(tenant, member=member), member)


def test_every_figure_is_the_hand_computed_one(seeded):
    member, s = seeded
    report = project_earned_value(access=access_for(member), project=s.project, as_of=date(2025, 3, 15))
    f = report.figures
    assert (f.bac, f.pv, f.ev, f.ac) == (D("39050.00"), D("23137.50"), D("14220.15"), D("9000.00"))
    assert (f.cv, f.sv) == (D("5220.15"), D("-8917.35"))
    assert (f.cpi, f.spi) == (D("1.5800"), D("0.6146"))
    # The EACs use the exact indices (BAC × AC / EV), not the four-place CPI and SPI shown.
    assert f.eac_typical == D("24714.93")  # 39,050 × 9,000 / 14,220.15
    assert f.eac_atypical == D("33829.85")  # 9,000 + 39,050 − 14,220.15
    assert f.eac_combined == D("34569.64")  # 9,000 + 24,829.85 × 9,000 × 23,137.50 / 14,220.15²
    assert (f.etc, f.vac, f.tcpi) == (D("15714.93"), D("14335.07"), D("0.8263"))
    assert report.percent_complete == D("33.33") and report.has_baseline


def test_the_s_curve_and_the_trend_take_the_snapshots_and_the_live_month(seeded):
    member, s = seeded
    CostSnapshot.objects.create(
        tenant_id=s.project.tenant_id,
        project=s.project,
        month=date(2025, 2, 1),
        totals={},
        earned_value={"ev": "100.00", "cpi": "0.8500", "spi": "0.9000"},
        taken_at=timezone.now(),
    )
    report = project_earned_value(access=access_for(member), project=s.project, as_of=date(2025, 3, 15))
    data = report.chart_data()
    assert [t["month"] for t in data["trend"]] == ["2025-02", "2025-03"]
    assert data["trend"][0]["cpi"] == "0.8500" and data["trend"][1]["cpi"] == "1.5800"
    march = next(p for p in data["curve"] if p["month"] == "2025-03")
    # The whole plan is due by the end of March; the actual cost is what was spent to the date asked for (the
    # 20th's 6,000.00 is not in yet).
    assert march["planned"] == "39050.00" and march["actual"] == "9000.00" and march["earned"] == "14220.15"
    assert [p["month"] for p in data["curve"]] == ["2025-03"]


def test_a_snapshot_taken_by_the_monthly_task_feeds_the_trend(seeded):
    from tandem.finance.services.snapshots import cost_snapshot_take

    member, s = seeded
    cost_snapshot_take(tenant_id=s.project.tenant_id, project_id=s.project.pk, month=date(2025, 3, 1))
    report = project_earned_value(access=access_for(member), project=s.project, as_of=date(2025, 4, 15))
    months = [(t.month, t.live) for t in report.trend]
    assert months == [(date(2025, 3, 1), False), (date(2025, 4, 1), True)]
    march = report.earned[date(2025, 3, 31)]
    assert march is not None and march > 0
