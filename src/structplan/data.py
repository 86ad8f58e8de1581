"""Where the bundled layouts and sample agencies are, installed or in a checkout."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _find(name: str) -> Path:
    """The package's `_data/NAME` as a wheel installs it, else `NAME` at the root of the
    checkout the package runs from (an editable install). structplan runs from a folder, never
    from a zip, so the resource is a real path."""
    package = files("structplan")
    installed = package.joinpath("_data", name)
    if installed.is_dir():
        return Path(str(installed))
    return Path(str(package)).resolve().parent.parent / name


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
