"""Demo data loaders: each app registers one; `tandem demo` runs them in order, idempotently.

Scale loaders write large synthetic data sets for benchmarks instead (`tandem demo --scale N`); an app
registers one with `register_scale` and answers in one summary line.
"""

from collections.abc import Callable

_LOADERS: list[tuple[int, str, Callable[[], None]]] = []
_SCALE_LOADERS: dict[str, Callable[..., str]] = {}


class ScaleRefused(Exception):
    """A scale loader will not write into this tenant (e.g. it has data already and no reset was asked for)."""


def register(order: int, name: str):
    def decorator(func):
        if name not in {n for _, n, _ in _LOADERS}:
            _LOADERS.append((order, name, func))
        return func

    return decorator


def loaders():
    return [(name, func) for _, name, func in sorted(_LOADERS, key=lambda t: (t[0], t[1]))]


def register_scale(name: str):
    """Register `loader(*, n, tenant, reset, seed, progress) -> str` (seed None = the loader's default)."""

    def decorator(func):
        _SCALE_LOADERS.setdefault(name, func)
        return func

    return decorator


def scale_loaders():
    return sorted(_SCALE_LOADERS.items())
