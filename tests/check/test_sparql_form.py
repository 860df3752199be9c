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
