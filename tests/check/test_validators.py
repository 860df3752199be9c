"""The two validators agree: pySHACL and the SPARQL compilation of the same shapes run on
Oxigraph (used for large graphs) report the same findings on every fixture and on the
shipped graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from normgraph import api
from normgraph.check import shacl_sparql
from normgraph.check.apart import checked_apart
from normgraph.check.shacl_sparql import (
    TurtleLoader,
    UnsupportedShape,
    compile_shapes,
    validate_triples,
)
from normgraph.check.validate import load_ontology, load_shapes, validate_graph
from normgraph.graph.dump import entry_line

ROOT = Path(__file__).resolve().parents[2]
GRAPHS = sorted((ROOT / "tests" / "check" / "shapes").glob("*.ttl")) + [ROOT / "data" / "normgraph.ttl"]


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


def _loaded(monkeypatch: pytest.MonkeyPatch, disk: bool, *pieces: str) -> TurtleLoader:
    monkeypatch.setattr(shacl_sparql, "DISK_FROM", 0 if disk else 10**12)
    loader = TurtleLoader(size=1)
    for piece in pieces:
        loader.feed(piece)
    return loader


@pytest.mark.parametrize("path", GRAPHS, ids=lambda p: p.name)
def test_an_on_disk_store_finds_the_same_as_one_in_memory(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # large graphs validate in a temporary on-disk store fed by one streamed bulk load
    ontology = (ROOT / "ontology" / "normgraph.ttl").read_text(encoding="utf-8")
    found = {}
    for disk in (False, True):
        loader = _loaded(monkeypatch, disk, path.read_text(encoding="utf-8"), ontology)
        try:
            found[disk] = _set(loader.finish())
            where = getattr(loader._tmp, "name", None)
        finally:
            loader.close()
        assert (where is not None) == disk
        if where:
            assert not Path(where).exists()  # the temporary store is removed
    assert found[True] == found[False]
    assert bool(found[True]) == path.name.endswith("-invalid.ttl")


def test_a_broken_piece_fails_the_on_disk_load_without_hanging(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pieces = ["<http://x/a> <http://x/p> <http://x/b> .\n", "<http://x/a> <http://x/p> ;;\n"] \
        + ["<http://x/c> <http://x/p> <http://x/d> .\n"] * 20  # more than the queue holds
    loader = _loaded(monkeypatch, True, *pieces)
    with pytest.raises(SyntaxError):
        loader.finish()
    loader.close()


def test_build_validated_on_disk_writes_the_same_dump(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from normgraph.graph import dump

    # subjects' entries are made for the checker apart, which only a graph validated on
    # disk has
    made = []
    monkeypatch.setattr(dump, "entry_line",
                        lambda *a, **k: made.append(1) or entry_line(*a, **k))
    memory = api.build(api.Paths(ROOT), out=tmp_path / "memory.ttl", validator="oxigraph")
    assert made == []
    monkeypatch.setattr(shacl_sparql, "DISK_FROM", 0)
    disk = api.build(api.Paths(ROOT), out=tmp_path / "disk.ttl", validator="oxigraph")
    assert made
    assert disk.report.conforms and _set(disk.report) == _set(memory.report)
    assert (tmp_path / "disk.ttl").read_bytes() == (tmp_path / "memory.ttl").read_bytes()


def _pieces(path: Path) -> list[str]:
    """The dump's body in small pieces (each ends with a whole subject block), as the build
    streams it."""
    from normgraph.graph.dump import turtle_chunks

    return list(turtle_chunks(Graph().parse(path, format="turtle"), chunk_bytes=20_000))


def _quads(store) -> set[str]:
    return {str(q) for q in store}


def test_a_callers_store_loaded_piece_by_piece_holds_exactly_the_graph(tmp_path: Path) -> None:
    # the build's local query store takes each piece in a bulk load of its own (one bulk load
    # of the whole stream buffers about a gigabyte): the pieces together make the dump's
    # graph, and nothing else (no lexical forms the validator would have added)
    import pyoxigraph as ox

    from normgraph.graph.dump import prefix_lines

    dump = ROOT / "data" / "normgraph.ttl"
    pieces = _pieces(dump)
    assert len(pieces) > 3
    expected = _quads(ox.parse(path=str(dump), format=ox.RdfFormat.TURTLE))
    for lexical in (True, False):
        store = ox.Store(str(tmp_path / f"db-{lexical}"))
        loader = TurtleLoader(prefix_lines(), store=store, lexical=lexical)
        for piece in pieces:
            loader.feed(piece)
        loader.end()
        assert _quads(store) == expected and len(expected) > 1000
        loader.close()


@pytest.mark.parametrize("checked", [False, True], ids=["queried", "checked-as-loaded"])
@pytest.mark.parametrize("path", GRAPHS, ids=lambda p: p.name)
def test_validation_on_a_callers_store_finds_the_same_and_leaves_only_the_graph(
        path: Path, checked: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a large build validates on its on-disk local query store (one load, not two): the same
    # findings as in memory, and afterwards the store holds the data fed, no scratch graph;
    # given the class hierarchy, as a build gives it, the constraints on a node's own triples
    # are checked as each piece loads
    import pyoxigraph as ox

    monkeypatch.setattr(shacl_sparql, "REMOVE_BATCH", 7)  # several batches even here
    ontology = (ROOT / "ontology" / "normgraph.ttl").read_text(encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    memory = _loaded(monkeypatch, False, text, ontology)
    try:
        expected = _set(memory.finish())
    finally:
        memory.close()
    store = ox.Store(str(tmp_path / "db"))
    loader = TurtleLoader(store=store, hierarchy=load_ontology() if checked else None)
    assert (loader._local is not None) == checked
    for piece in (text, ontology):
        loader.feed(piece)
    try:
        assert _set(loader.finish()) == expected
    finally:
        loader.close()
    fed = ox.Store()
    for piece in (text, ontology):
        fed.load(piece.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    assert _quads(store) == _quads(fed)
    assert not list(store.named_graphs())
    assert bool(expected) == path.name.endswith("-invalid.ttl")


def test_a_loader_without_lexical_forms_does_not_validate(tmp_path: Path) -> None:
    import pyoxigraph as ox

    loader = TurtleLoader(store=ox.Store(str(tmp_path / "db")), lexical=False)
    with pytest.raises(ValueError):
        loader.finish()
    loader.close()


def test_a_broken_piece_fails_a_callers_store_without_hanging(tmp_path: Path) -> None:
    import pyoxigraph as ox

    pieces = ["<http://x/a> <http://x/p> <http://x/b> .\n", "<http://x/a> <http://x/p> ;;\n"] \
        + ["<http://x/c> <http://x/p> <http://x/d> .\n"] * 20  # more than the queue holds
    loader = TurtleLoader(store=ox.Store(str(tmp_path / "db")))
    for piece in pieces:
        loader.feed(piece)
    with pytest.raises(SyntaxError):
        loader.end()
    loader.close()


def _shapes_with(extra: str) -> Graph:
    return load_shapes().parse(data=PREFIXES + extra, format="turtle")


PREFIXES = """
@prefix ex: <http://example.org/v#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def test_pieces_checked_as_loaded_match_the_queries_piece_by_piece(tmp_path: Path) -> None:
    # the shipped dump in the small pieces of whole subject blocks a build streams, with
    # a node in violation of a count, a datatype, a pattern and a class: the findings of the
    # pieces checked as they load are those of the queries on the same store, whether the
    # checker apart reads the Turtle or the entries the dump's writer gives with it
    import pyoxigraph as ox

    from normgraph.graph.dump import prefix_lines, turtle_pieces

    bad = ("@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
           "<https://w3id.org/normgraph/instrument/bad> a <https://w3id.org/normgraph/"
           "ontology#Instrument> ; <http://data.europa.eu/eli/ontology#id_local> \"x y\" , "
           "\"A/RES/1/1\" ; <https://w3id.org/normgraph/ontology#session> \"ten\"^^"
           "xsd:integer ; <http://data.europa.eu/eli/ontology#date_document> \"2020\\t1\"^^"
           "xsd:date ; <http://purl.org/dc/terms/title> \"A \\\"title\\\"\\n\"@en ; "
           "<http://data.europa.eu/eli/ontology#has_part> "
           "<https://w3id.org/normgraph/instrument/nowhere> .\n")
    graph = Graph().parse(ROOT / "data" / "normgraph.ttl", format="turtle")
    graph.parse(data=bad, format="turtle")
    pieces = list(turtle_pieces(graph, chunk_bytes=20_000))
    found = {}
    for checked in ("queried", "in-thread", "apart", "apart, entries"):
        loader = TurtleLoader(
            prefix_lines(), store=ox.Store(str(tmp_path / f"db-{checked}")),
            hierarchy=load_ontology() if checked == "in-thread" else None,
            apart=checked_apart(load_shapes(), load_ontology(), prefix_lines())
            if checked.startswith("apart") else None)
        for piece, entries in pieces:
            loader.feed(piece, entries if checked == "apart, entries" else None)
        try:
            found[checked] = _set(loader.finish())
        finally:
            loader.close()
    assert found["in-thread"] == found["queried"] == found["apart"] == found["apart, entries"]
    assert {(f[1], f[2]) for f in found["apart, entries"]} >= {
        ("https://w3id.org/normgraph/instrument/bad", "eli:id_local"),
        ("https://w3id.org/normgraph/instrument/bad", "ng:session"),
        ("https://w3id.org/normgraph/instrument/bad", "eli:date_document"),
        ("https://w3id.org/normgraph/instrument/bad", "eli:has_part")}


