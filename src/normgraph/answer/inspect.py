"""Answers read from the graph as an rdflib Graph: an instrument's card, counts per class
and relation, a symbol as a user types it resolved against the graph, and a dump's
validation. Imports the stages above it and the root modules.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..check.validate import Report, validate_graph
from ..graph.load import read_turtle
from ..graph.vocab import ELI, NG, RELATION_BY_PROPERTY, instrument_iri
from ..resources import default_dump
from .resolve import UnknownSymbol, candidates

__all__ = ["load_graph", "validate_file", "stats", "UnknownSymbol", "known_symbols",
           "resolve_symbol", "instrument", "resolve_resource", "resource"]


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


# -- any resource: a body, norm, principle, theme or pillar ---------------------------------------

def resolve_resource(text: str, graph: Graph) -> URIRef | None:
    """The IRI of the body, norm, theme or pillar a key names ("oewg-2021-2025",
    "global-mechanism", "13f", "13(f)", "critical infrastructure"), of the principle whose
    notation it is ("56.6"), or of a resource given by its full IRI; None when nothing matches."""
    from ..graph.vocab import body_iri, norm_iri, pillar_iri, theme_iri

    value = text.strip()
    candidates: list[URIRef] = []
    if value.startswith(("http://", "https://")):
        candidates.append(URIRef(value))
    m = re.fullmatch(r"(?:norm\s*)?13\s*\(?\s*([a-kA-K])\s*\)?", value)
    if m:
        candidates.append(norm_iri(f"13({m.group(1).lower()})"))
    candidates += [make(value) for make in (body_iri, theme_iri, pillar_iri)]
    for iri in candidates:
        if (iri, None, None) in graph:
            return iri
    for concept in graph.subjects(SKOS.notation, Literal(value)):
        if isinstance(concept, URIRef):
            return concept
    return None


def _name(graph: Graph, node: Any) -> str:
    """How a node reads in a card: a symbol, a notation with its label, a label, or the IRI."""
    if isinstance(node, Literal):
        return str(node)
    symbol = graph.value(node, ELI.id_local)
    if symbol is not None:
        return str(symbol)
    label = graph.value(node, SKOS.prefLabel) or graph.value(node, RDFS.label)
    notation = graph.value(node, SKOS.notation)
    number, part = graph.value(node, ELI.number), graph.value(node, ELI.is_part_of)
    while part is not None and graph.value(part, ELI.number) is not None:
        part = graph.value(part, ELI.is_part_of)  # a sub-item: its document, not its parent
    if number is not None and part is not None:
        return f"{_name(graph, part)} para {number}"
    if label is not None:
        return f"{notation}  {label}" if notation is not None else str(label)
    return str(node)


#: at most this many resources are listed per property pointing at a resource
MAX_INBOUND = 50


def resource(graph: Graph, iri: URIRef) -> dict[str, Any]:
    """Everything the graph says about one resource and every resource pointing at it, each
    value named as a reader would (symbol, paragraph, label) rather than by IRI."""
    nm = graph.namespace_manager
    props: dict[str, list[str]] = {}
    for p, o in graph.predicate_objects(iri):
        props.setdefault(nm.normalizeUri(str(p)), []).append(_name(graph, o))
    inbound: dict[str, list[str]] = {}
    for s, p in graph.subject_predicates(iri):
        inbound.setdefault(nm.normalizeUri(str(p)), []).append(_name(graph, s))
    label = graph.value(iri, SKOS.prefLabel) or graph.value(iri, RDFS.label)
    return {
        "iri": str(iri),
        "label": str(label) if label is not None else None,
        "properties": {k: sorted(v) for k, v in sorted(props.items())},
        "referenced_by": {k: sorted(v)[:MAX_INBOUND] for k, v in sorted(inbound.items())},
        "referenced_by_counts": {k: len(v) for k, v in sorted(inbound.items())},
    }
