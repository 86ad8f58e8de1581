"""Renamed copies of a bundled sample, made by bench/generate.py's `replicate`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from structplan import formats
from structplan.model import Agency

ROOT = Path(__file__).resolve().parents[2]


def copies(sample: str, k: int) -> Agency:
    """`k` renamed copies of `sample_agencies/SAMPLE.toml` as one agency."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = sys.modules.get(spec.name)
    if generate is None:
        generate = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = generate  # dataclasses look their module up there
        spec.loader.exec_module(generate)
    return generate.replicate(formats.load_agency(ROOT / "sample_agencies" / f"{sample}.toml"), k)
