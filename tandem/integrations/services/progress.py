"""How far a running check or import has got, readable while its transaction is still open.

An import writes everything in one transaction, so a progress column on the job would stay
invisible to the page polling it until the very end. Progress therefore lives outside the
database: in the shared cache when there is one (Redis, when scaled out), else in a small
file-based cache under the data directory, which the web server and the worker of the
embedded setup share (their local-memory caches are per process).
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache

TIMEOUT = 6 * 3600


@cache
def _store():
    default = caches["default"]
    if isinstance(default, LocMemCache):
        return FileBasedCache(str(settings.DATA_DIR / "cache" / "import-progress"), {"TIMEOUT": TIMEOUT})
    return default


def _key(job_id: int) -> str:
    return f"tandem:import-progress:{job_id}"


def progress_set(job_id: int, done: int, total: int | None) -> None:
    _store().set(_key(job_id), {"done": done, "total": total}, TIMEOUT)


def progress_get(job_id: int) -> dict:
    return _store().get(_key(job_id)) or {"done": 0, "total": None}


def progress_clear(job_id: int) -> None:
    _store().delete(_key(job_id))


def job_progress(job) -> dict:
    """Done / total / percent of a running job, for the progress bar."""
    if not job.is_running:
        return {"done": 0, "total": job.total_rows, "percent": 0}
    progress = progress_get(job.pk)
    total = progress.get("total") or job.total_rows or 0
    done = progress.get("done") or 0
    return {"done": done, "total": total or None, "percent": min(100, round(100 * done / total)) if total else 0}
