"""The canned query catalogue: ``queries/*.rq``, one question per file.

Each file starts with a comment header that this module reads::

    # summary: one line
    # description: longer text, continued on indented comment lines
    # param root: symbol, required. What it is. Example: 80/16

Parameter types: ``symbol`` (a UN symbol in any accepted form, bound as the instrument's IRI),
``iri``, ``string``, ``integer``, ``date``, ``norm`` ("13(f)"), ``pillar``, ``theme`` and
``body`` (a key such as ``capacity-building``, bound as the concept's IRI). A value that does
not fit its type is a :class:`ParameterError`; values are bound by the store, never pasted into
the query text (see :mod:`normgraph.store.triplestore`). The CLI and the tests share this loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..config import base
from ..resources import resource_dir
from .terms import Result, Selects, Term

__all__ = ["Param", "Query", "ParameterError", "load_queries", "get_query", "run", "TYPES"]

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("symbol", "iri", "string", "integer", "date", "norm", "pillar", "theme", "body")
MAX_VALUE = 500


class ParameterError(ValueError):
    """A query parameter that is missing, unknown or malformed."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    description: str = ""
    example: str | None = None


@dataclass(frozen=True)
class Query:
    name: str
    summary: str
    text: str
    description: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    path: Path | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>\w+)\s*,\s*(?P<req>required|optional)\.?\s*"
    r"(?P<rest>.*)$", re.S)


def parse_query(text: str, name: str, path: Path | None = None) -> Query:
    """Read the comment header of one ``.rq`` file."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    current: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        pm = re.match(r"\sparam\s+(.*)$", body)
        m = re.match(r"\s(summary|description)\s*:\s*(.*)$", body)
        if pm:
            params.append(_param(pm.group(1).strip(), name))
            current = "param"
        elif m:
            key, value = m.group(1), m.group(2).strip()
            fields[key] = value
            current = key
        elif current and body.startswith("  "):
            extra = body.strip()
            if current == "param":
                p = params[-1]
                params[-1] = Param(p.name, p.type, p.required, f"{p.description} {extra}".strip(),
                                   p.example)
            else:
                fields[current] = f"{fields[current]} {extra}".strip()
    if "summary" not in fields:
        raise ValueError(f"{path or name}: the query has no '# summary:' line")
    return Query(name, fields["summary"], text, fields.get("description", ""), tuple(params),
                 path)


def _param(spec: str, query: str) -> Param:
    m = _PARAM.match(spec)
    if not m:
        raise ValueError(f"{query}: malformed param line {spec!r}")
    if m.group("type") not in TYPES:
        raise ValueError(f"{query}: unknown parameter type {m.group('type')!r}")
    rest = m.group("rest").strip()
    example = None
    em = re.search(r"\bExample:\s*(\S.*)$", rest)
    if em:
        example = em.group(1).strip()
        rest = rest[: em.start()].strip()
    return Param(m.group("name"), m.group("type"), m.group("req") == "required", rest, example)


def load_queries(directory: Path | None = None) -> dict[str, Query]:
    """Every query of the catalogue, by name (the file name without ``.rq``)."""
    folder = directory or resource_dir("queries")
    return dict(_load(folder, folder.stat().st_mtime_ns))


@lru_cache(maxsize=8)
def _load(folder: Path, _stamp: int) -> dict[str, Query]:
    """The queries of a folder, read once per process (again when the folder changes)."""
    out = {}
    for path in sorted(folder.glob("*.rq")):
        out[path.stem] = parse_query(path.read_text(encoding="utf-8"), path.stem, path)
    return out


def get_query(name: str, directory: Path | None = None) -> Query:
    """One canned query by name; an unknown name is a :class:`ParameterError` naming the
    nearest ones."""
    queries = load_queries(directory)
    if name not in queries:
        import difflib

        near = difflib.get_close_matches(name, list(queries), n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else \
            f"; known: {', '.join(queries)}"
        raise ParameterError(f"no canned query named {name!r}{hint}")
    return queries[name]


# -- binding -----------------------------------------------------------------------------------

def term_for(param: Param, raw: str) -> Term:
    """The RDF term a raw command-line value stands for, or :class:`ParameterError`."""
    value = raw.strip()
    where = f"parameter {param.name} ({param.type})"
    if not value:
        raise ParameterError(f"{where}: empty value")
    if len(value) > MAX_VALUE:
        raise ParameterError(f"{where}: value longer than {MAX_VALUE} characters")
    if any(ord(c) < 0x20 for c in value):
        raise ParameterError(f"{where}: value contains control characters")
    kind = param.type
    if kind == "symbol":
        from ..read.symbols import SymbolError, parse

        try:
            symbol = parse(value).symbol
        except SymbolError as exc:
            raise ParameterError(f"{where}: {exc}") from None
        return Term(f"{base()}id/{symbol}")
    if kind == "iri":
        try:
            return Term(value)
        except ValueError as exc:
            raise ParameterError(f"{where}: {exc}") from None
    if kind == "string":
        return Term(value, "literal")
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", value):
            raise ParameterError(f"{where}: {value[:40]!r} is not an integer")
        return Term(str(int(value)), "literal", XSD + "integer")
    if kind == "date":
        import datetime

        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise ParameterError(f"{where}: {value[:40]!r} is not a date (YYYY-MM-DD)") from None
        return Term(value, "literal", XSD + "date")
    if kind == "norm":
        m = re.fullmatch(r"(?:norm\s*)?13\s*\(?\s*([a-kA-K])\s*\)?", value)
        if not m:
            raise ParameterError(f"{where}: {value[:40]!r} is not a norm notation 13(a)..13(k)")
        return Term(f"{base()}norm/13{m.group(1).lower()}")
    # pillar, theme, body: a key or a label, slugged
    key = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    if not key:
        raise ParameterError(f"{where}: {value[:40]!r} names no {kind}")
    return Term(f"{base()}{kind}/{key}")


def bind(query: Query, raw: dict[str, str]) -> dict[str, Term]:
    """Check ``raw`` (name -> text) against the query's declared parameters."""
    out: dict[str, Term] = {}
    for name, value in raw.items():
        param = query.param(name)
        if param is None:
            known = ", ".join(p.name for p in query.params) or "none"
            raise ParameterError(f"query {query.name} has no parameter {name!r} (known: {known})")
        out[name] = term_for(param, value)
    for p in query.params:
        if p.required and p.name not in out:
            raise ParameterError(f"query {query.name} needs --param {p.name}=... "
                                 f"({p.type}{', e.g. ' + p.example if p.example else ''})")
    return out


def run(store: Selects, name: str, params: dict[str, str] | None = None,
        directory: Path | None = None) -> Result:
    """Run canned query ``name`` with raw parameters on ``store``."""
    query = get_query(name, directory)
    return store.select(query.text, bind(query, params or {}))
