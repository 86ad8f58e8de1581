"""Parsed TOML <-> domain objects through one cattrs converter, strict about types, with every
mistake reported as its key path (accounts[3].projects[0].complexity) and a message a person
can act on."""

from __future__ import annotations

import datetime
import difflib
import math
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from structplan.problems import LoadError, Problem

T = TypeVar("T")

#: TOML's integers are 64-bit; a longer one in a file is an error, not a big number.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


def _strict(kind: type, accept: tuple[type, ...], label: str) -> Callable[[Any, type], Any]:
    def hook(obj: Any, _: type) -> Any:
        if isinstance(obj, bool) and kind is not bool:
            raise TypeError(f"expected {label}, got a boolean ({str(obj).lower()})")
        if not isinstance(obj, accept):
            raise TypeError(f"expected {label}, got {_describe(obj)}")
        _check_number(obj)
        return kind(obj)

    return hook


def _check_number(obj: Any) -> None:
    """Numbers a file may hold: finite decimals, whole numbers in TOML's 64-bit range."""
    if isinstance(obj, float) and not math.isfinite(obj):
        raise ValueError(f"expected a finite number, got {obj}")
    if isinstance(obj, int) and not isinstance(obj, bool) and not INT_MIN <= obj <= INT_MAX:
        raise ValueError(f"{obj} is outside the 64-bit range of TOML integers (-2**63..2**63-1)")


def _describe(obj: Any) -> str:
    if isinstance(obj, str):
        return f"text {obj!r}"
    if isinstance(obj, dict):
        return "a table"
    if isinstance(obj, list):
        return "a list"
    if isinstance(obj, bool):
        return f"a boolean ({str(obj).lower()})"
    if isinstance(obj, float):
        return f"a decimal number ({obj})"
    if isinstance(obj, int):
        return f"a whole number ({obj})"
    if isinstance(obj, (datetime.date, datetime.time)):
        return f"a date or time ({obj.isoformat()})"
    return type(obj).__name__


class _KeyTypeError(TypeError):
    """A wrong value under one key of a table of numbers (headcount, penalties, run)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


def _pairs_hook(obj: Any, cl: Any) -> tuple[tuple[str, Any], ...]:
    if not isinstance(obj, dict):
        raise TypeError(f"expected a table, got {_describe(obj)}")
    whole = cl.__args__[0].__args__[1] is int
    accept = (int,) if whole else (int, float)
    label = "a whole number" if whole else "a number"
    out = []
    for k, v in obj.items():
        if isinstance(v, bool) or not isinstance(v, accept):
            raise _KeyTypeError(k, f"expected {label}, got {_describe(v)}")
        try:
            _check_number(v)
        except ValueError as exc:
            raise _KeyTypeError(k, str(exc)) from None
        out.append((k, v if whole else float(v)))
    return tuple(sorted(out))


def make_converter() -> cattrs.Converter:
    """The converter between TOML data and domain classes."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _strict(str, (str,), "text"))
    conv.register_structure_hook(int, _strict(int, (int,), "a whole number"))
    conv.register_structure_hook(float, _strict(float, (int, float), "a number"))
    conv.register_structure_hook(bool, _strict(bool, (bool,), "true or false"))

    def seq_hook(obj: Any, cl: Any) -> Any:
        if not isinstance(obj, list):
            raise TypeError(f"expected a list, got {_describe(obj)}")
        return _structure_seq(conv, obj, cl)

    def fixed_hook(obj: Any, cl: Any) -> Any:
        if not isinstance(obj, list):
            raise TypeError(f"expected a list, got {_describe(obj)}")
        if len(obj) != len(cl.__args__):
            raise ValueError(f"has {len(obj)} values; expected {len(cl.__args__)}")
        return tuple(conv.structure(v, t) for v, t in zip(obj, cl.__args__, strict=True))

    def record_factory(cl: Any) -> Callable[[Any, type], Any]:
        inner = conv.gen_structure_attrs_fromdict(cl)

        def hook(obj: Any, _: type) -> Any:
            if not isinstance(obj, dict):
                raise TypeError(f"expected a table, got {_describe(obj)}")
            return inner(obj, cl)

        return hook

    conv.register_structure_hook_factory(attrs.has, record_factory)
    conv.register_structure_hook_func(_is_homogeneous_tuple, seq_hook)
    conv.register_structure_hook_func(_is_fixed_tuple, fixed_hook)
    conv.register_structure_hook_func(_is_pairs, _pairs_hook)
    conv.register_unstructure_hook_func(_is_pairs, dict)
    return conv


