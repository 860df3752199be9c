"""The compiled validator and pySHACL on SHACL Core test cases, one file per feature that
``ontology/shapes.ttl`` uses, laid out as the W3C data-shapes test suite lays out its cases
(that suite is not reachable from here, so these are written for normgraph): each file is a
manifest whose one entry validates the file against itself and states the expected report.
Both engines must give the expected results (focus node, path, severity); a shapes graph using
a feature the compiled validator does not implement is refused, never half-checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from normgraph.check.apart import checked_apart
from normgraph.check.shacl_sparql import (
    TurtleLoader,
    UnsupportedShape,
    compile_shapes,
    validate_triples,
    validate_turtle,
)
from normgraph.check.validate import _short, validate_graph

CASES = sorted((Path(__file__).parent / "core").glob("*.ttl"))
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


def _expected(g: Graph) -> tuple[bool, set[tuple[str, str, str]]]:
    """(conforms, results) of the manifest's one entry, which validates the file itself."""
    manifest = g.value(predicate=RDF.type, object=MF.Manifest)
    (entry,) = Collection(g, g.value(manifest, MF.entries))
    action = g.value(entry, MF.action)
    assert g.value(action, SHT.dataGraph) == g.value(action, SHT.shapesGraph) == manifest
    report = g.value(entry, MF.result)
    results = {(str(g.value(r, SH.focusNode)), _short(g.value(r, SH.resultPath)),
                str(g.value(r, SH.resultSeverity)).rsplit("#", 1)[-1])
               for r in g.objects(report, SH.result)}
    return g.value(report, SH.conforms).toPython(), results


def _found(report) -> tuple[bool, set[tuple[str, str, str]]]:
    return report.conforms, {(f.focus, f.path, f.severity) for f in report.findings}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_both_engines_give_the_expected_report(path: Path) -> None:
    g = Graph().parse(path, format="turtle", publicID=path.as_uri())
    expected = _expected(g)
    assert _found(validate_graph(g, shapes=g, ontology=Graph())) == expected, "pySHACL"
    assert _found(validate_triples(g, shapes=g, ontology=Graph())) == expected, "compiled"
    # as the build feeds it: the file's text, parsed by Oxigraph, not by rdflib
    assert _found(validate_turtle(path.read_text(encoding="utf-8"), shapes=g)) == expected, \
        "compiled, from Turtle"
    # on disk, as a large or streamed build is validated: sh:maxCount 1 then looks for two
    # different values instead of counting each node's
    loader = TurtleLoader(disk=True)
    try:
        loader.feed(path.read_text(encoding="utf-8"))
        assert _found(loader.finish(shapes=g)) == expected, "compiled, on disk"
    finally:
        loader.close()
    # as a streamed build validates: the constraints on a node's own triples checked in
    # Python as the piece loads, the others (a value's class, SPARQL) queried on disk
    loader = TurtleLoader(disk=True, hierarchy=Graph(), shapes=g)
    try:
        assert loader._local is not None
        loader.feed(path.read_text(encoding="utf-8"))
        assert _found(loader.finish()) == expected, "checked as loaded, on disk"
    finally:
        loader.close()
    # and so checked in a process of its own, as a streamed build does
    apart = checked_apart(g, Graph(), "")
    assert apart is not None
    loader = TurtleLoader(disk=True, apart=apart)
    try:
        loader.feed(path.read_text(encoding="utf-8"))
        assert _found(loader.finish()) == expected, "checked apart, on disk"
    finally:
        loader.close()


PREFIXES = """
@prefix ex: <http://example.org/core#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

UNSUPPORTED = {
    "a top-level property shape": "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; "
                                  "sh:path ex:p ; sh:minCount 1 .",
    "a shape not typed sh:NodeShape": "ex:S sh:targetClass ex:C ; "
                                      "sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
    "a path outside sh:property": "ex:S a sh:NodeShape ; sh:targetClass ex:C . "
                                  "ex:T sh:path ex:p ; sh:minCount 1 .",
    "sh:targetNode": "ex:S a sh:NodeShape ; sh:targetNode ex:a ; "
                     "sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
    "sh:targetObjectsOf": "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:class ex:C .",
    "sh:flags": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
                "sh:property [ sh:path ex:p ; sh:pattern \"^a\" ; sh:flags \"i\" ] .",
    "a sequence path": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
                       "sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .",
    "sh:nodeKind sh:Literal": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
                              "sh:property [ sh:path ex:p ; sh:nodeKind sh:Literal ] .",
    "sh:qualifiedMinCount": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
                            "sh:property [ sh:path ex:p ; sh:qualifiedMinCount 1 ] .",
    "$currentShape": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "
                     "\"SELECT $this WHERE { $this ex:p $currentShape }\" ] .",
    "$shapesGraph": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "
                    "\"SELECT $this WHERE { GRAPH $shapesGraph { $this ex:p ?o } }\" ] .",
    "sh:ask": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:ask \"ASK {}\" ] .",
    "a datatype without a checked lexical space": "ex:S a sh:NodeShape ; sh:targetClass ex:C "
                                                  "; sh:property [ sh:path ex:p ; "
                                                  "sh:datatype xsd:gYear ] .",
}


@pytest.mark.parametrize("shapes", UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
def test_an_unsupported_feature_refuses_the_shapes(shapes: str) -> None:
    g = Graph().parse(data=PREFIXES + shapes, format="turtle")
    with pytest.raises(UnsupportedShape):
        compile_shapes(g)
    with pytest.raises(UnsupportedShape):
        validate_triples([(URIRef("http://example.org/core#a"), RDF.type,
                           URIRef("http://example.org/core#C"))], shapes=g, ontology=Graph())
