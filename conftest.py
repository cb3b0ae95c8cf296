"""Suite-wide fixtures and the CI rule that nothing may be skipped."""

import os

import pytest


@pytest.fixture
def tenant(db):
    from tandem.testing.kit import make_tenant

    return make_tenant()


@pytest.fixture
def other_tenant(db):
    from tandem.testing.kit import make_tenant

    return make_tenant()


@pytest.fixture
def admin_member(tenant):
    from tandem.testing.kit import make_member

    return make_member(tenant, "admin")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Suites that behave the same on either database run in one pass only (scripts/run_tests.py sets this for the
# PostgreSQL pass): the scheduling engine never touches the database, the browser tests drive the embedded
# default, and the URL permission matrix (over a thousand parametrised requests) checks routing and permission
# codes, while each app's own selector and API tests check its scoping on both databases. Tests marked
# `postgres` still run there, and so does every other test that uses the database; a test that uses no database
# at all runs once.
ONE_PASS_ONLY = ("e2e/", "tandem/scheduling/", "tandem/core/tests/test_url_permissions.py")
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


def _uses_database(item) -> bool:
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))) or item.get_closest_marker("django_db")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TANDEM_SECOND_PASS"):
        keep, dropped = [], []
        for item in items:
            path = item.nodeid.split("::", 1)[0]
            once = "postgres" not in item.keywords and (path.startswith(ONE_PASS_ONLY) or not _uses_database(item))
            (dropped if once else keep).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = keep
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL pass)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip_pg)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # In CI a skipped browser test is a failure: the browser must be there.
    # An expected failure (xfail) is reported as skipped too; it is a documented difference, not a skip.
    expected_failure = hasattr(report, "wasxfail")
    if os.environ.get("TANDEM_NO_SKIP") and report.skipped and not expected_failure and "postgres" not in item.keywords:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which is not allowed: {report.longrepr}"
