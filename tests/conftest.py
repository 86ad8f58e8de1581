"""Shared test fixtures. Keep this small: tests own their data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
"""The checkout: layouts/, sample_agencies/, tests/."""


@pytest.fixture
def repo_root() -> Path:
    """The root of the checkout."""
    return ROOT


@pytest.fixture
def bad_files_dir() -> Path:
    """The corpus of files `structplan validate` must reject (see bad_files/expected.toml)."""
    return ROOT / "tests" / "bad_files"
