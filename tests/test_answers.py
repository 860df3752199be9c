"""Answers: the canned queries on the shipped graph, the lineage command, thematic views,
networkx views, pictures, and the same rows from a real Oxigraph server."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from normgraph.answer.lineage import lineage
from normgraph.cli import app
from normgraph.store.catalogue import ParameterError, bind, get_query, load_queries, run
from normgraph.store.terms import Term, bind_values
from normgraph.store.triplestore import LocalStore, RemoteStore

ROOT = Path(__file__).resolve().parents[1]
DUMP = ROOT / "data" / "normgraph.ttl"
runner = CliRunner()

#: parameters for the canned queries that need them (the examples of their headers)
EXAMPLES = {name: {p.name: p.example for p in q.params if p.example}
            for name, q in load_queries().items()}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> LocalStore:
    return LocalStore(DUMP, cache=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def rdf() -> Graph:
    return Graph().parse(DUMP, format="turtle")


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--dump", str(DUMP)])
    return result.exit_code, result.stdout, result.stderr


# -- the catalogue -------------------------------------------------------------------------------

def test_every_query_has_a_header_and_declares_its_parameters() -> None:
    queries = load_queries()
    assert {"lineage", "descendants", "path", "instrument", "norms", "principles",
            "recommendations", "theme", "timeline", "bodies", "most-cited"} <= set(queries)
    for q in queries.values():
        assert q.summary, q.name
        for p in q.params:
            assert f"?{p.name}" in q.text, (q.name, p.name)  # bound, so it must be used
            assert p.example, (q.name, p.name)


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_each_canned_query_returns_rows_on_the_shipped_graph(store, name: str) -> None:
    result = run(store, name, EXAMPLES[name])
    assert result.rows, name
    assert set(result.columns) >= set(result.rows[0])


def test_lineage_rows_state_relation_paragraph_and_dates(store) -> None:
    rows = run(store, "lineage", {"root": "80/16"}).rows
    links = {(r["fromSymbol"], r["relation"], r["toSymbol"], r["paragraph"]) for r in rows}
    assert ("A/RES/80/16", "endorses", "A/80/257", "1") in links
    assert ("A/RES/80/16", "recalls", "A/RES/79/237", "pp2") in links
    assert ("A/RES/79/237", "endorses", "A/79/214", "1") in links
    dates = {r["toSymbol"]: r["toDate"] for r in rows}
    assert dates["A/RES/75/240"] == "2020-12-31"
    assert dates["A/DEC/78/541"] == "2023-12-22"


def test_norms_query_names_the_source_paragraph_and_restatements(store) -> None:
    rows = run(store, "norms").rows
    assert {r["notation"] for r in rows} == {f"13({c})" for c in "abcdefghijk"}
    f = [r for r in rows if r["notation"] == "13(f)"]
    assert f[0]["sourceSymbol"] == "A/70/174" and f[0]["sourceParagraph"] == "13 (f)"
    assert ("A/75/816", "31") in {(r["restatedIn"], r["restatedParagraph"]) for r in f}
    restated_i = {r["restatedParagraph"] for r in rows if r["notation"] == "13(i)"}
    assert "28" in restated_i


def test_principles_come_in_three_groups(store) -> None:
    rows = run(store, "principles").rows
    assert len(rows) == 10
    groups = {r["groupLabel"] for r in rows}
    assert groups == {"Process and Purpose", "Partnerships", "People"}


def test_recommendations_by_pillar(store, rdf) -> None:
    every = run(store, "recommendations").rows
    assert len(every) == 23
    cb = run(store, "recommendations", {"pillar": "capacity-building"}).rows
    assert [r["paragraph"] for r in cb] == ["63", "64", "65", "66", "67"]
    assert {r["pillarLabel"] for r in cb} == {"Capacity-building"}


def test_timeline_is_ordered_by_date(store) -> None:
    dates = [r["date"] for r in run(store, "timeline").rows]
    assert dates == sorted(dates) and "2025-12-01" in dates


def test_bodies_name_their_establishing_resolutions(store) -> None:
    rows = run(store, "bodies").rows
    est = {(r["label"], r["symbol"]) for r in rows if r["relation"] == "established by"}
    assert any(sym == "A/RES/75/240" and "2021-2025" in label for label, sym in est)
    assert any(sym == "A/RES/73/27" for _label, sym in est)


def test_most_cited_counts_the_instruments_that_cite_each(store) -> None:
    """Each row counts the distinct instruments whose paragraphs cite the symbol (as the
    whole citation network, the `links` query, says), most cited first."""
    rows = run(store, "most-cited").rows
    counts = [int(r["instruments"]) for r in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    citing: dict[str, set[str]] = {}
    for r in run(store, "links").rows:
        citing.setdefault(r["toSymbol"], set()).add(r["fromSymbol"])
    assert {r["symbol"]: int(r["instruments"]) for r in rows} == {
        symbol: len(froms) for symbol, froms in citing.items()}


# -- parameters are bound, never pasted ---------------------------------------------------------

@pytest.mark.parametrize("value", ['80/16"} DROP ALL {', "A/RES/80/16>", "x\ny", "", "}" * 3,
                                   "a" * 1000, "DROP ALL", "13(z)"])
def test_malformed_parameters_are_rejected(value: str) -> None:
    with pytest.raises(ParameterError):
        bind(get_query("lineage"), {"root": value})


def test_unknown_and_missing_parameters_are_rejected() -> None:
    with pytest.raises(ParameterError, match="no parameter"):
        bind(get_query("lineage"), {"nope": "1"})
    with pytest.raises(ParameterError, match="needs --param root"):
        bind(get_query("lineage"), {})


def test_a_string_parameter_with_quotes_is_a_literal_not_sparql(store) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?label } LIMIT 5"
    hostile = Term('x" } ; DROP ALL ; SELECT * { "', "literal")
    assert store.select(query.replace("SELECT ?s", "SELECT ?s ?label"),
                        {"label": hostile}).rows == []
    # the VALUES form used for remote endpoints: one literal, matched exactly
    import pyoxigraph as ox

    mem = ox.Store()
    mem.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"),
                    ox.Literal(hostile.value)))
    rows = list(mem.query(bind_values(query, {"label": hostile})))
    assert [r["s"].value for r in rows] == ["http://x/a"]
    assert len(mem) == 1


# -- commands -----------------------------------------------------------------------------------

def test_lineage_cli_tree_shows_the_chain() -> None:
    code, out, _ = cli("lineage", "80/16")
    assert code == 0
    assert out.startswith("A/RES/80/16 (resolution, 2025-12-01)")
    assert "endorses A/80/257 (report)  [para 1]" in out
    for sym in ("A/RES/79/237", "A/RES/76/19", "A/RES/75/240", "A/DEC/77/512", "A/DEC/78/541"):
        assert f"recalls {sym}" in out
    assert "│   └── endorses A/79/214 (report)" in out
    # plain references are counted, not listed: one line says how many and how to see them
    assert "refers to" not in out.replace("(refers to)", "")
    assert re.search(r"\(\+ \d+ plain references \(refers to\) from \d+ instruments? not shown; "
                     r"--all lists them\)\n$", out)
    # with --all, through 76/19's plain reference the chain reaches the first OEWG's report
    code, every, _ = cli("lineage", "80/16", "--all")
    assert code == 0 and "refers to A/75/816" in every and "A/RES/73/27" in every
    assert "plain references" not in every


def test_lineage_lists_each_link_once_with_all_its_paragraphs() -> None:
    code, out, _ = cli("lineage", "80/16", "--depth", "1", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    keys = [(r["from"], r["relation"], r["to"]) for r in rows]
    assert len(keys) == len(set(keys))
    establishing = [r for r in rows if r["relation"] == "cites as establishing act"]
    assert [r["paragraphs"] for r in establishing] == ["title, pp1"]
    code, out, _ = cli("lineage", "80/16", "-r", "endorses", "-r", "recalls", "-f", "json")
    assert {lk["relation"] for lk in json.loads(out)["links"]} == {"endorses", "recalls"}


def test_lineage_json_matches_the_schema() -> None:
    code, out, _ = cli("lineage", "a/res/80/16", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"root", "direction", "instruments", "links"}
    assert data["root"] == "A/RES/80/16" and data["direction"] == "up"
    for i in data["instruments"]:
        assert set(i) == {"symbol", "type", "title", "date"}
    for lk in data["links"]:
        assert set(lk) == {"from", "relation", "to", "paragraph"}
    links = {(lk["from"], lk["relation"], lk["to"], lk["paragraph"]) for lk in data["links"]}
    assert ("A/RES/80/16", "endorses", "A/80/257", "1") in links
    assert ("A/RES/80/16", "recalls", "A/DEC/77/512", "pp2") in links
    assert ("A/RES/79/237", "endorses", "A/79/214", "1") in links
    symbols = {i["symbol"] for i in data["instruments"]}
    assert {"A/RES/79/237", "A/RES/76/19", "A/RES/75/240", "A/79/214"} <= symbols


def test_lineage_depth_down_and_relation_filter(store) -> None:
    one = lineage(store, "A/RES/80/16", depth=1)
    assert all(lk.source == "A/RES/80/16" for lk in one.links)
    down = lineage(store, "A/RES/75/240", "down")
    assert {lk.source for lk in down.links} >= {"A/RES/79/237", "A/RES/80/16", "A/75/816"}
    only = lineage(store, "A/RES/80/16", relations={"endorses"})
    assert {(lk.source, lk.target) for lk in only.links} == {("A/RES/80/16", "A/80/257")}


@pytest.mark.parametrize("fmt", ["table", "csv", "md", "dot", "mermaid", "ttl"])
def test_lineage_formats(fmt: str) -> None:
    code, out, _ = cli("lineage", "80/16", "--depth", "1", "--format", fmt)
    assert code == 0
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {"from": "A/RES/80/16", "relation": "endorses", "to": "A/80/257"}.items() <= \
            next(r for r in rows if r["relation"] == "endorses").items()
    elif fmt == "ttl":
        g = Graph().parse(data=out, format="turtle")
        assert len(g) > 5
    elif fmt == "dot":
        assert out.startswith("digraph") and '"A/RES/80/16" -> "A/80/257"' in out
    elif fmt == "mermaid":
        assert out.startswith("flowchart") and "-->|endorses|" in out
    else:
        assert "A/80/257" in out


def test_lineage_unknown_and_malformed_symbols_are_one_line_errors() -> None:
    code, out, err = cli("lineage", "99/999")
    assert code == 1 and out == ""
    assert err.strip().count("\n") == 0 and "nearest" in err
    code, _, err = cli("lineage", "A/RES/80/16/16/x")
    assert code == 2 and "not a well-formed" in err
    code, _, err = cli("lineage", "80/16", "--format", "xml")
    assert code == 2 and "unknown format" in err


def test_query_and_sparql_commands() -> None:
    code, out, _ = cli("query", "instrument", "--param", "instrument=79/237", "--format", "json")
    assert code == 0
    row = json.loads(out)[0]
    assert row["symbol"] == "A/RES/79/237" and row["date"] == "2024-12-24"
    code, _, err = cli("query", "instrument", "--param", "instrument=A/RES/80/16}")
    assert code == 2 and err.count("\n") == 1
    code, _, err = cli("query", "lineage", "--param", "root")
    assert code == 2 and "key=value" in err
    code, _, err = cli("query", "lineag")
    assert code == 2 and "did you mean lineage" in err
    code, out, _ = cli("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }", "-f", "csv")
    assert code == 0 and int(out.splitlines()[1]) > 100
    code, _, err = cli("sparql", "DROP ALL")
    assert code == 2 and "not allowed" in err
    code, _, err = cli("sparql", "SELECT WHERE {")
    assert code == 1 and "not valid SPARQL" in err


def test_thematic_commands() -> None:
    code, out, _ = cli("norms", "-f", "json")
    rows = json.loads(out)
    assert code == 0 and {r["norm"] for r in rows} == {f"13({c})" for c in "abcdefghijk"}
    code, out, _ = cli("principles", "-f", "csv")
    assert code == 0 and len(out.splitlines()) == 11
    code, out, _ = cli("recommendations", "--pillar", "Capacity-building", "-f", "json")
    assert code == 0 and [r["paragraph"] for r in json.loads(out)] == ["63", "64", "65", "66",
                                                                      "67"]
    code, out, _ = cli("recommendations", "--theme", "points of contact", "-f", "json")
    assert code == 0 and [r["paragraph"] for r in json.loads(out)] == ["51"]
    code, out, _ = cli("theme", "critical infrastructure", "-f", "json")
    rows = json.loads(out)
    norms = {r["paragraph"]: set((r["norms"] or "").split()) for r in rows}
    assert code == 0 and norms["31"] == {"13(f)", "13(g)"}
    # an alternative label names the same theme as its key
    assert cli("theme", "CSIRTs", "-f", "json")[1] == cli("theme", "cert-csirt", "-f", "json")[1]
    code, _, err = cli("theme", "unicorns")
    assert code == 1 and "no such theme" in err


def test_path_and_central() -> None:
    code, out, _ = cli("path", "80/16", "73/27", "-f", "json")
    steps = json.loads(out)
    assert code == 0 and steps[0]["from"] == "A/RES/80/16" and steps[-1]["to"] == "A/RES/73/27"
    assert all(a["to"] == b["from"] for a, b in zip(steps, steps[1:], strict=False))
    code, _, err = cli("path", "75/240", "80/16")
    assert code == 1 and "no chain" in err
    code, out, _ = cli("central", "--top", "3", "-f", "json")
    assert code == 0 and len(json.loads(out)) == 3


def test_central_ranks_by_pagerank_and_counts_what_most_cited_counts() -> None:
    """`central` is PageRank over the citation network (checked against networkx's own
    pure-Python PageRank), and its cited_by is most-cited's instruments column."""
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    from normgraph.answer.network import citation_network

    code, out, _ = cli("central", "--top", "1000", "-f", "json")
    rows = json.loads(out)
    assert code == 0 and rows
    ranks = [r["pagerank"] for r in rows]
    assert ranks == sorted(ranks, reverse=True)
    expected = _pagerank_python(citation_network(LocalStore(DUMP)), alpha=0.85, tol=1e-12)
    assert {r["symbol"] for r in rows} == set(expected)
    assert all(abs(r["pagerank"] - expected[r["symbol"]]) < 1e-4 for r in rows)
    code, out, _ = cli("query", "most-cited", "-f", "json")
    cited = {r["symbol"]: int(r["instruments"]) for r in json.loads(out)}
    assert {r["symbol"]: r["cited_by"] for r in rows if r["cited_by"]} == cited


