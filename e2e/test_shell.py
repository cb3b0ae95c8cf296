"""The app shell in a real browser: sign in, languages, navigation, audit, users, tenants, phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def nav_link(web, path: str):
    return web.page.locator(f"#sidebar a.nav-link[href='{path}']")


def assert_clean(web) -> None:
    assert not web.problems, "browser reported problems:\n" + "\n".join(web.problems)


def test_static_files_are_served(web):
    response = web.context.request.get(web.url("/static/vendor/bootstrap.min.css"))
    assert response.status == 200
    assert "text/css" in response.headers["content-type"]
    assert "Bootstrap" in response.text()[:500]


def test_admin_walks_through_the_shell(web):
    page = web.page
    web.goto("/accounts/login/")
    expect(page.locator("#sign-in")).to_be_visible()
    assert web.html_lang() == "zh-hans"
    web.shot("01-login-zh")

    web.sign_in("admin")
    assert web.path() == "/"
    # The demo tenant's locale is Chinese, so the shell speaks Chinese until the user picks a language.
    assert web.html_lang() == "zh-hans"
    expect(page.locator("#sidebar")).to_be_in_viewport()
    expect(page.locator("#sidebar-toggle")).to_be_hidden()
    expect(page.locator(".app-topbar")).to_contain_text("华筑机电工程有限公司")
    expect(page.locator("#user-menu")).to_contain_text("李敏")
    users_link, audit_link = nav_link(web, "/accounts/users/"), nav_link(web, "/audit/")
    expect(users_link).to_have_count(1)
    expect(audit_link).to_have_count(1)
    expect(page.locator("#language-switch")).to_have_value("zh-hans")
    # A brand-new stylesheet would leave the sidebar white: check Bootstrap and app.css really applied.
    assert page.eval_on_selector("#sidebar", "el => getComputedStyle(el).backgroundColor") == "rgb(20, 33, 61)"
    assert page.eval_on_selector("#user-menu", "el => getComputedStyle(el).display") == "inline-block"
    expect(users_link).to_contain_text("用户")
    expect(audit_link).to_have_text("审计日志")
    web.shot("02-home-zh")

    with page.expect_navigation():
        page.select_option("#language-switch", "en")
    assert web.html_lang() == "en"
    assert web.path() == "/"
    expect(users_link).to_have_text("Users")
    expect(audit_link).to_have_text("Audit trail")
    expect(page.locator("#language-switch")).to_have_value("en")
    web.shot("03-home-en")

    audit_link.click()
    page.wait_for_url("**/audit/")
    expect(page.locator("#audit-table")).to_be_visible()
    expect(audit_link).to_have_class(re.compile(r"\bactive\b"))
    page.click("#tab-security")
    page.wait_for_url("**/audit/?tab=security")
    rows = page.locator("#audit-table tbody tr")
    sign_in_row = rows.filter(has_text="Signed in").filter(has_text="admin")
    expect(sign_in_row.first).to_be_visible()
    expect(sign_in_row.first.locator("td").nth(3)).to_have_text("127.0.0.1")
    web.shot("04-audit-security-en")

    users_link.click()
    page.wait_for_url("**/accounts/users/")
    expect(page.locator("main")).to_contain_text("salesmgr")
    expect(page.locator("main")).to_contain_text("王磊")
    web.shot("05-users-en")

    page.click("#user-menu")
    expect(page.locator("#sign-out")).to_be_visible()
    web.shot("06-user-menu-en")
    with page.expect_navigation():
        page.click("#sign-out")
    assert web.path() == "/accounts/login/"
    expect(page.locator("#sign-in")).to_be_visible()
    expect(page.locator("#sidebar")).to_have_count(0)
    web.shot("07-signed-out")

    # Signed out really means signed out: the audit page sends us back to the login form.
    web.goto("/audit/")
    assert web.path().startswith("/accounts/login/")
    assert_clean(web)


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(web):
    page = web.page
    web.sign_in("admin", "not-the-password")
    assert web.path() == "/accounts/login/"
    error = page.locator("form .alert-danger[role=alert]")
    expect(error).to_be_visible()
    assert error.inner_text().strip()
    expect(page.locator("#sidebar")).to_have_count(0)
    expect(page.locator("input[name=username]")).to_have_value("admin")
    expect(page.locator("input[name=password]")).to_have_value("")
    web.shot("10-login-wrong-password")
    assert_clean(web)


def test_owner_switches_to_the_english_tenant(web):
    page = web.page
    web.sign_in("owner")
    expect(page.locator("#tenant-switch")).to_be_visible()
    expect(page.locator("#tenant-switch option:checked")).to_have_text("华筑机电工程有限公司")
    web.shot("20-owner-demo-tenant")

    with page.expect_navigation():
        page.select_option("#tenant-switch", label="Northwind Engineering Ltd.")
    expect(page.locator("#tenant-switch option:checked")).to_have_text("Northwind Engineering Ltd.")
    # Without a language cookie the shell follows the tenant's locale: Northwind works in English.
    assert web.html_lang() == "en"
    expect(nav_link(web, "/accounts/users/")).to_have_text("Users")
    web.shot("21-owner-northwind-tenant")

    nav_link(web, "/accounts/users/").click()
    page.wait_for_url("**/accounts/users/")
    expect(page.locator("main")).to_contain_text("sales")
    expect(page.locator("main")).not_to_contain_text("salesmgr")
    assert_clean(web)


def test_phone_width_hides_the_sidebar_behind_the_menu_toggle(session_factory):
    web = session_factory(viewport={"width": 390, "height": 844})
    page = web.page
    web.goto("/accounts/login/")
    web.shot("30-phone-login")
    web.sign_in("admin")
    sidebar, toggle = page.locator("#sidebar"), page.locator("#sidebar-toggle")
    expect(toggle).to_be_visible()
    expect(sidebar).not_to_be_in_viewport()
    expect(page.locator("#user-menu")).to_be_in_viewport()
    # Nothing may stick out sideways on a phone, and the long tenant name must not squeeze the controls.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#language-switch").bounding_box()["width"] >= 80
    assert page.locator(".app-topbar").bounding_box()["height"] < 60
    web.shot("31-phone-home")

    toggle.click()
    expect(sidebar).to_be_in_viewport()
    # The open menu scrolls by itself once the modules' entries outgrow a phone's height.
    nav_link(web, "/audit/").scroll_into_view_if_needed()
    expect(nav_link(web, "/audit/")).to_be_in_viewport()
    page.wait_for_timeout(300)  # the slide-in transition
    web.shot("32-phone-menu-open")
    nav_link(web, "/audit/").click()
    page.wait_for_url("**/audit/")
    expect(sidebar).not_to_be_in_viewport()
    expect(page.locator("#audit-table")).to_be_attached()
    web.shot("33-phone-audit")
    assert_clean(web)
