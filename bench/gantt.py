"""Gantt page load with a 1,000-task project (part of the HTTP benchmark in bench/run.py).

`seed` adds one project of ~1,000 WBS rows (tandem/projects/scale.py: areas of 20 chained trade tasks with a
milestone, SS overlaps, ~1.4 links a task) to the demo tenant, scheduled once. `http_results` times, as the
signed-in PM, the Gantt page's HTML and its JSON data (every task with stored CPM dates, links, baseline,
calendar). `browser_results` times what a user waits for in headless Chromium: from navigation until every
bar of the 1,000 is drawn in the chart (skipped, with a note, when Chromium or Playwright is missing).
"""

from __future__ import annotations

import json
import shutil
import time

from measure import Client, Result, expect_ok, measure

SEED = (
    "from tandem.projects.scale import scale_project; "
    "p = scale_project(tenant_slug='demo', tasks={tasks}); print(p.pk, p.tasks.count())"
)
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def seed(tandem, env: dict, tasks: int = 1000) -> tuple[int, int]:
    """Create the big project; returns (project id, task rows)."""
    out = tandem(env, "shell", "-c", SEED.format(tasks=tasks)).split()
    return int(out[-2]), int(out[-1])


def http_results(port: int, project_id: int, rows: int, password: str, requests: int, warmup: int) -> list[Result]:
    client = Client("127.0.0.1", port)
    client.sign_in("pm", password)
    status, body = client.get(f"/projects/{project_id}/gantt/data/", {"Accept": "application/json"})
    if status != 200 or len(json.loads(body)["tasks"]) != rows:
        raise RuntimeError(f"Gantt data answered {status} without the {rows} tasks")
    results = [
        measure(
            f"GET Gantt page ({rows} tasks)",
            expect_ok(client, f"/projects/{project_id}/gantt/"),
            requests=requests,
            warmup=warmup,
            client=client,
        ),
        measure(
            f"GET Gantt data JSON ({rows} tasks, {len(body) // 1024} KB)",
            expect_ok(client, f"/projects/{project_id}/gantt/data/", {"Accept": "application/json"}),
            requests=requests,
            warmup=warmup,
            client=client,
        ),
    ]
    client.close()
    return results


def browser_results(port: int, project_id: int, rows: int, password: str, runs: int = 20) -> list[Result]:
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if not chromium:
        print("bench: Gantt in the browser skipped (no chromium or playwright)")
        return []
    base = f"http://127.0.0.1:{port}"
    latencies = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", "pm")
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        drawn = f"document.querySelectorAll('#gantt .g-task').length >= {rows}"
        started = time.perf_counter()
        for run in range(runs + 2):
            begin = time.perf_counter()
            page.goto(f"{base}/projects/{project_id}/gantt/")
            page.wait_for_function(drawn, timeout=60_000)
            if run >= 2:  # two untimed loads fill the browser's cache of scripts and styles
                latencies.append(time.perf_counter() - begin)
        elapsed = time.perf_counter() - started
        browser.close()
    return [Result(f"Gantt in Chromium, all {rows} bars drawn", latencies, elapsed)]
