"""Dumps: deterministic serialisations of the graph, written atomically.

The Turtle writer here is linear in the number of triples (rdflib's pretty writer is not) and
byte-stable: subjects, predicates and objects sorted, prefixes fixed, no blank nodes.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .vocab import PREFIXES, data_prefixes

__all__ = ["to_turtle", "to_ntriples", "ntriples_term", "serialize", "write_atomic", "FORMATS"]

FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


def _prefixes() -> list[tuple[str, str]]:
    pairs = {name: str(ns) for name, ns in PREFIXES.items()}
    pairs.update(data_prefixes())
    # longest namespace first, so the most specific prefix wins
    return sorted(pairs.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def _iri(term: URIRef, prefixes: list[tuple[str, str]]) -> str:
    value = str(term)
    for name, ns in prefixes:
        if value.startswith(ns):
            local = value[len(ns) :]
            if _LOCAL.match(local):
                return f"{name}:{local}"
    return "<" + _escape_iri(value) + ">"


_IRI_SPECIAL = re.compile(r'[<>"{}|^`\\ \x00-\x20]')


def _escape_iri(value: str) -> str:
    if _IRI_SPECIAL.search(value) is None:
        return value
    return "".join(c if c not in '<>"{}|^`\\ ' and ord(c) > 0x20 else f"\\u{ord(c):04X}"
                   for c in value)


def _escape_string(value: str) -> str:
    return (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def _term(term: Any, prefixes: list[tuple[str, str]], short: bool = True) -> str:
    if isinstance(term, URIRef):
        return _iri(term, prefixes)
    if isinstance(term, Literal):
        lexical = '"' + _escape_string(str(term)) + '"'
        if term.language:
            return f"{lexical}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            if short and term.datatype == XSD.integer and re.fullmatch(r"[+-]?\d+", str(term)):
                return str(term)
            return f"{lexical}^^{_iri(term.datatype, prefixes)}"
        return lexical
    if isinstance(term, BNode):
        raise ValueError("blank nodes are not allowed in the dump")
    raise TypeError(f"unexpected term {term!r}")


def _sort_key(term: Any) -> tuple[int, str]:
    if isinstance(term, URIRef):
        return (0, str(term))
    if isinstance(term, Literal):
        return (1, f"{term}\x00{term.language or ''}\x00{term.datatype or ''}")
    return (2, str(term))


def _triples(source: Graph | Dataset | Iterable[tuple[Any, Any, Any]]) -> set[tuple[Any, ...]]:
    if isinstance(source, Dataset):
        return {(s, p, o) for s, p, o, _ in source.quads((None, None, None, None))}
    if isinstance(source, Graph):
        return set(source)
    return set(source)


def to_turtle(source: Graph | Dataset | Iterable[tuple[Any, Any, Any]],
              header: str = "") -> str:
    """Deterministic Turtle: one block per subject, sorted; rdf:type first as ``a``."""
    prefixes = _prefixes()
    triples = _triples(source)
    memo: dict[Any, str] = {}

    def term(t: Any) -> str:
        text = memo.get(t)
        if text is None:
            text = memo[t] = _term(t, prefixes)
        return text

    by_subject: dict[Any, dict[Any, list[Any]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    used = set()
    body: list[str] = []
    for s in sorted(by_subject, key=_sort_key):
        preds = by_subject[s]
        lines = []
        order = sorted(preds, key=lambda p: (p != RDF.type, str(p)))
        for p in order:
            objs = sorted(preds[p], key=_sort_key)
            pred = "a" if p == RDF.type else term(p)
            rendered = [term(o) for o in objs]
            lines.append(f"    {pred} " + " ,\n        ".join(rendered))
        body.append(term(s) + "\n" + " ;\n".join(lines) + " .\n")
    text = "\n".join(body)
    for name, _ns in prefixes:
        if f"{name}:" in text:
            used.add(name)
    head = "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(prefixes)
                   if name in used)
    return (header + head + "\n" + text) if body else header + head


def ntriples_term(term: Any) -> str:
    """One term as N-Triples writes it (full IRIs, every typed literal with its datatype)."""
    return _term(term, [], short=False)


def to_ntriples(source: Graph | Dataset | Iterable[tuple[Any, Any, Any]]) -> str:
    """Sorted N-Triples (one triple a line)."""
    lines = sorted(f"{ntriples_term(s)} {ntriples_term(p)} {ntriples_term(o)} ." for s, p, o in
                   _triples(source))
    return "\n".join(lines) + ("\n" if lines else "")


def _sorted_graph(source: Graph | Dataset) -> Graph:
    g = Graph()
    for name, ns in PREFIXES.items():
        g.bind(name, ns)
    for t in sorted(_triples(source), key=lambda t: tuple(_sort_key(x) for x in t)):
        g.add(t)
    return g


def serialize(source: Graph | Dataset, fmt: str) -> str:
    """Serialise in ``ttl``, ``nt``, ``jsonld`` or ``trig``; all deterministic."""
    if fmt == "ttl":
        return to_turtle(source)
    if fmt == "nt":
        return to_ntriples(source)
    if fmt == "jsonld":
        return _sorted_graph(source).serialize(format="json-ld", indent=1, sort_keys=True)
    if fmt == "trig":
        if not isinstance(source, Dataset):
            return "{\n" + to_turtle(source) + "}\n"
        parts = []
        names = sorted({str(c) for *_, c in source.quads((None, None, None, None)) if c})
        for name in names:
            g = source.graph(URIRef(name))
            ttl = to_turtle(g)
            prefix_end = ttl.find("\n\n")
            block = ttl[prefix_end + 2 :] if prefix_end >= 0 else ""
            parts.append(f"<{name}> {{\n{block}}}\n")
        head = "".join(f"@prefix {n}: <{ns}> .\n" for n, ns in sorted(_prefixes()))
        return head + "\n" + "\n".join(parts)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write_atomic(path: str | Path, text: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and move it into place: a reader sees the old
    file or the new one, never half of either."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    # one writer at a time per folder: two builds at once each replace the file whole
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        _replace(target, data)
    finally:
        os.close(folder)  # releases the lock


def _replace(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
