"""JSON-LD: a graph written as compacted JSON-LD with the shipped ``ontology/context.jsonld``,
the same bytes for the same triples.

rdflib's JSON-LD writer gives expanded JSON-LD (full IRIs everywhere) with its nodes in set
order, which changes from run to run. Here the context's terms and prefixes compact the
document the way a JSON-LD processor compacts it for that context, and everything is sorted:
nodes by IRI, keys by name, values by their JSON text. The context travels inline (a processor
needs no network to read the file); ``context.jsonld`` beside a release is the same object.

Compaction rules used: a property with a term in the context is keyed by the term when the
value fits the term's type coercion (``@id`` for an IRI, the datatype for a literal) and by its
compact IRI otherwise; an IRI is written ``prefix:local`` where a context prefix is a namespace
of it; a value stands alone where it is the only one, else values form an array.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ..resources import resource_dir

__all__ = ["context", "to_jsonld"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@lru_cache(maxsize=1)
def context() -> dict[str, Any]:
    """The shipped JSON-LD context (the object under ``@context``)."""
    path = resource_dir("ontology") / "context.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


class _Compactor:
    def __init__(self, ctx: dict[str, Any]) -> None:
        self.prefixes: list[tuple[str, str]] = []
        #: property IRI -> (term, coercion: "@id", a datatype IRI, or None)
        self.terms: dict[str, tuple[str, str | None]] = {}
        for name, value in ctx.items():
            if isinstance(value, str) and value.endswith(("/", "#")):
                self.prefixes.append((name, value))
        # longest namespace first, so the most specific prefix wins
        self.prefixes.sort(key=lambda kv: (-len(kv[1]), kv[0]))
        for name, value in sorted(ctx.items()):
            if isinstance(value, str) and not value.endswith(("/", "#")):
                self.terms.setdefault(self.expand(value), (name, None))
            elif isinstance(value, dict) and "@id" in value:
                coercion = value.get("@type")
                self.terms.setdefault(self.expand(value["@id"]),
                                      (name, coercion if coercion == "@id" or coercion is None
                                       else self.expand(coercion)))

    def expand(self, value: str) -> str:
        head, sep, tail = value.partition(":")
        if sep and not tail.startswith("//"):
            for name, namespace in self.prefixes:
                if name == head:
                    return namespace + tail
        return value

    def iri(self, value: str) -> str:
        for name, namespace in self.prefixes:
            if value.startswith(namespace) and len(value) > len(namespace):
                return f"{name}:{value[len(namespace):]}"
        return value

    def node_id(self, term: Any) -> str:
        return f"_:{term}" if isinstance(term, BNode) else self.iri(str(term))

    def key_and_value(self, predicate: str, obj: Any) -> tuple[str, Any]:
        term, coercion = self.terms.get(predicate, (None, None))
        if isinstance(obj, (URIRef, BNode)):
            if term and coercion == "@id":
                return term, self.node_id(obj)
            return term if term and coercion is None else self.iri(predicate), \
                {"@id": self.node_id(obj)}
        assert isinstance(obj, Literal)
        datatype = str(obj.datatype) if obj.datatype else None
        if term and coercion not in (None, "@id") and datatype == coercion and not obj.language:
            return term, str(obj)
        key = term if term and coercion is None else self.iri(predicate)
        if obj.language:
            return key, {"@language": obj.language, "@value": str(obj)}
        if datatype is None or datatype == str(XSD.string):
            return key, str(obj)
        return key, {"@type": self.iri(datatype), "@value": str(obj)}


def _sort_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def to_jsonld(triples: Iterable[tuple[Any, Any, Any]]) -> str:
    """The triples as compacted JSON-LD (see the module docstring), ending in a newline."""
    ctx = context()
    compact = _Compactor(ctx)
    nodes: dict[Any, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        if str(p) == _RDF_TYPE and isinstance(o, URIRef):
            nodes[s]["@type"].append(compact.iri(str(o)))
            continue
        key, value = compact.key_and_value(str(p), o)
        nodes[s][key].append(value)
    graph = []
    for subject in sorted(nodes, key=lambda t: (isinstance(t, BNode), str(t))):
        node: dict[str, Any] = {"@id": compact.node_id(subject)}
        for key in sorted(nodes[subject], key=lambda k: (k != "@type", k)):
            values = sorted(nodes[subject][key], key=_sort_text)
            node[key] = values[0] if len(values) == 1 else values
        graph.append(node)
    return json.dumps({"@context": ctx, "@graph": graph}, indent=1, ensure_ascii=False) + "\n"
