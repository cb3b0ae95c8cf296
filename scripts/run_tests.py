"""Check the import contracts, then run the whole suite on SQLite and, when PostgreSQL answers, again on PostgreSQL
(only the tests that use the database, without the browser tests, the scheduling engine and the URL permission
matrix, which behave the same on either; tests marked `postgres` run there only — see ONE_PASS_ONLY in conftest.py).

The contracts (`[tool.importlinter]` in pyproject.toml) run once, first: a broken one fails the run at once.

TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server;
pytest-django creates and drops its own test database there (one per worker).
TEST_WORKERS (default: the number of CPUs, at most 4) runs the suite in that many pytest-xdist
processes; 1 runs it in this process.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return True
    except Exception as exc:
        print(f"PostgreSQL not reachable at {url}: {exc}")
        return False


def import_contracts() -> int:
    """`lint-imports` from this interpreter's environment; its report is printed when a contract is broken."""
    print("=== import contracts ===", flush=True)
    lint_imports = Path(sys.executable).with_name("lint-imports")
    if not lint_imports.exists():
        print(f"{lint_imports} is missing: install the test extra (pip install -e '.[test]').")
        return 1
    result = subprocess.run(
        [str(lint_imports), "--no-logo", "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode:
        print(result.stdout + result.stderr)
        print("Import contracts broken: see above.")
    else:
        print("import contracts kept")
    return result.returncode


def run(label: str, env: dict, extra: list[str]) -> int:
    print(f"\n=== test suite on {label} ===", flush=True)
    workers = os.environ.get("TEST_WORKERS") or str(min(os.cpu_count() or 1, 4))
    # Work stealing: a worker that runs out of tests takes some from the other, so a few long browser tests
    # do not leave one worker idle at the end.
    parallel = (
        ["-n", workers, "--dist", "worksteal"] if workers != "1" and not any(a.startswith("-n") for a in extra) else []
    )
    cmd = [sys.executable, "-m", "pytest", "-q", "-ra", *parallel, *extra]
    return subprocess.call(cmd, cwd=ROOT, env=env)


def main() -> int:
    extra = sys.argv[1:]
    if import_contracts():
        return 1
    base = os.environ.copy()
    base.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings_test")
    base["TANDEM_DATA_DIR"] = str(ROOT / "var" / "test")
    base.pop("DATABASE_URL", None)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    print(f"browser tests: {'run with ' + chromium if chromium else 'SKIPPED (no chromium on PATH)'}")
    code = run("SQLite", base, extra)
    pg_url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG)
    if postgres_reachable(pg_url):
        # A database name of our own, so parallel runs on one server do not share `test_postgres`.
        scoped = pg_url.rsplit("/", 1)[0] + f"/tandem_{os.getpid()}"
        # The second pass leaves out what does not depend on the database (see ONE_PASS_ONLY in conftest.py).
        env = {**base, "DATABASE_URL": scoped, "TANDEM_SECOND_PASS": "1"}
        code = run("PostgreSQL", env, extra) or code
    elif os.environ.get("TANDEM_NO_SKIP"):
        print("PostgreSQL is required in CI but not reachable.")
        code = code or 1
    else:
        print("PostgreSQL pass SKIPPED.")
    return code


if __name__ == "__main__":
    sys.exit(main())
