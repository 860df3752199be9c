"""The form of a SPARQL text (query or update, SERVICE, nesting) and a variable pre-bound, read
from its tokens; and the link index written under a temporary name of its own."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from normgraph import api

QUERIES = [
    ("SELECT ?add WHERE { ?add a ?t }", "SELECT"),
    ("PREFIX insert: <http://x/> SELECT * WHERE { ?s insert:p ?o }", "SELECT"),
    ("base <http://x/> prefix drop: <y> ASK { ?s drop:p 'INSERT' }", "ASK"),
    ("# DELETE WHERE { ?s ?p ?o }\nCONSTRUCT WHERE { ?s <urn:x:DROP> ?o }", "CONSTRUCT"),
    ('DESCRIBE ?s WHERE { ?s ?p """LOAD\n<x>""" }', "DESCRIBE"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    ("PREFIX select: <urn:x:> DELETE WHERE { ?s select:p ?o }", "DELETE"),
    ("with <urn:g> delete { ?s ?p ?o } where { ?s ?p ?o }", "WITH"),
    ("LOAD <http://example.org/x>", "LOAD"),
    ("  clear default", "CLEAR"),
    ("drop all ; select", "DROP"),
    ("PREFIX x <y> SELECT", ""),
    ("", ""),
]


@pytest.mark.parametrize(("text", "form"), QUERIES)
def test_the_form_is_the_first_word_after_the_prologue(text: str, form: str) -> None:
    got = api.form_of(text)
    assert got.form == form
    assert got.update is (form in ("INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "DROP"))
    assert api.is_update(text) is got.update


def test_service_and_depth_are_read_from_tokens() -> None:
    assert api.form_of("SELECT * { SERVICE <http://a/> { ?s ?p ?o } }").service
    assert api.form_of("select * { service silent ?g { ?s ?p ?o } }").service
    for text in ("SELECT * { ?s <http://x/SERVICE> 'SERVICE' } # SERVICE",
                 "PREFIX service: <urn:x:> SELECT * { ?s service:p ?service }"):
        assert not api.form_of(text).service
    assert api.form_of("SELECT * { { ?s ?p ?o FILTER((1)) } }").depth == 4
    assert api.form_of("SELECT * WHERE " + "{" * 5000 + "}" * 5000).depth == 5000
    assert api.form_of("SELECT * { ?s ?p '{{{{' }").depth == 1


@pytest.mark.parametrize("unit", ["a-a.", "<a", "'a", "'''a", '"', "?a?1."])
def test_reading_is_linear_in_the_text(unit: str) -> None:
    """Hostile runs that would be rescanned at each token if a pattern backtracked: ten
    times the text may take at most 40 times as long (quadratic would be 100)."""
    def seconds(n: int) -> float:
        text = "SELECT * { " + unit * n
        started = time.perf_counter()
        api.form_of(text)
        return time.perf_counter() - started

    # interleaved, best of four each, so that a burst of load elsewhere hits both sizes
    runs = [(seconds(2_000), seconds(20_000)) for _ in range(4)]
    small = min(r[0] for r in runs)
    large = min(r[1] for r in runs)
    assert large < 40 * max(small, 0.01)


def test_link_index_from_many_threads_at_once(tmp_path: Path) -> None:
    """Each writer of links.json has a temporary file of its own (it used to be named by the
    process id, so threads of one process, the server's, removed each other's)."""
    store = api.open_store(Path(__file__).resolve().parents[2] / "data" / "normgraph.ttl")
    home = store.home
    store.link_index()
    errors: list[BaseException] = []

    def rebuild() -> None:
        try:
            for _ in range(5):
                fresh = api.open_store(store.dump)
                (home / "links.json").unlink(missing_ok=True)
                assert fresh.link_index()["links"]
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=rebuild) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert not list(home.glob("links.json*.tmp"))


def test_prebind_puts_the_term_wherever_the_variable_is() -> None:
    from normgraph.check.sparql_form import prebind

    query = ('PREFIX ex: <urn:x:> SELECT DISTINCT $this ?path WHERE { $this ?path ?o . '
             'FILTER NOT EXISTS { ?this ex:p "?this $this" } } # $this')
    got = prebind(query, "this", "<urn:x:a>")
    assert "$this" not in got.replace('"?this $this"', "").replace("# $this", "")
    assert got.count("<urn:x:a>") == 2 and '"?this $this"' in got
    assert got.split("WHERE")[0].split() == ["PREFIX", "ex:", "<urn:x:>", "SELECT", "DISTINCT",
                                             "?path"]
    assert "SELECT  *" in prebind("SELECT ?this { ?this ?p ?o }", "this", "<urn:x:a>")
    assert prebind("SELECT ?thisOne { ?thisOne ?p ?o }", "this", "<a>").count("?thisOne") == 2


#: constraint bodies, and whether one query on every focus node gives what pre-binding gives
CONSTRAINTS = [
    ("SELECT $this WHERE { $this <urn:x:cites> ?o }", True),
    ("SELECT DISTINCT $this ?path WHERE { $this ?path ?o . FILTER(?path = <urn:x:cites>) }",
     True),
    ("SELECT $this WHERE { ?o <urn:x:cites> $this }", True),
    ("SELECT $this WHERE { $this <urn:x:cites>+ ?o FILTER(?o = $this) }", True),
    ("SELECT $this WHERE { $this <urn:x:title> ?t FILTER NOT EXISTS { ?c <urn:x:cites> ?x "
     "FILTER(?x = $this && ?c != $this) } }", True),
    ("PREFIX ex: <urn:x:> SELECT $this WHERE { $this ex:title \"}\" } # }", True),
    ("SELECT $this WHERE { $this <urn:x:cites> [ <urn:x:title> ?t ] }", True),
    ("SELECT $this WHERE { FILTER NOT EXISTS { $this <urn:x:title> ?t } }", False),
    ("SELECT $this WHERE { OPTIONAL { $this <urn:x:date> ?d } FILTER(!BOUND(?d)) }", False),
    ("SELECT $this WHERE { { $this <urn:x:title> ?t } UNION { $this <urn:x:date> ?t } }", False),
    ("SELECT $this WHERE { $this <urn:x:cites> ?o MINUS { ?o <urn:x:title> ?t } }", False),
    ("SELECT $this WHERE { $this <urn:x:cites> ?o BIND(1 AS ?n) }", False),
    ("SELECT $this WHERE { $this <urn:x:cites> ?o VALUES ?o { <urn:x:b> } }", False),
    ("SELECT $this WHERE { $this <urn:x:cites> ?o } VALUES ?o { <urn:x:b> }", False),
    ("SELECT $this WHERE { $this <urn:x:cites> ?o } LIMIT 1", False),
    ("SELECT $this (COUNT(?o) AS ?n) WHERE { $this <urn:x:cites> ?o } GROUP BY $this", False),
    ("SELECT * WHERE { $this <urn:x:cites> ?o }", False),
    ("SELECT $this WHERE { GRAPH ?g { $this <urn:x:cites> ?o } }", False),
    ("SELECT $this WHERE { $this <urn:x:cites> ?o FILTER EXISTS { SELECT ?o WHERE { ?o ?p ?q } "
     "} }", False),
    ("SELECT $this WHERE { $this <urn:x:cites> ?o { ?o <urn:x:title> ?t } }", False),
    ("SELECT $this WHERE { $this <urn:x:cites> ( ?o ) }", False),
    ("SELECT $this WHERE { ?x <urn:x:cites> ?o FILTER(?x = $this) }", False),
]
GRAPH = """
<urn:x:a> a <urn:x:Doc> ; <urn:x:title> "A" ; <urn:x:cites> <urn:x:b> .
<urn:x:b> a <urn:x:Doc> ; <urn:x:title> "}" ; <urn:x:date> "2021" ; <urn:x:cites> <urn:x:c> .
<urn:x:c> a <urn:x:Doc> ; <urn:x:cites> <urn:x:b> , <urn:x:c> .
<urn:x:d> a <urn:x:Doc> ; <urn:x:title> "D" .
<urn:x:e> <urn:x:title> "E" ; <urn:x:cites> <urn:x:a> , <urn:x:e> .
"""


@pytest.mark.parametrize(("body", "joined"), CONSTRAINTS)
def test_a_constraint_joined_with_its_focus_nodes_finds_what_pre_binding_finds(
        body: str, joined: bool) -> None:
    import pyoxigraph as ox

    from normgraph.check.sparql_form import on_focus, prebind

    store = ox.Store()
    store.load(GRAPH.encode(), format=ox.RdfFormat.TURTLE)
    focus = "?this a <urn:x:Doc> ."
    query = on_focus(body, "this", focus)
    assert (query is not None) is joined
    if query is None:
        return
    rows = store.query(query)
    named = [v.value for v in rows.variables]
    assert named[0] == "this"
    got = {(row["this"].value, *(str(row[n]) for n in named[1:])) for row in rows}
    # each focus node in its place, as SHACL pre-binds $this (prebind projects * when the
    # constraint projects $this alone: the other columns are read by name)
    expected = set()
    for node in [row["this"] for row in store.query(f"SELECT ?this WHERE {{ {focus} }}")]:
        expected |= {(node.value, *(str(row[n]) for n in named[1:]))
                     for row in store.query(prebind(body, "this", str(node)))}
    assert got == expected
    assert expected  # the graph gives each form findings: the test can fail


def test_the_shipped_sparql_constraints_are_each_one_query() -> None:
    # every sh:sparql of ontology/shapes.ttl has the joined form: none is asked once a node
    from normgraph.check.shacl_sparql import compile_shapes
    from normgraph.check.validate import load_shapes

    queries = [q for q, *_ in compile_shapes(load_shapes())]
    assert not [q for q in queries if q.startswith("FOCUS ")]
    assert any("prov:wasDerivedFrom" in q for q in queries)
