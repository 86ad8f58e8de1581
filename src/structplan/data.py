"""Where the bundled layouts and sample agencies are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def _find(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _CHECKOUT / name


def layouts_dir() -> Path:
    """The folder of bundled layouts (separate.toml, hybrid.toml, merged.toml)."""
    return _find("layouts")


def samples_dir() -> Path:
    """The folder of bundled sample agencies."""
    return _find("sample_agencies")


def layout_path(structure: str) -> Path:
    """The bundled layout file of a structure."""
    return layouts_dir() / f"{structure}.toml"


def default_sample() -> Path:
    """The sample agency the TUI opens when given no file."""
    return samples_dir() / "midsize.toml"
