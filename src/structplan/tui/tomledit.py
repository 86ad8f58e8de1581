"""Save edits into a TOML file a person wrote, keeping their comments and key order.

`update_document` compares the data of the agency as it was loaded (`old`) with the data
after the edits (`new`) and changes the tomlkit document only where the two differ: a
changed value is replaced in place (its comment stays), a removed record or key is deleted,
a new record is appended after the last one of its kind, a new key goes after the last key of
its table. Records are matched by id (pins by account), so the file's own order is kept.

No textual here: the editor and the tests drive it as a plain function.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Array, Comment, InlineTable, Item, Key, Table, Whitespace

_MISSING = object()

#: Renames done since the file was read: list name -> {new id: id in the file}.
Renames = Mapping[str, Mapping[str, str]]


def record_key(list_name: str) -> str:
    """The key that identifies a record of this list (pins are keyed by account)."""
    return "account" if list_name == "pins" else "id"


def update_document(
    doc: tomlkit.TOMLDocument, old: Mapping[str, Any], new: Mapping[str, Any], renames: Renames | None = None
) -> None:
    """Change `doc` (whose data is `old`) so that its data becomes `new`."""
    _sync_table(doc, old, new, renames or {})


# --------------------------------------------------------------------------- tables


def _body(container: Any) -> Container | None:
    if isinstance(container, (Table, InlineTable)):
        return container.value
    if isinstance(container, Container):
        return container
    return None


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _sync_table(container: Any, old: Mapping[str, Any], new: Mapping[str, Any], renames: Renames) -> None:
    for key in list(old):
        if key not in new and key in container:
            del container[key]
    for key, value in new.items():
        before = old.get(key, _MISSING)
        if before == value:
            continue
        if _is_records(value) or (_is_records(before) and isinstance(value, list)):
            _sync_records(container, key, before if isinstance(before, list) else [], value, renames)
        elif isinstance(value, dict) and key in container and isinstance(container[key], (Table, InlineTable)):
            _sync_table(container[key], before if isinstance(before, dict) else {}, value, renames)
        elif isinstance(value, dict) and isinstance(before, dict):
            # A table the file leaves to its defaults: write only what changed.
            _set(container, key, {k: v for k, v in value.items() if before.get(k, _MISSING) != v})
        else:
            _set(container, key, value)


def _set(container: Any, key: str, value: Any) -> None:
    """Set a key: in place when it exists, else after the table's last plain key."""
    if key in container:
        container[key] = value
        return
    body = _body(container)
    if isinstance(value, dict) or _is_records(value) or body is None or isinstance(container, InlineTable):
        if isinstance(container, Table) and isinstance(value, dict):
            container.append(key, _new_table(value, inline_records=False))
        else:
            container[key] = value
        return
    items = body.body
    last = -1
    for i, (k, item) in enumerate(items):
        if k is not None and not isinstance(item, (Table, AoT)):
            last = i
    if last + 1 < len(items):
        body._insert_at(last + 1, key, tomlkit.item(value))
    else:
        container[key] = value


# --------------------------------------------------------------------------- records


def _sync_records(
    container: Any, name: str, old: list[dict[str, Any]], new: list[dict[str, Any]], renames: Renames
) -> None:
    ident = record_key(name)
    if name not in container:
        if isinstance(container, InlineTable):
            container[name] = new
        else:
            container.append(name, _new_aot(new))
        return
    seq = container[name]
    new_ids = {r.get(ident) for r in new}
    moved = renames.get(name, {})

    def origin(record_id: str | None) -> str | None:
        was = moved.get(record_id) if record_id is not None else None
        return was if was is not None and was not in new_ids else record_id

    wanted = {origin(r.get(ident)): r for r in new}
    before = {r.get(ident): r for r in old}
    for i in reversed(range(len(seq))):
        if seq[i].get(ident) not in wanted:
            _remove_record(seq, i)
    present = set()
    for item in seq:
        item_id = item.get(ident)
        present.add(item_id)
        record = wanted[item_id]
        was = before.get(item_id, {})
        if was != record:
            _sync_table(item, was, record, renames)
    for item_id, record in wanted.items():
        if item_id not in present:
            _append_record(seq, record)


def _remove_record(seq: Any, index: int) -> None:
    if isinstance(seq, AoT) and index == len(seq) - 1 and index > 0:
        # Comments after the last record introduce what follows: keep them.
        tail = _take_trailing(_leaf(seq[index]))
        del seq[index]
        _put_trailing(_leaf(seq[index - 1]), tail)
        return
    del seq[index]


def _append_record(seq: Any, record: dict[str, Any]) -> None:
    if isinstance(seq, Array):
        seq.append(record)
        return
    table = _new_table(record, inline_records=False)
    if len(seq):
        last = _leaf(seq[-1])
        tail = _take_trailing(last)
        last_body = last.value.body
        if not (last_body and isinstance(last_body[-1][1], Whitespace) and last_body[-1][1].s.endswith("\n\n")):
            last.value.append(None, Whitespace("\n"))
        seq.append(table)
        _put_trailing(_leaf(seq[-1]), tail)
    else:
        seq.append(table)


def _leaf(table: Table) -> Table:
    """The table whose body ends where this table's text ends (its last sub-table, deepest)."""
    items = table.value.body
    keyed = [(k, v) for k, v in items if k is not None]
    if keyed and isinstance(keyed[-1][1], AoT) and len(keyed[-1][1]):
        return _leaf(keyed[-1][1][-1])
    if keyed and isinstance(keyed[-1][1], Table):
        return _leaf(keyed[-1][1])
    return table


def _take_trailing(table: Table) -> list[tuple[Key | None, Item]]:
    """Remove and return the whitespace and comments after a table's last key."""
    body = table.value.body
    tail: list[tuple[Key | None, Item]] = []
    while body and body[-1][0] is None and isinstance(body[-1][1], (Whitespace, Comment)):
        tail.insert(0, body.pop())
    return tail


def _put_trailing(table: Table, tail: list[tuple[Key | None, Item]]) -> None:
    for _, item in tail:
        table.value.append(None, item)


def _new_aot(records: list[dict[str, Any]]) -> AoT:
    aot = tomlkit.aot()
    for i, record in enumerate(records):
        table = _new_table(record, inline_records=False)
        if i < len(records) - 1:
            _leaf(table).value.append(None, Whitespace("\n"))
        aot.append(table)
    return aot


def _new_table(record: Mapping[str, Any], inline_records: bool) -> Table:
    table = tomlkit.table()
    nested: list[tuple[str, list[dict[str, Any]]]] = []
    for key, value in record.items():
        if _is_records(value) and not inline_records:
            nested.append((key, value))
        else:
            table.add(key, value)
    for key, records in nested:
        table.value.append(None, Whitespace("\n"))
        table.append(key, _new_aot(records))
    return table
