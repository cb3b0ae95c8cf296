"""Comments in the browser, on a phone, under the real Content-Security-Policy: the sales rep types @ in a deal's
comment box, picks the sales director from the menu with the keyboard, posts without a reload, and the director
finds the notification waiting for them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS
from e2e.test_phone_layout import PHONE, layout_problems, report

pytestmark = [pytest.mark.browser]


def demo_deal_of(username: str):
    from tandem.accounts.models import Membership
    from tandem.crm.models import Deal

    member = Membership.objects.get(tenant__slug="demo", user__username=username)
    return Deal.objects.filter(tenant=member.tenant, owner=member.user).order_by("pk").first()


def test_a_comment_with_an_autocompleted_mention_on_a_phone_reaches_the_mentioned(session_factory):
    deal = demo_deal_of("sales")
    rep = session_factory(viewport=PHONE)
    rep.sign_in("sales")
    rep.goto(f"/crm/deals/{deal.pk}/")
    page = rep.page
    box = page.locator("#comment-body-timeline")
    box.scroll_into_view_if_needed()
    box.click()
    box.press_sequentially("请 @王")
    menu = page.locator("#mention-menu")
    expect(menu.locator(".mention-option").first).to_contain_text("王磊")
    box.press("Enter")
    expect(menu).to_have_count(0)
    assert box.input_value() == "请 @王磊 "
    box.press_sequentially("确认报价 <b>别加粗</b>")
    rep.shot("comments-phone-compose")
    address = page.url
    page.locator("#comment-form-timeline button[type=submit]").click()

    posted = page.locator("#timeline .comment-item", has_text="确认报价")
    expect(posted.locator(".mention")).to_have_text("@王磊")
    expect(posted.locator(".comment-body")).to_contain_text("确认报价 <b>别加粗</b>")  # shown as text, not markup
    expect(box).to_have_value("")
    assert page.url == address  # no reload
    assert not layout_problems(page, "deal with a comment"), report(layout_problems(page, "deal with a comment"))
    rep.shot("comments-phone-posted")
    assert not rep.problems, rep.problems

    director = session_factory(viewport=PHONE)
    director.sign_in("salesmgr")
    director.goto("/notifications/")
    note = director.page.locator("li.list-group-item", has_text="确认报价").locator("a", has_text=str(deal)).first
    expect(note).to_be_visible()
    director.shot("comments-phone-notified")
    note.click()
    director.page.wait_for_url(f"**/crm/deals/{deal.pk}/")
    mine = director.page.locator("#timeline .comment-item", has_text="确认报价")
    expect(mine.locator(".mention")).to_have_text("@王磊")
    assert not director.problems, director.problems
    assert (SCREENSHOTS / "comments-phone-posted.png").exists()
