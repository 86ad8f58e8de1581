"""TOML files <-> domain objects, with errors that name the file and the place.

Every command loads files through `load` (or `load_agency`, `load_layout`, `load_plan`), so every
command rejects bad input the same way: a `LoadError` holding one `Problem` per mistake
(`problems.py`). Reading, kinds, writing and saving are here; the cattrs converter between
parsed TOML and the domain classes, and its key-path errors, are `convert.py`.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from structplan import tomlout
from structplan.convert import CONVERTER, structure
from structplan.model import FILE_KINDS, STRUCTURES, Agency, FileKind, Layout, Plan
from structplan.problems import LoadError, Problem

Kind = FileKind
KINDS = FILE_KINDS
T = TypeVar("T")


#: The largest file structplan reads (256 MiB); a bigger one is refused before it is read.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: Arrays and inline tables may nest this deep; no structplan file needs more than a few levels.
MAX_DEPTH = 100

_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES, or a LoadError saying why not.

    Devices, pipes and sockets are refused before anything is read, so a path that never ends
    (/dev/zero, a FIFO nobody writes to) cannot hang a command or fill its memory.
    """
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO that has no writer returns at once instead of waiting
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise LoadError([Problem(name, "", "no such file")]) from None
    except IsADirectoryError:
        raise LoadError([Problem(name, "", "is a directory, not a file")]) from None
    except PermissionError:
        raise LoadError([Problem(name, "", "permission denied")]) from None
    except OSError as exc:
        raise LoadError([Problem(name, "", exc.strerror or str(exc))]) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise LoadError([Problem(name, "", "is a directory, not a file")])
        if not stat.S_ISREG(info.st_mode):
            what = next((label for test, label in _SPECIAL if test(info.st_mode)), "not a regular file")
            raise LoadError([Problem(name, "", f"is {what}, not a regular file; structplan reads files only")])
        if info.st_size > MAX_FILE_BYTES:
            raise LoadError([Problem(name, "", _too_big(info.st_size))])
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:  # the file may grow while it is read: never past the cap
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise LoadError([Problem(name, "", _too_big(size))])
        return b"".join(chunks)
    except OSError as exc:
        raise LoadError([Problem(name, "", exc.strerror or str(exc))]) from None
    finally:
        os.close(fd)


def _too_big(size: int) -> str:
    return f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, the most structplan reads ({size:,} bytes or more)"


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of a UTF-8 file (read as `read_bytes` does), or a LoadError saying why not."""
    return decode_text(read_bytes(path), str(path))


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Parse a TOML file, turning every way it can fail into a LoadError."""
    return parse_toml(read_bytes(path), str(path))


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")
_KEY_TUPLE = re.compile(r"\(((?:'[^'\\]*'(?:, )?)+),?\)")


def _dotted(match: re.Match[str]) -> str:
    """tomllib names keys as Python tuples, ('policy', 'pins'); users write policy.pins."""
    return "'" + ".".join(re.findall(r"'([^'\\]*)'", match.group(1))) + "'"


