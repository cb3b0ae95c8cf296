"""Shared helpers for the engine tests: outside test material lives in ../shared/data beside the project root."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


def dt(text: str) -> datetime:
    """'2024-10-08 08:00' -> datetime."""
    return datetime.fromisoformat(text)


def shared_data(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"outside test material not found at {path} (expected ../shared/data beside the project root)")
    return path
