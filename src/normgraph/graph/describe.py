"""The dataset's description (VoID and DCAT), made by the graph builder for every dump.

The description is deterministic: its modification date is the latest adoption date the
graph holds (not the wall clock), its triple count the exact count of the dump it describes.
Imports the root modules and :mod:`normgraph.graph.vocab` only.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, VOID, XSD

from .. import __version__
from ..config import base
from .vocab import ELI, ONTOLOGY_IRI, dataset_iri, instrument_iri

__all__ = ["describe", "description", "counted", "subjects", "example_iris", "LICENSE",
           "DUMPS"]

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
    dated = str(ELI.date_document)
    dates = [str(o) for _s, p, o in triples if str.__eq__(p, dated)]
    subjects = set(map(itemgetter(0), triples))
    out = description(len(subjects), {str(p) for p in set(map(itemgetter(1), triples))},
                      max(dates, default=None), {str(i) for i in example_iris() if i in subjects})
    out.add(counted(len(triples) + sum(1 for t in out if t not in triples)))
    return out


def example_iris() -> list[URIRef]:
    """The instruments the description names as examples (those the graph holds)."""
    return [instrument_iri(symbol) for symbol in EXAMPLES]


def subjects() -> list[str]:
    """The subjects of the description's triples: the dataset and its distributions."""
    b = base()
    return [str(dataset_iri()), *(f"{b}dataset/{key}" for key in DUMPS)]


def description(entities: int, predicates: Iterable[str], modified: str | None,
                examples: set[str]) -> set[tuple[Any, Any, Any]]:
    """The description of a graph with ``entities`` subjects, these ``predicates`` (IRIs),
    ``modified`` its latest adoption date, and the ``examples`` (IRIs) it holds; without
    ``void:triples`` (see :func:`counted`)."""
    b = base()
    ds = dataset_iri()
    vocabularies = sorted({_namespace(p) for p in predicates} - {""})
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
        (ds, VOID.entities, Literal(entities, datatype=XSD.integer)),
        (ds, FOAF.homepage, URIRef(b)),
    }
    if modified:
        out.add((ds, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    for v in vocabularies:
        out.add((ds, VOID.vocabulary, URIRef(v)))
    for iri in example_iris():
        if str(iri) in examples:
            out.add((ds, VOID.exampleResource, iri))
    for key, (name, media) in sorted(DUMPS.items()):
        dist = URIRef(f"{b}dataset/{key}")
        out |= {(ds, VOID.dataDump, URIRef(b + name)), (ds, DCAT.distribution, dist),
                (dist, RDF.type, DCAT.Distribution), (dist, DCAT.downloadURL, URIRef(b + name)),
                (dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/"
                                              f"{media}")),
                (dist, DCTERMS.license, LICENSE)}
    return out


def counted(triples: int) -> tuple[Any, Any, Any]:
    """``void:triples`` of a dump that holds ``triples`` triples besides this one (the graph's
    and the description's other triples, each once)."""
    return (dataset_iri(), VOID.triples, Literal(triples + 1, datatype=XSD.integer))


def _namespace(iri: Any) -> str:
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            return text[: text.rfind(sep) + 1]
    return ""
