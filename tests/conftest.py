"""Shared test fixtures. Keep this small: tests own their data."""

from __future__ import annotations

import signal
from collections.abc import Iterator
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


@pytest.fixture
def terminal_sigint() -> Iterator[None]:
    """Commands the test starts get Ctrl-C as a terminal gives it. A test run a shell started in
    the background has SIGINT ignored, children inherit that, and structplan then keeps ignoring
    it as it should (tests/test_cli_io.py checks that case)."""
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
