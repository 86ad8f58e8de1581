"""Writing TOML with a fixed, diff-friendly layout.

tomli-w formats every value; this module only decides the shape of the file, which tomli-w
chooses by line length (a list of records flips between inline and ``[[...]]`` as a field
grows). Here the shape is fixed: a table of the document is ``[name]``; a list of records is
``[[name]]`` blocks; inside a record, a table is an inline table and a list of records is
either nested ``[[name.sub]]`` blocks or, for keys named in ``rows``, one inline table per line.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import tomli_w

_SAFE = frozenset(chr(c) for c in range(0x20, 0x7F)) - frozenset('"\\')


def value(obj: Any) -> str:
    """One TOML value on one line."""
    if isinstance(obj, bool):
        return "true" if obj else "false"
    if isinstance(obj, (int, float)):
        return repr(obj)
    if isinstance(obj, str):
        if _SAFE.issuperset(obj):
            return f'"{obj}"'
        return tomli_w.dumps({"v": obj})[4:-1]
    if isinstance(obj, Mapping):
        if not obj:
            return "{}"
        return "{ " + ", ".join(f"{key(k)} = {value(v)}" for k, v in obj.items()) + " }"
    if isinstance(obj, Sequence):
        return "[" + ", ".join(value(v) for v in obj) + "]"
    raise TypeError(f"cannot write {type(obj).__name__} as TOML")


@functools.cache
def key(name: str) -> str:
    """A key, bare when it can be (a plan has few distinct keys and writes them millions of
    times: cached, the text of an 8 MB plan takes 0.9 s instead of 2.2)."""
    return tomli_w.dumps({name: 0})[:-5]


def _is_records(obj: Any) -> bool:
    return isinstance(obj, (list, tuple)) and bool(obj) and all(isinstance(v, Mapping) for v in obj)


def _body(record: Mapping[str, Any], name: str, rows: frozenset[str], out: list[str]) -> None:
    nested: list[tuple[str, Sequence[Mapping[str, Any]]]] = []
    for k, v in record.items():
        if _is_records(v) and k not in rows:
            nested.append((k, v))
        elif _is_records(v):
            out.append(f"{key(k)} = [\n" + "".join(f"    {value(r)},\n" for r in v) + "]\n")
        else:
            out.append(f"{key(k)} = {value(v)}\n")
    for k, records in nested:
        for r in records:
            out.append(f"\n[[{name}.{key(k)}]]\n")
            _body(r, f"{name}.{key(k)}", rows, out)


def dumps(doc: Mapping[str, Any], rows: frozenset[str] = frozenset()) -> str:
    """The document as TOML text: same input, same bytes."""
    out: list[str] = []
    plain = {k: v for k, v in doc.items() if not isinstance(v, Mapping) and not _is_records(v)}
    for k, v in plain.items():
        out.append(f"{key(k)} = {value(v)}\n")
    for k, v in doc.items():
        if k in plain:
            continue
        if isinstance(v, Mapping):
            _table(v, key(k), rows, out)
        else:
            for record in v:
                if out:
                    out.append("\n")
                out.append(f"[[{key(k)}]]\n")
                _body(record, key(k), rows, out)
    return "".join(out)


def _table(table: Mapping[str, Any], name: str, rows: frozenset[str], out: list[str]) -> None:
    if out:
        out.append("\n")
    out.append(f"[{name}]\n")
    subtables = []
    for k, v in table.items():
        if isinstance(v, Mapping) or _is_records(v):
            subtables.append((k, v))
        else:
            out.append(f"{key(k)} = {value(v)}\n")
    for k, v in subtables:
        if isinstance(v, Mapping):
            _table(v, f"{name}.{key(k)}", rows, out)
        else:
            for record in v:
                out.append(f"\n[[{name}.{key(k)}]]\n")
                _body(record, f"{name}.{key(k)}", rows, out)
