"""Publishing: the dataset's description (VoID and DCAT) inside every dump, versioned releases
in four serialisations with checksums, and the difference between two releases.

The description is deterministic: its modification date is the latest adoption date the
graph holds (not the wall clock), its triple count the exact count of the dump it describes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, VOID, XSD

from . import __version__
from .config import base
from .dump import serialize, to_turtle, write_atomic
from .vocab import ELI, NG, ONTOLOGY_IRI, RELATION_BY_PROPERTY, dataset_iri, instrument_iri

__all__ = ["describe", "export_all", "diff", "render_diff", "LICENSE", "DUMPS"]

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
#: file name, media type of each serialisation a release holds
DUMPS = {"ttl": ("normgraph.ttl", "text/turtle"), "nt": ("normgraph.nt", "application/n-triples"),
         "jsonld": ("normgraph.jsonld", "application/ld+json"),
         "trig": ("normgraph.trig", "application/trig")}
EXAMPLES = ("A/RES/80/16", "A/RES/79/237", "A/75/816")


def describe(triples: Iterable[tuple[Any, Any, Any]]) -> set[tuple[Any, Any, Any]]:
    """The VoID/DCAT description of a dump holding ``triples`` (which it does not repeat);
    ``void:triples`` counts the description too."""
    if not isinstance(triples, (set, frozenset)):
        triples = set(triples)
    b = base()
    ds = dataset_iri()
    dated = str(ELI.date_document)
    dates = sorted(str(o) for _s, p, o in triples if str.__eq__(p, dated))
    subjects = set(map(itemgetter(0), triples))
    vocabularies = sorted({_namespace(p) for p in set(map(itemgetter(1), triples))} - {""})
    out: set[tuple[Any, Any, Any]] = {
        (ds, RDF.type, VOID.Dataset), (ds, RDF.type, DCAT.Dataset),
        (ds, DCTERMS.title, Literal("normgraph: the UN cyber-norms instruments", lang="en")),
        (ds, DCTERMS.description, Literal(
            "UN General Assembly resolutions and decisions, GGE and OEWG reports, the eleven "
            "norms of responsible State behaviour, the capacity-building principles and the "
            "recommendations, with the typed references between instruments and the paragraph "
            "that states each.", lang="en")),
        (ds, DCTERMS.license, LICENSE),
        (ds, URIRef(str(DCAT) + "version"), Literal(__version__)),
        (ds, OWL.versionInfo, Literal(__version__)),
        (ds, DCTERMS.conformsTo, ONTOLOGY_IRI),
        (ds, VOID.uriSpace, Literal(b)),
        (ds, VOID.sparqlEndpoint, URIRef(b + "sparql")),
        (ds, VOID.entities, Literal(len(subjects), datatype=XSD.integer)),
        (ds, FOAF.homepage, URIRef(b)),
    }
    if dates:
        out.add((ds, DCTERMS.modified, Literal(dates[-1], datatype=XSD.date)))
    for v in vocabularies:
        out.add((ds, VOID.vocabulary, URIRef(v)))
    for symbol in EXAMPLES:
        iri = instrument_iri(symbol)
        if iri in subjects:
            out.add((ds, VOID.exampleResource, iri))
    for key, (name, media) in sorted(DUMPS.items()):
        dist = URIRef(f"{b}dataset/{key}")
        out |= {(ds, VOID.dataDump, URIRef(b + name)), (ds, DCAT.distribution, dist),
                (dist, RDF.type, DCAT.Distribution), (dist, DCAT.downloadURL, URIRef(b + name)),
                (dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/"
                                              f"{media}")),
                (dist, DCTERMS.license, LICENSE)}
    # the description's own triples that the graph does not already hold, and void:triples
    count = len(triples) + sum(1 for t in out if t not in triples) + 1
    out.add((ds, VOID.triples, Literal(count, datatype=XSD.integer)))
    return out


def _namespace(iri: Any) -> str:
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            return text[: text.rfind(sep) + 1]
    return ""


def export_all(named: dict[URIRef, set[tuple[Any, Any, Any]]], folder: Path,
               header: str = "") -> dict[str, str]:
    """Write Turtle, N-Triples, JSON-LD and TriG (one named graph per source) into ``folder``,
    the JSON-LD context for compact JSON, and SHA256SUMS; returns file name -> checksum."""
    from .graph import to_dataset

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
    from .resources import resource_dir

    context = (resource_dir("ontology") / "context.jsonld").read_bytes()
    write_atomic(folder / "context.jsonld", context)
    sums["context.jsonld"] = hashlib.sha256(context).hexdigest()
    write_atomic(folder / "SHA256SUMS",
                 "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items())))
    return sums


# -- what changed between two releases --------------------------------------------------------

def _inventory(graph: Graph) -> tuple[set[str], set[tuple[str, str, str]]]:
    symbol = {s: str(o) for s, o in graph.subject_objects(ELI.id_local)}
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
