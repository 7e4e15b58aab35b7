"""A scored Result as JSON that rebuilds it exactly, so a stored round is shown without re-scoring.

`Result.to_dict()` is the public shape of the score command and the downloads: it rounds figures
and leaves out what it can derive, so a Result cannot be rebuilt from it. This module writes every
field of the Result's dataclasses instead (floats as JSON keeps them, to the bit) and reads them
back into the same classes, by their type hints:

    {"format": 1, "result": {"mode": "full", "stage": "walk", "stages": [{...}], ...}}

Fields are read by name, so the reader copes with `assessment.scoring` growing: a field added
since a result was stored takes its default when it has one (and the stored result is refused,
with StoredResultError, when it has none); a field that was dropped is ignored.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from enum import Enum
from fractions import Fraction
from typing import Any

from assessment.scoring import Result

FORMAT = 1


class StoredResultError(ValueError):
    """Stored scores that cannot be read back into a Result (another format, a field missing)."""


def dump(result: Result) -> str:
    """The Result as JSON text, with every field of every part."""
    return json.dumps({"format": FORMAT, "result": _encode(result)}, separators=(",", ":"), allow_nan=False)


def load(text: str) -> Result:
    """The Result `dump` wrote; StoredResultError when the text is not one."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise StoredResultError(f"not JSON: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT or "result" not in document:
        raise StoredResultError("not a stored result of format 1")
    decoded = _decode(Result, document["result"], "result")
    assert isinstance(decoded, Result)
    return decoded


def _encode(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return _encode(value.value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, (tuple, list)):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in a result")


def _decode(kind: Any, raw: Any, where: str) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if raw is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return _decode(option, raw, where)
            except StoredResultError:
                continue
        raise StoredResultError(f"{where}: {raw!r} fits none of {kind}")
    if origin is tuple:
        args = typing.get_args(kind)
        if not isinstance(raw, list):
            raise StoredResultError(f"{where}: expected a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item, f"{where}[{i}]") for i, item in enumerate(raw))
        if len(args) != len(raw):
            raise StoredResultError(f"{where}: expected {len(args)} items")
        return tuple(_decode(a, item, f"{where}[{i}]") for i, (a, item) in enumerate(zip(args, raw, strict=True)))
    if origin is dict:
        key_kind, value_kind = typing.get_args(kind)
        if not isinstance(raw, dict):
            raise StoredResultError(f"{where}: expected an object")
        return {_decode(key_kind, k, where): _decode(value_kind, v, f"{where}.{k}") for k, v in raw.items()}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _decode_dataclass(kind, raw, where)
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind(raw)
        except ValueError as error:
            raise StoredResultError(f"{where}: {error}") from error
    if kind is Fraction:
        if not isinstance(raw, str):
            raise StoredResultError(f"{where}: expected a fraction")
        return Fraction(raw)
    if kind is float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise StoredResultError(f"{where}: expected a number")
        return float(raw)
    if kind in (int, str, bool):
        if type(raw) is not kind:
            raise StoredResultError(f"{where}: expected {kind.__name__}")
        return raw
    if kind is type(None):
        if raw is not None:
            raise StoredResultError(f"{where}: expected null")
        return None
    raise StoredResultError(f"{where}: cannot read a {kind}")


def _decode_dataclass(kind: type, raw: Any, where: str) -> Any:
    if not isinstance(raw, dict):
        raise StoredResultError(f"{where}: expected an object")
    values: dict[str, Any] = {}
    for name, hint, required in _fields(kind):
        if name in raw:
            values[name] = _decode(hint, raw[name], f"{where}.{name}")
        elif required:
            raise StoredResultError(f"{where}: {name} is missing")
    return kind(**values)


@functools.cache
def _fields(kind: type) -> tuple[tuple[str, Any, bool], ...]:
    """Each field a dataclass takes: its name, its type and whether it has no default. Resolving the
    type hints is most of a read's cost, so once per class."""
    hints = typing.get_type_hints(kind)
    return tuple(
        (f.name, hints[f.name], f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(kind)
        if f.init
    )