def test_draw_writes_dot_and_svg(tmp_path: Path) -> None:
    code, _, _ = cli("draw", "80/16", "-o", str(tmp_path / "l.dot"))
    assert code == 0 and (tmp_path / "l.dot").read_text().startswith("digraph")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot is not installed")
    code, _, err = cli("draw", "80/16", "-o", str(tmp_path / "l.svg"))
    assert code == 0, err
    svg = (tmp_path / "l.svg").read_text()
    assert "<svg" in svg and "A/80/257" in svg


def test_local_store_is_rebuilt_when_the_dump_changes(tmp_path: Path) -> None:
    dump = tmp_path / "g.ttl"
    dump.write_text("<http://x/a> <http://x/p> <http://x/b> .\n")
    s = LocalStore(dump, cache=tmp_path / "cache")
    assert len(s.select("SELECT * WHERE { ?s ?p ?o }").rows) == 1
    assert s.fresh()
    dump.write_text("<http://x/a> <http://x/p> <http://x/b> .\n<http://x/c> <http://x/p> 1 .\n")
    assert not s.fresh()
    assert len(LocalStore(dump, cache=tmp_path / "cache").select(
        "SELECT * WHERE { ?s ?p ?o }").rows) == 2


def test_a_rebuild_of_the_local_store_says_so_on_a_terminal(tmp_path: Path) -> None:
    """The first query on a dump loads it into the local store, which takes seconds on a
    large corpus: on a terminal a spinner says why; a rebuilt store drops its old link
    index; later calls are silent; a store rebuilt for a changed dump
    comes with its own link index."""
    import os
    import pty
    import subprocess
    import sys

    dump = tmp_path / "g.ttl"
    shutil.copy(DUMP, dump)
    exe = Path(sys.executable).with_name("normgraph")
    env = dict(os.environ, NORMGRAPH_CACHE=str(tmp_path / "cache"), TERM="xterm")

    def run_on_a_terminal() -> tuple[str, str]:
        master, slave = pty.openpty()
        proc = subprocess.run([str(exe), "lineage", "80/16", "--dump", str(dump)],
                              stdout=subprocess.PIPE, stderr=slave, env=env, text=True,
                              timeout=60)
        os.close(slave)
        err = b""
        try:
            while chunk := os.read(master, 65536):
                err += chunk
        except OSError:  # the terminal is closed once read to the end
            pass
        os.close(master)
        assert proc.returncode == 0
        return proc.stdout, err.decode("utf-8", "replace")

    out, err = run_on_a_terminal()
    assert "A/RES/80/16" in out and "into the local store" in err
    home = LocalStore(dump, cache=tmp_path / "cache").home
    assert (home / "links.json").is_file()
    assert run_on_a_terminal() == (out, "")
    dump.write_text(dump.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    LocalStore(dump, cache=tmp_path / "cache").store()  # rebuilt by another command
    # the rebuilt store comes with a new link index, made from it and stamped with the dump
    index = json.loads((home / "links.json").read_text(encoding="utf-8"))
    assert index["fingerprint"]["size"] == dump.stat().st_size
    assert LocalStore(dump, cache=tmp_path / "cache").indexed() is True
    assert run_on_a_terminal() == (out, "")


def canon(rows: list[dict]) -> list[str]:
    """Rows comparable across engines: GROUP_CONCAT order is unspecified, so its parts are
    compared as sets, and rows as a sorted list. Over nothing but unbound values Oxigraph
    leaves the aggregate unbound where rdflib gives "": both read as no value."""
    return sorted(json.dumps({k: (" ".join(sorted(v.split())) if k in ("themes", "norms") and v
                                  else "|".join(sorted(v.split("|"))) if k == "altLabels" and v
                                  else None if k in ("themes", "norms", "altLabels") and not v
                                  else v) for k, v in r.items()}, sort_keys=True)
                  for r in rows)


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_rdflib_runs_every_canned_query_with_the_same_rows(store, rdf, name: str) -> None:
    """The catalogue is portable SPARQL: a researcher who parses the dump with rdflib gets
    what the local Oxigraph store gives (no aggregate over unbound values, which rdflib
    rejects)."""
    query = get_query(name)
    text = bind_values(query.text, bind(query, EXAMPLES[name]))
    theirs = [{v: (None if row[v] is None else str(row[v])) for v in map(str, result.vars)}
              for result in [rdf.query(text)] for row in result]
    ours = run(store, name, EXAMPLES[name]).rows
    assert ours
    assert canon(theirs) == canon(ours)


# -- the same answers from a real Oxigraph server -----------------------------------------------

@pytest.mark.oxigraph
@pytest.mark.parametrize("name", sorted(load_queries()))
def test_oxigraph_server_returns_the_same_rows(oxigraph: str, store, name: str) -> None:
    remote = RemoteStore(oxigraph + "/query", timeout=20)
    local_rows = run(store, name, EXAMPLES[name]).rows
    remote_rows = run(remote, name, EXAMPLES[name]).rows
    assert canon(local_rows) == canon(remote_rows)
    assert local_rows


@pytest.mark.oxigraph
def test_cli_endpoint_option_gives_the_same_lineage(oxigraph: str) -> None:
    local = runner.invoke(app, ["lineage", "80/16", "-f", "json", "--dump", str(DUMP)])
    remote = runner.invoke(app, ["lineage", "80/16", "-f", "json", "--endpoint",
                                 oxigraph + "/query"])
    assert remote.exit_code == 0, remote.stderr
    assert json.loads(local.stdout) == json.loads(remote.stdout)


@pytest.mark.oxigraph
def test_lineage_from_the_link_index_equals_the_transitive_queries(oxigraph: str, store) -> None:
    """The local store walks its link index; an endpoint runs lineage.rq / descendants.rq.
    Every instrument, both directions, with and without a depth and a relation filter."""
    remote = RemoteStore(oxigraph + "/query", timeout=20)
    symbols = [r["symbol"] for r in run(store, "instruments").rows]
    assert len(symbols) > 20
    compared = 0
    for symbol in symbols:
        for direction in ("up", "down"):
            for depth, relations in ((None, None), (1, None), (None, {"recalls"})):
                mine = lineage(store, symbol, direction, depth, relations)
                theirs = lineage(remote, symbol, direction, depth, relations)
                assert mine.links == theirs.links, (symbol, direction, depth, relations)
                assert mine.as_json() == theirs.as_json()
                compared += len(mine.links)
    assert compared > 100


def test_link_index_follows_the_dump(tmp_path: Path) -> None:
    dump = tmp_path / "normgraph.ttl"
    shutil.copy(DUMP, dump)
    s = LocalStore(dump, cache=tmp_path / "cache")
    before = lineage(s, "A/RES/80/16")
    assert ("endorses", "1") in {(lk.relation, lk.paragraph) for lk in before.links
                                 if lk.target == "A/80/257"}
    assert (tmp_path / "cache").rglob("links.json")
    # a newer dump in which operative paragraph 1 only takes note of the report
    text = dump.read_text(encoding="utf-8")
    assert text.count("cito:hasCitationCharacterization ng:endorses ;\n"
                      "    cito:hasCitedEntity <https://w3id.org/normgraph/id/A/80/257>") == 1
    dump.write_text(text.replace(
        "cito:hasCitationCharacterization ng:endorses ;\n"
        "    cito:hasCitedEntity <https://w3id.org/normgraph/id/A/80/257>",
        "cito:hasCitationCharacterization ng:takesNoteOf ;\n"
        "    cito:hasCitedEntity <https://w3id.org/normgraph/id/A/80/257>"), encoding="utf-8")
    again = LocalStore(dump, cache=tmp_path / "cache")
    assert not again.fresh()
    after = {(lk.relation, lk.paragraph) for lk in lineage(again, "A/RES/80/16").links
             if lk.target == "A/80/257"}
    assert ("takes note of", "1") in after and ("endorses", "1") not in after


@pytest.mark.oxigraph
def test_push_replaces_a_named_graph(oxigraph: str, tmp_path: Path) -> None:
    graph = "https://example.org/normgraph-test"
    for _ in range(2):  # a repeated push replaces, never duplicates
        result = runner.invoke(app, ["push", "--endpoint", oxigraph + "/store", "--graph", graph,
                                     "--dump", str(DUMP)])
        assert result.exit_code == 0, result.stderr
    remote = RemoteStore(oxigraph + "/query")
    n = remote.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert int(n.rows[0]["n"]) == len(Graph().parse(DUMP, format="turtle"))


def test_without_plain_references_the_lineage_keeps_what_typed_links_reach() -> None:
    from normgraph.answer.lineage import Instrument, Link
    from normgraph.api import Lineage, render_lineage

    # listed out of walking order: C's link comes before the one that reaches C; E is reached
    # only through D, which only a plain reference reaches
    links = [Link("C", "recalls", "B", "pp2", 2), Link("R", "refers to", "D", "pp1", 1),
             Link("R", "recalls", "C", "pp3", 3), Link("D", "recalls", "E", "pp1", 1)]
    lin = Lineage("R", "up", {s: Instrument(s) for s in "RBCDE"}, links,
                  {"R": 0, "B": 2, "C": 1, "D": 1, "E": 2})
    assert render_lineage(lin, "tree", all_links=False) == (
        "R\n└── recalls C  [para pp3]\n    └── recalls B  [para pp2]\n"
        "(+ 1 plain reference (refers to) from 1 instrument not shown; --all lists them)\n")
    rows = [line for line in render_lineage(lin, "md", all_links=False).splitlines()
            if line.startswith("| ") and not line.startswith("| from")]
    assert [r.split(" | ")[:3] for r in rows] == [["| C", "recalls", "B"],
                                                   ["| R", "recalls", "C"]]
    assert "recalls E" in render_lineage(lin, "tree", all_links=True)
