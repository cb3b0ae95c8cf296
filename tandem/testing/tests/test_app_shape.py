"""Every app has the one shape written down in docs/adding-a-model.md, so a new app cannot drift.

The checks read the source tree (no imports): which parts an app has, that no module repeats a standard
part under another name (`views_pools.py`, `webhook_tasks.py`, `api/urls_channels.py`), that templates and
static files live only in the app's own `templates/<app>/` and `static/<app>/`, that tests sit in the
folders of what they exercise, and that no template carries inline JavaScript the CSP would block.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the tandem package

# The apps built in the one shape: platform apps, then domain apps, then the apps on top.
APPS = [
    "accounts",
    "audit",
    "notifications",
    "records",
    "calendars",
    "comments",
    "printing",
    "crm",
    "projects",
    "automation",
    "integrations",
    "resources",
    "finance",
]

# Parts every app has; a part is a module (`x.py`) or a package (`x/`).
REQUIRED = ["apps", "models", "services", "selectors", "api", "views", "urls", "tests"]
API_REQUIRED = ["serializers", "views", "urls"]
# Standard parts an app may have when it needs them.
OPTIONAL = [
    "admin",
    "choices",
    "filters",
    "forms",
    "events",
    "tasks",
    "exports",
    "demo",
    "templatetags",
    "management",
    "migrations",
    "templates",
    "static",
    "locale",
]
STANDARD = REQUIRED + OPTIONAL
# Parts whose name must never come back with a prefix or a suffix: a sub-domain is a module inside them.
LAYERS = ["models", "services", "selectors", "views", "forms", "urls", "api", "tasks", "events", "serializers"]
TEST_FOLDERS = {"services", "selectors", "api", "views"}
# Apps with no models of their own: their pages and services work on core's shared record models.
NO_MODELS = {"records"}


def app_dir(app: str) -> Path:
    return ROOT / app


def parts(folder: Path) -> set[str]:
    """Module and package names directly inside a folder."""
    names = set()
    for child in folder.iterdir():
        if child.name.startswith((".", "__")):
            continue
        if child.is_dir():
            names.add(child.name)
        elif child.suffix == ".py":
            names.add(child.stem)
    return names


def python_modules(folder: Path):
    for path in folder.rglob("*.py"):
        if "migrations" in path.parts or "__pycache__" in path.parts:
            continue
        yield path


@pytest.mark.parametrize("app", APPS)
def test_app_has_the_required_parts(app):
    have = parts(app_dir(app))
    required = [p for p in REQUIRED if not (p == "models" and app in NO_MODELS)]
    missing = [p for p in required if p not in have]
    assert not missing, f"{app} lacks {missing} (see docs/adding-a-model.md)"
    api = parts(app_dir(app) / "api")
    assert not [p for p in API_REQUIRED if p not in api], f"{app}/api lacks {API_REQUIRED}: has {sorted(api)}"


@pytest.mark.parametrize("app", APPS)
def test_no_module_repeats_a_standard_part_under_another_name(app):
    offenders = []
    pattern = re.compile(rf"^(?:\w+_)?({'|'.join(LAYERS)})(?:_\w+)?$")
    for path in python_modules(app_dir(app)):
        relative = path.relative_to(app_dir(app))
        if relative.parts[0] == "tests":
            continue
        for name in [*relative.parts[:-1], path.stem]:
            match = pattern.match(name)
            if match and name != match.group(1):
                offenders.append(str(relative))
                break
    assert not offenders, f"{app}: fold these into the standard part they name: {offenders}"


@pytest.mark.parametrize("app", APPS)
def test_templates_and_static_files_live_in_the_apps_own_folder(app):
    for kind in ("templates", "static"):
        folder = app_dir(app) / kind
        if not folder.exists():
            continue
        strays = [c.name for c in folder.iterdir() if c.name != app]
        assert not strays, f"{app}/{kind}/ may hold only {app}/: found {strays}"


def test_no_app_keeps_templates_or_static_files_in_the_project_wide_folders():
    templates = ROOT / "templates"
    assert not templates.exists() or not any(templates.rglob("*.html")), "templates belong to their app"
    static = ROOT / "static"
    strays = [c.name for c in static.iterdir() if c.name != "vendor"] if static.exists() else []
    assert not strays, f"static files belong to their app (tandem/static/ holds only the built vendor/): {strays}"


@pytest.mark.parametrize("app", APPS)
def test_tests_sit_in_the_folder_of_what_they_exercise(app):
    tests = app_dir(app) / "tests"
    folders = {c.name for c in tests.iterdir() if c.is_dir() and not c.name.startswith("__")}
    assert folders & TEST_FOLDERS, f"{app}/tests has none of {sorted(TEST_FOLDERS)}"
    flat = sorted(p.name for p in tests.glob("test_*.py"))
    # A flat test module is allowed only for a pure domain module of the app (tests/test_<module>.py), and
    # for the app's own message catalogue (tests/test_translations.py).
    allowed = (set(parts(app_dir(app))) - set(STANDARD)) | {"translations"}
    strays = [name for name in flat if not any(name.startswith(f"test_{module}") for module in allowed)]
    assert not strays, f"{app}: move these into tests/{{services,selectors,api,views}}/: {strays}"


INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def test_no_template_carries_inline_javascript():
    """The CSP (`script-src 'self'`) blocks inline handlers and scripts: use app.js's data attributes."""
    offenders = []
    for path in ROOT.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_HANDLER, INLINE_SCRIPT):
            for match in pattern.finditer(text):
                if 'type="application/json"' in match.group(0):
                    continue  # data islands (json_script) are not executed
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0).strip()}")
    assert not offenders, "inline JavaScript the CSP blocks:\n" + "\n".join(offenders)
