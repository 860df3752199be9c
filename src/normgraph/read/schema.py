"""Schemas for normgraph's YAML (the catalog, the reference data): which keys a record may
have, which it must have, and the type of each value, checked on what :mod:`.safe_yaml` reads so
that a fault is reported with its file and line (``catalog.yaml: line 12: titel: unknown key``).

A spec is one of: :data:`TEXT` (a string), :data:`NUMBERED` (a string or an integer, as
paragraph numbers are written), :data:`DATE` (an ISO date that exists), :class:`Record`,
:class:`ListOf`, or a tuple of specs (any one of them).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .readers import ReadError, read_file
from .safe_yaml import YamlError, line_of, load

__all__ = ["TEXT", "NUMBERED", "DATE", "Record", "ListOf", "SchemaError", "check",
           "DataFileError", "MAX_BYTES", "load_checked"]

TEXT = "text"
NUMBERED = "text or number"
DATE = "date (YYYY-MM-DD)"


class SchemaError(ValueError):
    """A value that does not fit its schema: ``line N: key: problem``."""


class DataFileError(ValueError):
    """A YAML data file that cannot be used: one line, ``<path>: problem``."""


#: the most a YAML data file (the catalog, a reference file) may hold
MAX_BYTES = 16 * 1024 * 1024


def load_checked(path: Path, spec: Any, name: str) -> Any:
    """The YAML data file at ``path``, read as sources are (a regular file only, at most
    :data:`MAX_BYTES`: a FIFO or a device here must not hang a build), parsed with
    :mod:`.safe_yaml`'s limits and checked against ``spec`` (faults read ``name: line N:
    ...``); None for an empty file. Raises :class:`DataFileError` naming the file."""
    try:
        data = load(read_file(path, limit=MAX_BYTES).decode("utf-8"), max_bytes=MAX_BYTES)
        if data is not None:
            check(data, spec, path=name)
    except (ReadError, YamlError, SchemaError) as exc:
        raise DataFileError(f"{path}: {exc}") from None
    except UnicodeDecodeError:
        raise DataFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return data


@dataclass(frozen=True)
class Record:
    """A mapping with known keys (``fields``: key -> spec); ``required`` keys must be there."""

    fields: dict[str, Any]
    required: frozenset[str] = field(default_factory=frozenset)
    name: str = "record"


@dataclass(frozen=True)
class ListOf:
    """A sequence whose items all fit ``item`` (a single item is accepted as a list of one
    when ``single`` is true, as the reference data writes one source)."""

    item: Any
    single: bool = False


def _describe(spec: Any) -> str:
    if isinstance(spec, tuple):
        return " or ".join(_describe(s) for s in spec)
    if isinstance(spec, Record):
        return f"a {spec.name} (a mapping)"
    if isinstance(spec, ListOf):
        return f"a list of {_describe(spec.item)}"
    return spec


def _fits(value: Any, spec: Any, line: int, path: str) -> str | None:
    """None when ``value`` fits ``spec``, else the problem (raising for nested faults, which
    know their own line)."""
    if isinstance(spec, tuple):
        for option in spec:
            if _fits_quietly(value, option, line, path):
                return None
        return f"expected {_describe(spec)}, got {value!r:.60}"
    if spec == TEXT:
        return None if isinstance(value, str) else f"expected text, got {value!r:.60}"
    if spec == NUMBERED:
        ok = isinstance(value, (str, int)) and not isinstance(value, bool)
        return None if ok else f"expected text or a number, got {value!r:.60}"
    if spec == DATE:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            return f"expected a date YYYY-MM-DD, got {value!r:.60}"
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return f"{value} is not a real date"
        return None
    if isinstance(spec, ListOf):
        if not isinstance(value, list):
            if spec.single:
                return _fits(value, spec.item, line, path)
            return f"expected {_describe(spec)}, got {value!r:.60}"
        for i, item in enumerate(value):
            problem = _fits(item, spec.item, line_of(value, i, line), f"{path}[{i + 1}]")
            if problem:
                raise SchemaError(f"line {line_of(value, i, line)}: {path}[{i + 1}]: {problem}")
        return None
    if isinstance(spec, Record):
        if not isinstance(value, dict):
            return f"expected {_describe(spec)}, got {value!r:.60}"
        for key, item in value.items():
            where = line_of(value, key, line)
            if key not in spec.fields:
                known = ", ".join(sorted(spec.fields))
                raise SchemaError(f"line {where}: {key}: unknown key (known: {known})")
            if item is None and key not in spec.required:
                continue
            problem = _fits(item, spec.fields[key], where, key)
            if problem:
                raise SchemaError(f"line {where}: {key}: {problem}")
        missing = sorted(spec.required - set(value))
        if missing:
            return f"{spec.name} without {', '.join(missing)}"
        return None
    raise TypeError(f"unknown spec {spec!r}")


def _fits_quietly(value: Any, spec: Any, line: int, path: str) -> bool:
    try:
        return _fits(value, spec, line, path) is None
    except SchemaError:
        return False


def check(value: Any, spec: Any, line: int = 1, path: str = "document") -> None:
    """Raise :class:`SchemaError` (``line N: key: problem``) unless ``value`` fits ``spec``."""
    problem = _fits(value, spec, line, path)
    if problem:
        raise SchemaError(f"line {getattr(value, 'line', line)}: {path}: {problem}")
