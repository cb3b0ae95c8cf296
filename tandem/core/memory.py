"""Reading many rows at once without the cyclic garbage collector's pauses."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """The cyclic garbage collector off for a while: a read that builds tens of thousands of model instances,
    tuples and dicts at once (and no cycles among them) would otherwise start a pass over every object of the
    process every few hundred allocations; those passes are the slow requests of such pages."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