def test_rendered_text_is_read_back_as_the_term_it_renders() -> None:
    # what a checker reading entries makes of each term the dump's writer renders
    import pyoxigraph as ox
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from normgraph.check.local import RenderedTerms
    from normgraph.graph.dump import _prefixes, ntriples_term, render_term

    terms = [URIRef("https://w3id.org/normgraph/id/A/RES/75/240"),
             URIRef("https://w3id.org/normgraph/norm/13a"),
             URIRef("http://example.org/not-prefixed#x"),
             URIRef("https://w3id.org/normgraph/id/7"),
             Literal("plain"), Literal("Title", lang="en"), Literal("fr", lang="fr-CA"),
             Literal("12", datatype=XSD.integer), Literal("-3", datatype=XSD.integer),
             Literal("012", datatype=XSD.integer), Literal("1.5", datatype=XSD.decimal),
             Literal("2020-12-31", datatype=XSD.date),
             Literal("a\\u0041 \"q\" \n\r\t end \U0001F600"),
             Literal("ends with a backslash \\"),
             Literal("x", datatype=URIRef("http://example.org/dt"))]
    reader = RenderedTerms(dict(_prefixes()))
    for term in terms:
        expected = next(iter(ox.parse(f"<http://s> <http://p> {ntriples_term(term)} .",
                                      format=ox.RdfFormat.N_TRIPLES))).object
        assert reader.term(render_term(term)) == expected, term
    assert reader.iri("\x01a") == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert reader.iri(render_term(URIRef("http://purl.org/dc/terms/title"))) == \
        "http://purl.org/dc/terms/title"


