"""Answers read from the graph as an rdflib Graph: an instrument's card, counts per class
and relation, a symbol as a user types it resolved against the graph, and a dump's
validation. Imports the stages above it and the root modules.
"""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..check.validate import Report, validate_graph
from ..graph.load import read_turtle
from ..graph.vocab import ELI, NG, RELATION_BY_PROPERTY, instrument_iri
from ..resources import default_dump
from .resolve import UnknownSymbol, candidates

__all__ = ["load_graph", "validate_file", "stats", "UnknownSymbol", "known_symbols",
           "resolve_symbol", "instrument"]


def load_graph(path: Path | None = None) -> Graph:
    """The dump (``path``, else the project's ``data/normgraph.ttl``, else the one shipped in
    the package) as an rdflib Graph, parsed by pyoxigraph.

    >>> from normgraph import api
    >>> len(api.load_graph()) > 0
    True
    """
    return read_turtle(path or default_dump())


def validate_file(path: Path) -> Report:
    """Validate a Turtle file against the shapes."""
    return validate_graph(read_turtle(path))


def stats(graph: Graph) -> dict[str, dict[str, int]]:
    """Counts per class and per relation."""
    classes = Counter(str(o) for o in graph.objects(None, RDF.type))
    relations = Counter(RELATION_BY_PROPERTY[p] for _, p, _ in graph
                        if p in RELATION_BY_PROPERTY)
    return {"classes": dict(sorted(classes.items())), "relations": dict(sorted(relations.items())),
            "total": {"triples": len(graph)}}


def known_symbols(graph: Graph) -> list[str]:
    """Every instrument symbol the graph holds, sorted."""
    return sorted(str(o) for o in graph.objects(None, ELI.id_local))


def resolve_symbol(text: str, graph: Graph) -> str:
    """A symbol as a user types it ('80/16', 'A/RES/80/16', 'a/res/80/16', '77/512') ->
    the canonical symbol the graph holds. Raises SymbolError (malformed) or UnknownSymbol."""
    known = set(known_symbols(graph))
    options = candidates(text)
    for c in options:
        if c.symbol in known:
            return c.symbol
    nearest = difflib.get_close_matches(options[0].symbol, sorted(known), n=3, cutoff=0.6)
    raise UnknownSymbol(text, nearest)


def instrument(graph: Graph, symbol: str) -> dict[str, Any]:
    """Everything the graph holds about one instrument, as plain values."""
    iri = instrument_iri(symbol)
    props: dict[str, list[str]] = {}
    for p, o in sorted(graph.predicate_objects(iri), key=lambda po: (str(po[0]), str(po[1]))):
        if p in RELATION_BY_PROPERTY or p in (ELI.has_part, ELI.cites, ELI.based_on):
            continue  # links are listed under "cites", parts under "paragraphs"
        props.setdefault(graph.namespace_manager.normalizeUri(str(p)), []).append(str(o))
    cites = [
        {"relation": RELATION_BY_PROPERTY[p], "symbol": str(graph.value(o, ELI.id_local) or o)}
        for p, o in graph.predicate_objects(iri) if p in RELATION_BY_PROPERTY
    ]
    cited_by = [
        {"relation": RELATION_BY_PROPERTY[p], "symbol": str(graph.value(s, ELI.id_local) or s)}
        for s, p in graph.subject_predicates(iri) if p in RELATION_BY_PROPERTY
    ]
    # the other documents containing the same report (each a dcterms:hasVersion of one work)
    versions = sorted(
        {"symbol": str(graph.value(other, ELI.id_local) or other),
         "report": str(graph.value(work, RDFS.label) or work)}.items()
        for work in graph.objects(iri, DCTERMS.isVersionOf)
        for other in graph.objects(work, DCTERMS.hasVersion) if other != iri
    )
    paragraphs = sorted(
        ((int(str(graph.value(pp, NG.ordinal) or 0)), str(graph.value(pp, ELI.number)))
         for pp in graph.objects(iri, ELI.has_part)),
    )
    return {
        "symbol": symbol,
        "iri": str(iri),
        "properties": props,
        "cites": sorted(cites, key=lambda c: (c["relation"], c["symbol"])),
        "cited_by": sorted(cited_by, key=lambda c: (c["relation"], c["symbol"])),
        "same_report_as": [dict(v) for v in versions],
        "paragraphs": [n for _, n in paragraphs],
    }
