"""Every page at phone width (390 × 844): the page never scrolls sideways and no text stacks into letter columns.

The pages come from the navigation menu itself (so a new module's entries are covered without touching this
test), plus, under each entry, its first record, its "new" form and that record's edit form, a project's tabs,
the user menu's own pages and every in-page tab; in both demo tenants (Chinese data, and the English tenant).
Wide tables may scroll inside their own `.table-responsive` wrapper; the page itself may not.
"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}

# What a phone user would see wrong, measured in the page. An element "sticks out" when its right edge passes
# the viewport and no ancestor scrolls it sideways (fixed elements such as the closed menu are off-canvas on
# purpose). Text is "stacked" when a narrow box (at most 3.5 em) breaks it between two letters or characters;
# breaks at spaces and punctuation are normal wrapping. A select is "cut" when it cannot show the first five
# characters of its choice (the tenant switcher once showed only "华筑"). A chart is "clipped" when it draws
# on the left or right edge of its canvas (the workbench's gauges once ran off both sides).
LAYOUT_PROBLEMS = r"""() => {
  const width = document.documentElement.clientWidth;
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].map(c => '.' + c).join('');
  const exempt = el => {
    for (let up = el; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.position === 'fixed') return true;
      if (up !== el && ['auto', 'scroll'].includes(style.overflowX)) return true;
    }
    return false;
  };
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || box.right <= width + 0.5) continue;
    if (getComputedStyle(el).visibility === 'hidden' || exempt(el)) continue;
    sticking.push(`${describe(el)} (right edge at ${Math.round(box.right)} px)`);
  }
  const stacked = [];
  const letter = /[\p{L}\p{N}]/u;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    if (text.trim().length < 2) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = [...range.getClientRects()].filter(r => r.width > 0);
    const em = parseFloat(getComputedStyle(node.parentElement).fontSize);
    if (lines.length < 2 || Math.max(...lines.map(r => r.width)) > 3.5 * em) continue;
    let top = null, previous = null, broken = false;
    for (let i = 0; i < text.length && !broken; i++) {
      if (/\s/.test(text[i])) { previous = null; continue; }
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (!box.width) continue;
      broken = top !== null && box.top > top + 1 && previous !== null && letter.test(previous) && letter.test(text[i]);
      top = box.top;
      previous = text[i];
    }
    if (broken) stacked.push(`${describe(node.parentElement)} "${text.trim().slice(0, 24)}" in ${lines.length} lines`);
  }
  const measure = document.createElement('canvas').getContext('2d');
  for (const select of document.querySelectorAll('select')) {
    if (!select.offsetParent || !select.selectedOptions[0]) continue;
    const label = select.selectedOptions[0].text.trim();
    const style = getComputedStyle(select);
    measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const needed = measure.measureText([...label].slice(0, 5).join('')).width;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (needed > room + 1) stacked.push(`${describe(select)} cut to ${Math.round(room)} px of "${label}"`);
  }
  for (const canvas of document.querySelectorAll('main canvas')) {
    if (!canvas.offsetParent || !canvas.width || !canvas.height) continue;
    const pixels = x => canvas.getContext('2d').getImageData(x, 0, 1, canvas.height).data;
    const inked = x => pixels(x).some((value, i) => i % 4 === 3 && value > 0);
    if (inked(0) || inked(canvas.width - 1)) stacked.push(`chart in ${describe(canvas.closest('[id]'))} is clipped`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, sticking, stacked};
}"""

# Under a menu entry: a record (/crm/deals/80/), the "new" form, a record's edit form.
BELOW_ENTRY = r"(?:\d+/|new/|\d+/edit/)"
USER_MENU = "#user-menu + .dropdown-menu a[href^='/accounts/']"


def links(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")


def layout_problems(page, where: str) -> list[tuple[str, str]]:
    """(problem, where) pairs for the page as it is now."""
    found = page.evaluate(LAYOUT_PROBLEMS)
    problems = []
    if found["scrollWidth"] > PHONE["width"]:
        problems.append(f"the page is {found['scrollWidth']} px wide")
    problems += [f"sticks out: {item}" for item in found["sticking"][:5]]
    problems += [f"squeezed or clipped: {item}" for item in found["stacked"][:5]]
    return [(problem, where) for problem in problems]


def report(problems: list[tuple[str, str]]) -> str:
    """One line per problem with the pages it is on (a fault in the shell shows on every page)."""
    pages: dict[str, list[str]] = {}
    for problem, where in problems:
        pages.setdefault(problem, []).append(where)
    lines = [
        f"{problem} — on {', '.join(where[:4])}{' …' if len(where) > 4 else ''} ({len(where)} pages)"
        for problem, where in pages.items()
    ]
    return f"{len(pages)} layout problems at {PHONE['width']} px:\n" + "\n".join(lines)


def check_page(web, path: str, tenant: str) -> list[tuple[str, str]]:
    page = web.page
    web.goto(path)
    page.wait_for_load_state("networkidle")  # charts, the Gantt's data and HTMX fragments arrive after load
    where = f"{tenant} {path}"
    problems = layout_problems(page, where)
    for tab in page.locator("main [data-bs-toggle=tab]").all():
        if not tab.is_visible() or "active" in (tab.get_attribute("class") or ""):
            continue
        tab.click()
        page.wait_for_function(
            "t => document.querySelector(t).classList.contains('show')", arg=tab.get_attribute("data-bs-target")
        )
        problems += layout_problems(page, f"{where} (tab {tab.inner_text().strip()})")
    if problems:
        web.shot(f"phone-layout-{tenant}-" + (re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "home"))
    return problems


def walk(web, tenant: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Visit every menu entry, what lies one step below it and the user menu's pages; return (visited, problems)."""
    page = web.page
    entries = list(dict.fromkeys(links(page, "#sidebar a.nav-link[href]")))
    queue = [(path, path) for path in entries + links(page, USER_MENU)]
    visited: list[str] = []
    problems: list[tuple[str, str]] = []
    while queue:
        path, entry = queue.pop(0)
        if path in visited:
            continue
        visited.append(path)
        problems += check_page(web, path, tenant)
        if path != entry and not re.fullmatch(re.escape(entry) + r"\d+/", path):
            continue  # forms and tabs lead nowhere new
        below = re.compile(re.escape(entry) + BELOW_ENTRY)
        first_of_kind: dict[str, str] = {}
        for href in links(page, "main a[href]"):
            if below.fullmatch(href or ""):
                first_of_kind.setdefault(re.sub(r"\d+", "N", href), href)
        found = list(first_of_kind.values()) + links(page, "#project-tabs a[href]")
        queue += [(href, entry) for href in found if href not in visited]
    return visited, problems