def decode_text(raw: bytes, name: str) -> str:
    """The text of a file's bytes: UTF-8 (a byte-order mark is dropped), or a LoadError."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        raise LoadError([Problem(name, "", "is UTF-16 text; structplan reads UTF-8: save the file as UTF-8")])
    if b"\x00" in raw:
        raise LoadError([Problem(name, "", "is a binary file, not TOML text")])
    if raw.startswith(b"\xef\xbb\xbf"):  # a byte-order mark (Notepad) is not content
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[: exc.start].count(b"\n") + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise LoadError(
            [Problem(name, f"line {line}, column {column}", "is not UTF-8 text (save the file as UTF-8)")]
        ) from None


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: text whose every other byte is mostly zero."""
    head = raw[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return len(head) >= 4 and min(even, odd) == 0 and max(even, odd) * 2 >= len(head) // 2


def parse_toml(raw: bytes, name: str) -> dict[str, Any]:
    """Parse TOML bytes from a file called `name`."""
    text = decode_text(raw, name)
    if not text.strip():
        raise LoadError([Problem(name, "", "is empty")])
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise LoadError([_too_deep(text, name)]) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _AT.search(msg)
        if m:
            where = f"line {m.group(1)}, column {m.group(2)}"
            msg = msg[: m.start()]
        elif _AT_END.search(msg):
            lines = text.splitlines() or [""]
            where = f"line {len(lines)}, column {len(lines[-1]) + 1}"
            msg = _AT_END.sub("", msg)
        else:
            where = ""
        msg = _KEY_TUPLE.sub(_dotted, msg)
        raise LoadError([Problem(name, where, f"TOML syntax: {msg[:1].lower()}{msg[1:]}")]) from None
    if _depth(data) > MAX_DEPTH:
        raise LoadError([_too_deep(text, name)])
    return data


def _depth(data: Any) -> int:
    """How deep tables and lists nest in parsed TOML (without recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return deepest


#: Strings and comments, whose brackets do not nest, and the brackets that do.
_NESTING = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]',
    re.DOTALL,
)


def _too_deep(text: str, name: str) -> Problem:
    """The problem of a file nested deeper than MAX_DEPTH, at the bracket that goes too deep."""
    message = f"arrays or tables nest more than {MAX_DEPTH} levels deep"
    depth = 0
    for m in _NESTING.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
                return Problem(name, f"line {line}, column {column}", message)
        elif token in "]}":
            depth = max(depth - 1, 0)
    return Problem(name, "", message)


#: Header keys that a file keeps in a [layout] or [plan] table and the domain keeps flat.
_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "layout": ("layout", ("id", "name", "structure", "description", "modes")),
    "plan": ("plan", ("agency", "structure", "layout", "currency", "reason")),
}


def detect_kind(data: dict[str, Any]) -> Kind | None:
    """Which kind of file this is, from its content."""
    if isinstance(data.get("plan"), dict):
        return "plan"
    if isinstance(data.get("layout"), dict) or "roles" in data or "duties" in data:
        return "layout"
    if any(k in data for k in ("agency", "people", "accounts", "hiring")):
        return "agency"
    return None


def _flatten(data: dict[str, Any], kind: str, name: str) -> dict[str, Any]:
    if kind not in _HEADERS:
        return data
    table, keys = _HEADERS[kind]
    header = data.get(table)
    if not isinstance(header, dict):
        raise LoadError([Problem(name, table, f"is required: a [{table}] table with {', '.join(keys[:3])}")])
    extra = [k for k in header if k not in keys]
    if extra:
        problems = []
        for k in extra:
            close = difflib.get_close_matches(k, keys, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (expected one of: {', '.join(keys)})"
            problems.append(Problem(name, f"{table}.{k}", f"unknown key {k!r}{hint}"))
        raise LoadError(problems)
    clash = [k for k in header if k in data and k != table]
    if clash:
        raise LoadError([Problem(name, clash[0], f"{clash[0]!r} belongs in the [{table}] table")])
    flat = {k: v for k, v in data.items() if k != table}
    flat.update(header)
    return flat


def _prefix_header(problems: list[Problem], kind: str) -> list[Problem]:
    if kind not in _HEADERS:
        return problems
    table, keys = _HEADERS[kind]
    out = []
    for p in problems:
        head = re.split(r"[.\[]", p.where, maxsplit=1)[0]
        out.append(attrs.evolve(p, where=f"{table}.{p.where}") if head in keys else p)
    return out


_CLASSES: dict[Kind, type[Agency | Layout | Plan]] = {"agency": Agency, "layout": Layout, "plan": Plan}

#: The records of each array of a file, and the keys that tell one from another.
_RECORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "accounts": ("account", ("id", "name")),
    "projects": ("project", ("id", "name")),
    "people": ("person", ("id", "name")),
    "hiring": ("hiring option", ("id", "name")),
    "pins": ("pin of account", ("account",)),
    "roles": ("role", ("id", "name")),
    "duties": ("duty", ("id",)),
    "hires": ("hire", ("id", "name")),
    "coverage": ("coverage of project", ("project",)),
    "raci": ("duty", ("duty",)),
    "mentoring": ("mentoring of", ("mentee",)),
    "comparison": ("structure", ("structure",)),
    "surplus": ("surplus", ("person",)),
    "staffing": ("staffing of", ("role",)),
}
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_KEY_PATH = re.compile(r"[A-Za-z_][\w-]*(?:\[\d+\])*(?:\.[A-Za-z_][\w-]*(?:\[\d+\])*)*")


def records_on(where: str, data: Any) -> str:
    """The records a key path of a file goes through, by what tells each apart (its id):
    `accounts[40].projects[1].complexity` -> "account 'acme', project 'site'"; "" when the path
    names no record or the file's data does not reach it."""
    if not _KEY_PATH.fullmatch(where):
        return ""
    found = []
    node, key = data, ""
    for m in _STEP.finditer(where):
        if m.group(1) is not None:
            key = m.group(1)
            node = node.get(key) if isinstance(node, dict) else None
            continue
        i = int(m.group(2))
        node = node[i] if isinstance(node, list) and i < len(node) else None
        if isinstance(node, dict) and key in _RECORDS:
            word, keys = _RECORDS[key]
            ident = next((node[k] for k in keys if isinstance(node.get(k), str) and node[k]), None)
            if ident is not None:
                found.append(f"{word} {(ident if len(ident) <= 40 else ident[:39] + '…')!r}")
        if node is None:
            break
    return ", ".join(found)


def named(problems: list[Problem], data: Any) -> list[Problem]:
    """Problems whose key paths go through records of the file, with those records named: the
    one place an error's place gets its records."""
    return [attrs.evolve(p, records=p.records or records_on(p.where, data)) for p in problems]


def from_data(data: dict[str, Any], kind: Kind, name: str, warnings: list[Problem] | None = None) -> Any:
    """Structure and validate parsed TOML of a known kind.

    `warnings`, when given, receives what is valid but likely a mistake (a service line nobody
    offers), with the place in the file.
    """
    from structplan import validation

    try:
        obj = structure(_flatten(data, kind, name), _CLASSES[kind], name)
    except LoadError as exc:
        raise LoadError(named(_prefix_header(exc.problems, kind), data)) from None
    problems = validation.problems(obj)
    if problems:
        raise LoadError(named(_prefix_header([Problem(name, w, m) for w, m in problems], kind), data))
    if warnings is not None:
        warnings.extend(named([Problem(name, w, f"warning: {m}") for w, m in validation.warnings(obj)], data))
    return canonical(obj)


def plan_as_written(data: dict[str, Any], name: str) -> Plan:
    """Parsed TOML of a plan as a Plan: its shape checked, not its content; records in file order.

    `structplan check` reports a plan's content problems itself, as broken rules."""
    try:
        return structure(_flatten(data, "plan", name), Plan, name)
    except LoadError as exc:
        raise LoadError(named(_prefix_header(exc.problems, "plan"), data)) from None


def load(
    path: str | os.PathLike[str], kind: Kind | None = None, warnings: list[Problem] | None = None
) -> tuple[Kind, Any]:
    """Load any structplan file; the kind comes from `kind` or from the content (see `from_data`
    for `warnings`)."""
    name = str(path)
    data = read_toml(path)
    found = kind or detect_kind(data)
    if found is None:
        raise LoadError(
            [
                Problem(
                    name,
                    "",
                    "cannot tell what this file is: expected [agency] with people and "
                    "accounts, a [layout] with roles, or a [plan]; pass --kind",
                )
            ]
        )
    return found, from_data(data, found, name, warnings)


def load_agency(path: str | os.PathLike[str], warnings: list[Problem] | None = None) -> Agency:
    """Load and validate an agency file."""
    return load(path, "agency", warnings)[1]


def load_layout(path: str | os.PathLike[str]) -> Layout:
    """Load and validate a layout file."""
    return load(path, "layout")[1]


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """Load and validate a plan file."""
    return load(path, "plan")[1]


# --------------------------------------------------------------------------- canonical order


def canonical(obj: T) -> T:
    """The same object with every list of records in its stable order."""
    if isinstance(obj, Agency):
        return attrs.evolve(
            obj,
            people=tuple(sorted(obj.people, key=_by_id)),
            accounts=tuple(
                sorted(
                    (attrs.evolve(a, projects=tuple(sorted(a.projects, key=_by_id))) for a in obj.accounts),
                    key=_by_id,
                )
            ),
            hiring=tuple(sorted(obj.hiring, key=_by_id)),
            policy=attrs.evolve(obj.policy, pins=tuple(sorted(obj.policy.pins, key=lambda p: p.account))),
        )
    if isinstance(obj, Plan):
        order: dict[str, int] = {s: i for i, s in enumerate(STRUCTURES)}
        return attrs.evolve(
            obj,
            accounts=tuple(
                sorted(
                    (
                        attrs.evolve(a, coverage=tuple(sorted(a.coverage, key=lambda c: (c.project, c.person))))
                        for a in obj.accounts
                    ),
                    key=_by_id,
                )
            ),
            people=tuple(sorted(obj.people, key=_by_id)),
            mentoring=tuple(sorted(obj.mentoring, key=lambda m: (m.mentor, m.mentee))),
            hires=tuple(sorted(obj.hires, key=_by_id)),
            warnings=tuple(sorted(obj.warnings, key=lambda w: (w.kind, w.account, w.person, w.message))),
            comparison=tuple(sorted(obj.comparison, key=lambda c: (order.get(c.structure, 9), c.structure))),
            headcount=tuple(sorted(obj.headcount)),
            cost=attrs.evolve(
                obj.cost, penalties=tuple(sorted(obj.cost.penalties)), tradeoffs=tuple(sorted(obj.cost.tradeoffs))
            ),
            surplus=tuple(sorted(obj.surplus, key=lambda s: s.person)),
            staffing=tuple(sorted(obj.staffing, key=lambda s: s.role)),
            run=tuple(sorted(obj.run)),
        )
    return obj


def _by_id(record: Any) -> str:
    return record.id


# --------------------------------------------------------------------------- writing


def _prune(obj: Any) -> Any:
    """Drop None and empty lists so files hold only what is said."""
    if isinstance(obj, dict):
        return {k: _prune(v) for k, v in obj.items() if v is not None and v != [] and v != ()}
    if isinstance(obj, (list, tuple)):
        return [_prune(v) for v in obj]
    return obj


def to_data(obj: Agency | Layout | Plan) -> dict[str, Any]:
    """The TOML table of a domain object (canonical order, no None)."""
    obj = canonical(obj)
    data = _prune(CONVERTER.unstructure(obj))
    kind = kind_of(obj)
    if kind in _HEADERS:
        table, keys = _HEADERS[kind]
        header = {k: data.pop(k) for k in keys if k in data}
        data = {table: header, **data}
    if isinstance(obj, Plan):
        run = data.pop("run", {})
        data["run"] = run
    return data


def kind_of(obj: Any) -> Kind:
    """The kind of file a domain object is written to."""
    for kind, cl in _CLASSES.items():
        if isinstance(obj, cl):
            return kind
    raise TypeError(f"not a structplan document: {type(obj).__name__}")


#: Record lists written one inline table per line.
_ROWS = frozenset({"coverage", "raci"})


def dumps(obj: Agency | Layout | Plan) -> str:
    """The file text of a domain object: the same object always gives the same bytes."""
    return tomlout.dumps(to_data(obj), rows=_ROWS)


def output_problem(path: str | os.PathLike[str], inputs: Sequence[str | os.PathLike[str]] = ()) -> str | None:
    """Why a file cannot be written at `path` (one line naming it), or None when it can.

    Checked before work that ends in the write, so a bad path costs nothing. A symlink is
    written through: the file it points to gets the new content and the link stays. `inputs`
    are the files the work reads; writing over one of them is refused.
    """
    name = str(path)
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return f"{name}: {exc.strerror or exc}"
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            return f"{name}: is a directory; name a file to write"
        if not stat.S_ISREG(info.st_mode):
            what = next((label for test, label in _SPECIAL if test(info.st_mode)), "not a regular file")
            return f"{name}: is {what}; structplan writes regular files only"
        for other in inputs:
            try:
                same = os.path.samefile(target, other)
            except OSError:
                same = False
            if same:
                return f"{name}: is the input file {other}; writing there would replace it (name another file)"
    folder = target.parent
    if not folder.is_dir():
        return f"{name}: no such folder {folder}" if not folder.exists() else f"{name}: {folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{name}: cannot create files in {folder} (permission denied)"
    return None


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Replace a file's content all at once: readers see the old file or the new, never half.

    Through a symlink, the file it points to is replaced and the link stays. The temporary file
    next to it is removed on any error, Ctrl-C or SIGTERM that reaches Python (SIGKILL cannot
    be caught: it may leave `.NAME.XXXX.tmp` behind).
    """
    target = Path(os.path.realpath(path))
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:  # a new file gets the usual permissions, not mkstemp's owner-only ones
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(obj: Agency | Layout | Plan, path: str | os.PathLike[str]) -> None:
    """Write a domain object to a file atomically."""
    write_text_atomic(path, dumps(obj))
