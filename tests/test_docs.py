"""docs/formats.md stays true: its worked examples load, show every key, and match the real files.

A TOML block of the document preceded by `<!-- full example: KIND -->` is a whole file of that
kind; one preceded by `<!-- excerpt: KIND -->` is a part of one (some records of a plan).
"""

from __future__ import annotations

import re
import tomllib
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest

from structplan import formats, model
from structplan.cli import main
from structplan.model import Agency, Layout, Plan

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "formats.md"

_BLOCK = re.compile(r"(?:<!-- (full example|excerpt): (\w+) -->\n)?```toml\n(.*?)^```", re.S | re.M)
_HEADER = {"layout": "layout", "plan": "plan"}
CLASSES: dict[str, type] = {"agency": Agency, "layout": Layout, "plan": Plan}


def blocks() -> list[tuple[str | None, str | None, str]]:
    """(marker, kind, text) of every TOML block of the document."""
    return [(m.group(1), m.group(2), m.group(3)) for m in _BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def example(kind: str) -> str:
    found = [text for marker, k, text in blocks() if marker == "full example" and k == kind]
    assert len(found) == 1, f"docs/formats.md should hold exactly one full {kind} example, has {len(found)}"
    return found[0]


def load_example(kind: str) -> Any:
    name = f"docs/formats.md ({kind} example)"
    data = formats.parse_toml(example(kind).encode("utf-8"), name)
    assert formats.detect_kind(data) == kind
    return formats.from_data(data, kind, name)


def flat(data: dict[str, Any], kind: str) -> dict[str, Any]:
    """The document's data with the [layout] / [plan] header keys at the top, as the model has them."""
    table = _HEADER.get(kind)
    if table is None or table not in data:
        return data
    return {**{k: v for k, v in data.items() if k != table}, **data[table]}


def _record_class(hint: Any) -> type | None:
    """The attrs class a field holds, alone or as a list of records."""
    if attrs.has(hint):
        return hint
    args = [a for a in typing.get_args(hint) if a is not type(None) and a is not ...]
    if len(args) == 1 and attrs.has(args[0]):
        return args[0]
    return None


def missing_keys(cl: type, records: list[dict[str, Any]], path: str = "") -> list[str]:
    """Fields of `cl` (and of the records it holds) that none of `records` writes out."""
    hints = typing.get_type_hints(cl, vars(model))
    out = []
    for field in attrs.fields(cl):
        values = [r[field.name] for r in records if field.name in r]
        where = f"{path}{field.name}"
        if not values:
            out.append(where)
            continue
        inner = _record_class(hints[field.name])
        if inner is not None:
            subs = [x for v in values for x in (v if isinstance(v, list) else [v]) if isinstance(x, dict)]
            out += missing_keys(inner, subs, f"{where}.")
    return out


def test_every_toml_block_parses() -> None:
    found = blocks()
    assert len(found) >= 5
    for marker, kind, text in found:
        tomllib.loads(text)  # a syntax error fails here with its line
        if marker is not None:
            assert kind in CLASSES, f"unknown kind {kind!r} in a docs/formats.md marker"


@pytest.mark.parametrize("kind", ["agency", "layout", "plan"])
def test_full_examples_load_as_their_kind(kind: str) -> None:
    obj = load_example(kind)
    assert isinstance(obj, CLASSES[kind])


@pytest.mark.parametrize("kind", ["agency", "layout"])
def test_full_examples_show_every_key(kind: str) -> None:
    data = flat(tomllib.loads(example(kind)), kind)
    assert missing_keys(CLASSES[kind], [data]) == []


def test_plan_example_and_excerpts_show_every_key_together() -> None:
    records = [flat(tomllib.loads(example("plan")), "plan")]
    records += [tomllib.loads(text) for marker, kind, text in blocks() if marker == "excerpt" and kind == "plan"]
    assert missing_keys(Plan, records) == []


def test_plan_excerpts_have_the_plan_file_shape() -> None:
    excerpts = [text for marker, kind, text in blocks() if marker == "excerpt" and kind == "plan"]
    assert excerpts
    for text in excerpts:
        data = {"agency": "x", "structure": "hybrid", "layout": "hybrid", **tomllib.loads(text)}
        formats.structure(data, Plan, "docs/formats.md (plan excerpt)")  # unknown keys, wrong types


def test_layout_example_is_the_bundled_hybrid_layout() -> None:
    assert load_example("layout") == formats.load_layout(ROOT / "layouts" / "hybrid.toml")


def test_plan_example_is_what_solve_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The plan example is an abridged `structplan solve sample_agencies/boutique.toml -o b.plan.toml`."""
    out = tmp_path / "b.plan.toml"
    assert main(["solve", str(ROOT / "sample_agencies" / "boutique.toml"), "-o", str(out)]) == 0
    capsys.readouterr()
    solved = formats.load_plan(out)
    shown = load_example("plan")
    stale = "docs/formats.md's plan example is out of date: solve the boutique again and copy the records shown"
    same = (
        "agency",
        "structure",
        "layout",
        "currency",
        "reason",
        "solver",
        "cost",
        "headcount",
        "comparison",
        "mentoring",
        "hires",
        "warnings",
    )
    for name in same:
        assert getattr(shown, name) == getattr(solved, name), f"{stale} ({name})"
    assert shown.accounts and shown.people
    for ap in shown.accounts:
        assert ap == solved.account(ap.id), f"{stale} (account {ap.id})"
    for pp in shown.people:
        assert pp == solved.person(pp.id), f"{stale} (person {pp.id})"
