"""Releases and differences: the dump in four serialisations with checksums, and what changed
between two releases. The description the dumps carry is made by
:mod:`normgraph.graph.describe`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..graph.builder import to_dataset
from ..graph.describe import DUMPS
from ..graph.dump import serialize, to_turtle, write_atomic
from ..graph.vocab import ELI, NG, RELATION_BY_PROPERTY
from ..resources import resource_dir

__all__ = ["export_all", "diff", "render_diff"]


def export_all(named: dict[URIRef, set[tuple[Any, Any, Any]]], folder: Path,
               header: str = "") -> dict[str, str]:
    """Write Turtle, N-Triples, JSON-LD and TriG (one named graph per source) into ``folder``,
    the JSON-LD context for compact JSON, and SHA256SUMS; returns file name -> checksum."""
    folder.mkdir(parents=True, exist_ok=True)
    union: set[tuple[Any, Any, Any]] = set()
    for triples in named.values():
        union |= triples
    graph = Graph()
    for t in union:
        graph.add(t)
    texts = {"ttl": to_turtle(union, header=header), "nt": serialize(graph, "nt"),
             "jsonld": serialize(graph, "jsonld"), "trig": serialize(to_dataset(named), "trig")}
    sums: dict[str, str] = {}
    for key, text in texts.items():
        name = DUMPS[key][0]
        data = text.encode("utf-8")
        write_atomic(folder / name, data)
        sums[name] = hashlib.sha256(data).hexdigest()
    context = (resource_dir("ontology") / "context.jsonld").read_bytes()
    write_atomic(folder / "context.jsonld", context)
    sums["context.jsonld"] = hashlib.sha256(context).hexdigest()
    write_atomic(folder / "SHA256SUMS",
                 "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items())))
    return sums


# -- what changed between two releases --------------------------------------------------------

def _inventory(graph: Graph) -> tuple[set[str], set[tuple[str, str, str]]]:
    symbol: dict[Node, str] = {s: str(o) for s, o in graph.subject_objects(ELI.id_local)}
    instruments = {symbol[s] for s in graph.subjects(RDF.type, NG.Instrument) if s in symbol}
    links = {(symbol[s], RELATION_BY_PROPERTY[p], symbol[o])
             for s, p, o in graph if p in RELATION_BY_PROPERTY and s in symbol and o in symbol}
    return instruments, links


def diff(old: Graph, new: Graph) -> dict[str, list[Any]]:
    """Instruments and links (typed references) added and removed from ``old`` to ``new``."""
    oi, ol = _inventory(old)
    ni, nl = _inventory(new)
    return {
        "instruments_added": sorted(ni - oi), "instruments_removed": sorted(oi - ni),
        "links_added": [list(x) for x in sorted(nl - ol)],
        "links_removed": [list(x) for x in sorted(ol - nl)],
    }


def render_diff(changes: dict[str, list[Any]], fmt: str = "md") -> str:
    """The changes between two releases (from :func:`diff`) as Markdown or JSON."""
    if fmt == "json":
        return json.dumps(changes, indent=2, ensure_ascii=False) + "\n"
    if fmt != "md":
        raise ValueError(f"unknown format {fmt!r}; choose md or json")
    out = ["# Changes", ""]
    sections = (("Instruments added", "instruments_added"),
                ("Instruments removed", "instruments_removed"),
                ("Links added", "links_added"), ("Links removed", "links_removed"))
    for title, key in sections:
        items = changes[key]
        out.append(f"## {title} ({len(items)})")
        out.append("")
        for item in items:
            out.append(f"- {item}" if isinstance(item, str) else
                       f"- {item[0]} {item[1]} {item[2]}")
        if not items:
            out.append("- none")
        out.append("")
    return "\n".join(out)
