"""Demo data loaders: each app registers one; `tandem demo` runs them in order, idempotently."""

from collections.abc import Callable

_LOADERS: list[tuple[int, str, Callable[[], None]]] = []


def register(order: int, name: str):
    def decorator(func):
        if name not in {n for _, n, _ in _LOADERS}:
            _LOADERS.append((order, name, func))
        return func

    return decorator


def loaders():
    return [(name, func) for _, name, func in sorted(_LOADERS, key=lambda t: (t[0], t[1]))]
