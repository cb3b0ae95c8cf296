"""Every cost center page in the browser, in the Chinese demo tenant (finance 孙丽) and the English one (Grace Wu),
on a desktop and at 390 px: no console error, no failed request, nothing wider than the screen; screenshots of each
page in test-artifacts/screenshots/finance-walk-*."""

from __future__ import annotations

import pytest

from e2e.conftest import DESKTOP
from e2e.test_phone_layout import PHONE, layout_problems, report

pytestmark = [pytest.mark.browser]


def username_of(slug: str) -> str:
    return {"demo": "finance", "northwind": "grace"}[slug]


def _pages(slug: str) -> list[tuple[str, str]]:
    from tandem.accounts.models import Membership
    from tandem.finance.models import ChangeOrder, Commitment, CostAlert

    # The demo's project that is eroding its margin: its budget, lines, alerts, earned value and forms.
    tenant = Membership.objects.get(tenant__slug=slug, user__username=username_of(slug)).tenant
    alert = CostAlert.objects.filter(tenant=tenant, closed_at__isnull=True, kind="margin_low").first()
    assert alert is not None, "the demo has a project eroding its margin"
    pk = alert.project_id
    pages = [
        ("portfolio", "/finance/"),
        ("change-orders", "/finance/change-orders/"),
        ("commitments", "/finance/commitments/"),
        ("costs", "/finance/costs/"),
        ("cost-codes", "/finance/cost-codes/"),
        ("settings", "/finance/settings/"),
        ("budget", f"/finance/projects/{pk}/budget/"),
        ("lines", f"/finance/projects/{pk}/budget/lines/"),
        ("earned-value", f"/finance/projects/{pk}/earned-value/"),
        ("change-order-new", f"/finance/projects/{pk}/change-orders/new/"),
        ("commitment-new", f"/finance/projects/{pk}/commitments/new/"),
        ("cost-new", f"/finance/projects/{pk}/costs/new/"),
    ]
    order = ChangeOrder.objects.filter(tenant__slug=slug).order_by("id").first()
    if order is not None:
        pages.append(("change-order", f"/finance/change-orders/{order.pk}/"))
    commitment = Commitment.objects.filter(tenant__slug=slug).order_by("id").first()
    if commitment is not None:
        pages.append(("commitment", f"/finance/commitments/{commitment.pk}/"))
    return pages


@pytest.mark.parametrize(
    ("slug", "username", "locale", "lang"), [("demo", "finance", "zh-CN", "zh"), ("northwind", "grace", "en-GB", "en")]
)
def test_every_finance_page_on_desktop_and_phone(session_factory, slug, username, locale, lang):
    pages = _pages(slug)
    found = []
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        web = session_factory(viewport=viewport, locale=locale)
        web.sign_in(username)
        for name, path in pages:
            web.goto(path)
            assert web.html_lang().lower().startswith(lang), path
            if width == "phone":
                found += [(path, *p) for p in layout_problems(web.page, name)]
            web.shot(f"finance-walk-{lang}-{width}-{name}")
        assert not web.problems, web.problems
    assert not found, report([(p[0], str(p[1:])) for p in found])
