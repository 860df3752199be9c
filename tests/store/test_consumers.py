"""Independent consumers: the dump and its exports read by parsers other than rdflib
(Oxigraph's, Raptor's rapper) give graphs isomorphic to rdflib's."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from normgraph.graph.dump import serialize

ROOT = Path(__file__).resolve().parents[2]
DUMP = ROOT / "data" / "normgraph.ttl"


@pytest.fixture(scope="module")
def reference() -> Graph:
    return Graph().parse(DUMP, format="turtle")


@pytest.fixture(scope="module")
def exports(reference: Graph, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    out = {"ttl": DUMP}
    for fmt in ("nt", "jsonld"):
        path = folder / f"normgraph.{fmt}"
        path.write_text(serialize(reference, fmt), encoding="utf-8")
        out[fmt] = path
    return out


def _term(t):
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value if t.datatype else None
        return Literal(t.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
    raise AssertionError(f"unexpected term {t!r} (the data has no blank nodes)")


OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
              "jsonld": ox.RdfFormat.JSON_LD}


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_oxigraph_reads_an_isomorphic_graph(fmt: str, exports, reference: Graph) -> None:
    g = Graph()
    for triple in ox.parse(path=str(exports[fmt]), format=OX_FORMATS[fmt]):
        g.add((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
    assert len(g) == len(reference)
    assert isomorphic(g, reference)


@pytest.mark.parametrize(("fmt", "syntax"), [("ttl", "turtle"), ("nt", "ntriples")])
def test_rapper_reads_an_isomorphic_graph(fmt: str, syntax: str, exports,
                                          reference: Graph) -> None:
    if shutil.which("rapper") is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    proc = subprocess.run(["rapper", "-q", "-i", syntax, "-o", "ntriples", str(exports[fmt])],
                          capture_output=True, check=True)
    g = Graph().parse(data=proc.stdout.decode("utf-8"), format="nt")
    assert len(g) == len(reference)
    assert isomorphic(g, reference)
