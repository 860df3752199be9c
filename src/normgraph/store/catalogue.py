"""The canned query catalogue: ``queries/*.rq``, one question per file.

Each file is plain SPARQL with grlc's decorators (comment lines ``#+`` holding YAML), so grlc
could serve the folder as a web API as it stands::

    #+ summary: one line
    #+ description: >-
    #+   longer text
    #+ endpoint: https://w3id.org/normgraph/sparql
    #+ tags:
    #+   - lineage
    #+ params:
    #+   root:
    #+     type: symbol
    #+     description: The instrument to start from.
    #+     example: "80/16"

A parameter is a variable named as grlc names them: ``?_root_iri`` (required, an IRI),
``?__pillar_iri`` (optional), ``?_n_integer``, ``?_since_date``, ``?_label_string``. The
``params`` entry gives what grlc cannot know: normgraph's type for the value a user types
(``symbol`` "80/16", ``norm`` "13(f)", ``pillar``, ``theme``, ``body`` keys, ``iri``,
``string``, ``integer``, ``date``), a description and an example; each ``params`` entry must
name a variable of the query and each such variable have an entry. Where a parameter is an
output column too, the query projects it under its plain name (``(?_root_iri AS ?root)``).

A value that does not fit its type is a :class:`ParameterError`; values are bound by the store
as RDF terms in a ``VALUES`` block, never pasted into the query text (see
:mod:`normgraph.store.triplestore`). The CLI and the tests share this loader.
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
    """One parameter: its name on the command line, normgraph type, whether it is required,
    and the query variable it binds (grlc style, e.g. ``_root_iri``)."""

    name: str
    type: str
    required: bool
    description: str = ""
    example: str | None = None
    variable: str = ""


@dataclass(frozen=True)
class Query:
    """One canned query: its name (the file name), decorators and SPARQL text."""

    name: str
    summary: str
    text: str
    description: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    path: Path | None = None
    endpoint: str | None = None
    tags: tuple[str, ...] = ()

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)


#: the decorators grlc reads, and ``params`` (normgraph's)
DECORATORS = ("summary", "description", "endpoint", "tags", "method", "pagination",
              "enumerate", "defaults", "params")
#: grlc's value kind for each normgraph type: what a grlc client sends for it
GRLC_KIND = {"symbol": "iri", "iri": "iri", "norm": "iri", "pillar": "iri", "theme": "iri",
             "body": "iri", "string": "string", "integer": "integer", "date": "date"}
# grlc's parameter variables: ?_name_kind (required) or ?__name_kind (optional)
_VARIABLE = re.compile(
    r"[?$](?P<u>__?)(?P<name>[A-Za-z][A-Za-z0-9]*)(?:_(?P<kind>[A-Za-z0-9]+))?\b")


def parse_query(text: str, name: str, path: Path | None = None) -> Query:
    """Read the ``#+`` decorators of one ``.rq`` file and match its parameters to its
    variables. Raises ValueError naming the file and line of a fault."""
    from ..read.safe_yaml import YamlError, line_of, load

    where = path or name
    lines = text.split("\n")
    head = [ln[2:] for ln in lines if ln.startswith("#+")]
    try:
        meta = load("\n".join(head), max_bytes=64 * 1024) or {}
    except YamlError as exc:
        raise ValueError(f"{where}: decorators: {exc}") from None
    if not isinstance(meta, dict):
        raise ValueError(f"{where}: line 1: the #+ decorators are not a mapping")
    for key in meta:
        if key not in DECORATORS:
            raise ValueError(f"{where}: line {line_of(meta, key)}: unknown decorator {key!r} "
                             f"(known: {', '.join(DECORATORS)})")
    if not isinstance(meta.get("summary"), str) or not meta["summary"].strip():
        raise ValueError(f"{where}: the query has no '#+ summary:' line")
    body = "\n".join(ln for ln in lines if not ln.lstrip().startswith("#"))
    variables = {m.group("name"): m for m in _VARIABLE.finditer(body)}
    specs = meta.get("params") or {}
    if not isinstance(specs, dict):
        raise ValueError(f"{where}: line {line_of(meta, 'params')}: params is not a mapping")
    params: list[Param] = []
    for pname, spec in specs.items():
        at = f"{where}: line {line_of(specs, pname)}: parameter {pname}"
        if not isinstance(spec, dict) or spec.get("type") not in TYPES:
            raise ValueError(f"{at}: type is one of {', '.join(TYPES)}")
        unknown = set(spec) - {"type", "description", "example"}
        if unknown:
            raise ValueError(f"{at}: unknown key {sorted(unknown)[0]!r}")
        var = variables.get(pname)
        if var is None:
            raise ValueError(f"{at}: no variable ?_{pname}_... in the query")
        if var.group("kind") != GRLC_KIND[spec["type"]]:
            raise ValueError(f"{at}: the variable should be ?{var.group('u')}{pname}_"
                             f"{GRLC_KIND[spec['type']]} for type {spec['type']}")
        example = spec.get("example")
        params.append(Param(pname, spec["type"], var.group("u") == "_",
                            " ".join(str(spec.get("description") or "").split()),
                            None if example is None else str(example),
                            var.group(0)[1:]))
    for vname in variables:
        if vname not in specs:
            raise ValueError(f"{where}: variable ?{variables[vname].group(0)[1:]} is a grlc "
                             f"parameter without a 'params' entry")
    tags = meta.get("tags") or ()
    return Query(name, " ".join(meta["summary"].split()), text,
                 " ".join(str(meta.get("description") or "").split()), tuple(params), path,
                 meta.get("endpoint"), tuple(str(t) for t in tags))


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
        out[param.variable] = term_for(param, value)
    for p in query.params:
        if p.required and p.variable not in out:
            raise ParameterError(f"query {query.name} needs --param {p.name}=... "
                                 f"({p.type}{', e.g. ' + p.example if p.example else ''})")
    return out


def run(store: Selects, name: str, params: dict[str, str] | None = None,
        directory: Path | None = None) -> Result:
    """Run canned query ``name`` with raw parameters on ``store``."""
    query = get_query(name, directory)
    return store.select(query.text, bind(query, params or {}))
