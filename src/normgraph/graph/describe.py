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

__all__ = ["describe", "LICENSE", "DUMPS"]

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