def _is_pairs(cl: Any) -> bool:
    return cl in (tuple[tuple[str, int], ...], tuple[tuple[str, float], ...])


def _is_fixed_tuple(cl: Any) -> bool:
    args = getattr(cl, "__args__", ())
    return getattr(cl, "__origin__", None) is tuple and bool(args) and ... not in args


def _is_homogeneous_tuple(cl: Any) -> bool:
    origin = getattr(cl, "__origin__", None)
    args: tuple[Any, ...] = getattr(cl, "__args__", ())
    return origin is tuple and (len(args) == 2 and args[1] is ...)


def _structure_seq(conv: cattrs.Converter, obj: list[Any], cl: Any) -> tuple[Any, ...]:
    item_type = cl.__args__[0]
    hook = conv.get_structure_hook(item_type)
    out = []
    errors: list[Exception] = []
    for i, item in enumerate(obj):
        try:
            out.append(hook(item, item_type))
        except Exception as exc:  # collected and re-raised with indexes
            exc.__notes__ = [
                *getattr(exc, "__notes__", []),
                IterableValidationNote(f"Structuring {cl} @ index {i}", i, item_type),
            ]
            errors.append(exc)
    if errors:
        raise IterableValidationError(f"While structuring {cl!r}", errors, cl)
    return tuple(out)


CONVERTER = make_converter()


def _field_names(cl: type | None) -> list[str]:
    if cl is None or not attrs.has(cl):
        return []
    return [f.name for f in attrs.fields(cl)]


def _error_lines(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """(key path, message) for every leaf error in a cattrs error tree."""
    out: list[tuple[str, str]] = []
    if isinstance(exc, ForbiddenExtraKeysError):
        known = _field_names(exc.cl)
        for extra in sorted(exc.extra_fields):
            msg = f"unknown key {extra!r}"
            close = difflib.get_close_matches(extra, known, n=1)
            if close:
                msg += f" (did you mean {close[0]!r}?)"
            elif known:
                msg += f" (expected one of: {', '.join(known)})"
            out.append((_join(path, extra), msg))
        return out
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            out.extend(_error_lines(sub, _join(path, note.name)))
        for sub in without:
            out.extend(_error_lines(sub, path))
        return out
    if isinstance(exc, IterableValidationError):
        with_index, without_index = exc.group_exceptions()
        for sub, item in with_index:
            out.extend(_error_lines(sub, f"{path}[{item.index}]"))
        for sub in without_index:
            out.extend(_error_lines(sub, path))
        return out
    if isinstance(exc, KeyError):
        return [(path, "is required but missing")]
    if isinstance(exc, _KeyTypeError):
        return [(_join(path, exc.key), exc.message)]
    if isinstance(exc, cattrs.errors.BaseValidationError):
        for sub in exc.exceptions:
            out.extend(_error_lines(sub, path))
        return out
    return [(path, _clean(str(exc)))]


def _clean(msg: str) -> str:
    msg = msg.strip()
    if msg.startswith("missing required"):
        return "is required but missing"
    return msg


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def structure(data: Any, cl: type[T], name: str, prefix: str = "") -> T:
    """Turn parsed TOML into a domain object or raise LoadError with every key-path problem."""
    try:
        return CONVERTER.structure(data, cl)
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError) as exc:
        problems = [Problem(name, where, msg) for where, msg in _error_lines(exc, prefix)]
        raise LoadError(_dedupe(problems)) from None
    except (TypeError, ValueError, KeyError) as exc:
        raise LoadError([Problem(name, prefix, _clean(str(exc)))]) from None


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


# --------------------------------------------------------------------------- kinds