def test_a_class_met_after_the_pieces_it_would_change_is_an_error() -> None:
    # a node's classes are read through the hierarchy known when its piece is checked: an
    # rdfs:subClassOf triple coming later could have made it a focus node, so it fails
    loader = TurtleLoader(hierarchy=Graph())
    loader.feed("<http://x/a> a <http://x/Sub> .\n")
    loader.feed("<http://x/Sub> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
                "<https://w3id.org/normgraph/ontology#Resolution> .\n")
    try:
        with pytest.raises(ValueError, match="rdfs:subClassOf"):
            loader.finish()
    finally:
        loader.close()


def test_shapes_mixing_classes_and_datatypes_in_an_or_are_all_queried() -> None:
    # an sh:or of a class and a datatype on a value reads the store's values as written: the
    # loader then keeps them and checks nothing as it loads
    shapes = _shapes_with("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ "
                          "sh:path ex:p ; sh:or ( [ sh:class ex:D ] [ sh:datatype xsd:date ] ) ] .")
    loader = TurtleLoader(hierarchy=Graph(), shapes=shapes)
    loader.feed(PREFIXES + "ex:a a ex:C ; ex:p \"2020-02-30\"^^xsd:date , ex:b .\n")
    try:
        assert loader._local is None
        found = {(f.focus, f.path) for f in loader.finish(shapes).findings}
        assert found == {("http://example.org/v#a", "http://example.org/v#p")}
    finally:
        loader.close()


