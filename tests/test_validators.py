"""The two validators agree: pySHACL and the SPARQL compilation of the same shapes run on
Oxigraph (used for large graphs) report the same findings on every fixture and on the
shipped graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from normgraph import api
from normgraph.shacl_sparql import UnsupportedShape, compile_shapes, validate_triples
from normgraph.validate import validate_graph

ROOT = Path(__file__).resolve().parents[1]
GRAPHS = sorted((ROOT / "tests" / "shapes").glob("*.ttl")) + [ROOT / "data" / "normgraph.ttl"]


def _set(report) -> set[tuple[str, str, str, str]]:
    return {(f.severity, f.focus, f.path, f.message) for f in report.findings}


@pytest.mark.parametrize("path", GRAPHS, ids=lambda p: p.name)
def test_same_findings(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    assert _set(validate_triples(g)) == _set(validate_graph(g))


def test_invalid_fixtures_are_caught_by_both() -> None:
    for path in GRAPHS:
        if path.name.endswith("-invalid.ttl"):
            assert _set(validate_triples(Graph().parse(path, format="turtle"))), path.name


def test_an_unsupported_construct_is_refused() -> None:
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://x/S> a sh:NodeShape ; sh:targetClass <http://x/C> ;
            sh:property [ sh:path <http://x/p> ; sh:qualifiedMinCount 1 ] .
    """, format="turtle")
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)


def test_build_with_either_validator_gives_the_same_dump(tmp_path: Path) -> None:
    a = api.build(api.Paths(ROOT), out=tmp_path / "a.ttl", validator="pyshacl")
    b = api.build(api.Paths(ROOT), out=tmp_path / "b.ttl", validator="oxigraph")
    assert _set(a.report) == _set(b.report)
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()