def test_every_page_fits_a_phone_in_the_chinese_tenant(session_factory):
    web = session_factory(viewport=PHONE)
    web.sign_in("owner")
    assert web.page.eval_on_selector("#tenant-switch option:checked", "o => o.text") == "华筑机电工程有限公司"
    pages, problems = walk(web, "demo")

    # The walk really went past the menu: records, forms, every project tab, the settings pages.
    for expected in (
        r"/crm/accounts/\d+/",
        r"/crm/deals/\d+/",
        r"/crm/deals/new/",
        r"/projects/\d+/gantt/",
        r"/projects/\d+/kanban/",
        r"/projects/\d+/baselines/",
        r"/automation/\d+/",
        r"/accounts/roles/\d+/",
        r"/accounts/organisation/",
        r"/accounts/password/",
    ):
        assert any(re.fullmatch(expected, path) for path in pages), f"{expected} not visited: {pages}"
    assert not problems, report(problems)
    assert not web.problems, "browser reported problems:\n" + "\n".join(web.problems)


# The English tenant walks in a test of its own, so the two walks run on two workers at once.
def test_every_page_fits_a_phone_in_the_english_tenant(session_factory):
    english = session_factory(viewport=PHONE)
    english.sign_in("owner")
    with english.page.expect_navigation():
        english.page.select_option("#tenant-switch", label="Northwind Engineering Ltd.")
    assert english.html_lang() == "en"
    pages, problems = walk(english, "northwind")

    assert "/crm/workbench/" in pages and "/accounts/users/new/" in pages
    assert not problems, report(problems)
    assert not english.problems, "browser reported problems:\n" + "\n".join(english.problems)