def test_a_values_class_is_read_wherever_the_value_stands(tmp_path: Path) -> None:
    # checked as the pieces load, a value's class comes from its own subject, met in an
    # earlier piece, a later one or none: the findings are pySHACL's on the whole graph, and
    # those of the queries on the store
    shapes = _shapes_with(
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
        "sh:property [ sh:path ex:p ; sh:class ex:D ; sh:message \"p: a D\" ] ; "
        "sh:property [ sh:path ex:q ; sh:or ( [ sh:class ex:D ] [ sh:class ex:E ] ) ; "
        "sh:message \"q: a D or an E\" ] .")
    hierarchy = "ex:Sub rdfs:subClassOf ex:D .\n"
    pieces = [
        "ex:a1 a ex:D .\n ex:a2 a ex:E .\n",  # met before the nodes that name them
        "ex:n1 a ex:C ; ex:p ex:a1 , ex:z1 ; ex:q ex:a2 .\n"  # z1: met later, a Sub: passes
        "ex:n2 a ex:C ; ex:p ex:a2 .\n"  # a2 is an E: fails
        "ex:n3 a ex:C ; ex:p ex:z2 ; ex:q ex:z3 .\n"  # z2 later as an E: fails; z3 passes
        "ex:n4 a ex:C ; ex:p ex:nowhere .\n"  # never a subject: fails
        "ex:n5 a ex:C ; ex:p \"a literal\" ; ex:q ex:untyped .\n"  # both fail
        "ex:n6 a ex:C ; ex:q ex:z4 , ex:a1 .\n",  # z4 later, of no class named: fails
        "ex:z1 a ex:Sub .\n ex:z2 a ex:E .\n ex:z3 a ex:E .\n ex:z4 a ex:C .\n"
        "ex:untyped ex:p ex:a1 .\n",
    ]
    graph = Graph().parse(data=PREFIXES + hierarchy + "".join(pieces), format="turtle")
    expected = _set(validate_graph(graph, shapes, Graph().parse(
        data=PREFIXES + hierarchy, format="turtle")))
    assert {(f[1].rsplit("#")[-1], f[2].rsplit("#")[-1]) for f in expected} == {
        ("n2", "p"), ("n3", "p"), ("n4", "p"), ("n5", "p"), ("n5", "q"), ("n6", "q")}
    found = {}
    for checked in (False, True):
        loader = TurtleLoader(PREFIXES, shapes=shapes, hierarchy=Graph().parse(
            data=PREFIXES + hierarchy, format="turtle") if checked else None)
        assert (loader._local is not None) == checked
        for piece in (hierarchy, *pieces):
            loader.feed(piece)
        try:
            found[checked] = _set(loader.finish(shapes))
        finally:
            loader.close()
    assert found[True] == found[False] == expected


def test_a_checker_process_that_dies_is_a_one_line_error(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from normgraph.graph.dump import prefix_lines

    apart = checked_apart(load_shapes(), load_ontology(), prefix_lines())
    assert apart is not None
    loader = TurtleLoader(prefix_lines(), store=ox.Store(str(tmp_path / "db")), apart=apart)
    try:
        loader.feed("<http://x/a> <http://x/p> <http://x/b> .\n")
        apart._proc.kill()  # as the kernel's OOM killer would
        for _ in range(8):  # more than the queues hold: feeding must not hang
            loader.feed("<http://x/c> <http://x/p> <http://x/d> .\n")
        with pytest.raises(RuntimeError, match="^the validation process ended: killed by signal 9"):
            loader.finish()
    finally:
        loader.close()
    assert apart._proc.poll() is not None


def test_values_asked_together_keep_every_character_they_are_written_with() -> None:
    # a piece's value tests go to Oxigraph many values to a query, each value written in
    # the query's text: a backslash before "u", a quote, a line break, a character past the
    # BMP or a language tag must reach the test as it was, so that loaded and queried agree
    shapes = _shapes_with('ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ '
                          'sh:path ex:p ; sh:pattern "^a[^\\\\\\\\]*$" ] .')
    values = ['a\\u0022b', 'a\\u005Cb', 'ab\\\\u0041', 'a"quoted"', 'a\nb', 'a\U0001F600',
              'b', 'A', 'a\\\\b']
    written = {  # each value as Turtle writes it, and whether it starts "a" with no backslash
        f"ex:n{i}": (json.dumps(v, ensure_ascii=False), v.startswith("a") and "\\" not in v)
        for i, v in enumerate(values)}
    data = "".join(f'{node} a ex:C ; ex:p {text} .\n' for node, (text, _) in written.items())
    data += 'ex:lang a ex:C ; ex:p "a"@en-GB , "A"@en .\n'
    expected = {f"http://example.org/v#{node[3:]}" for node, (_, ok) in written.items()
                if not ok} | {"http://example.org/v#lang"}
    found = {}
    for checked in ("queried", "as loaded"):
        loader = TurtleLoader(hierarchy=Graph() if checked == "as loaded" else None,
                              shapes=shapes)
        assert (loader._local is not None) == (checked == "as loaded")
        loader.feed(PREFIXES + data)
        try:
            found[checked] = {f.focus for f in loader.finish(shapes).findings
                              if f.path == "http://example.org/v#p"}
        finally:
            loader.close()
    assert found["as loaded"] == found["queried"] == expected
