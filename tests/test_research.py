"""The questions a researcher asks next (issue 17), run as a user runs them on the shipped
dump, and the same rows from a real Oxigraph server with ``--endpoint``: ``norm``, ``search``,
``bodies``, ``show`` for any resource and ``principles --group/--search``."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from typer.testing import CliRunner

from normgraph import api
from normgraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
DUMP = ROOT / "data" / "normgraph.ttl"
NG = "https://w3id.org/normgraph/ontology#"
BASE = "https://w3id.org/normgraph/"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch) -> None:
    """One cache folder for this module's local store and search index."""
    monkeypatch.setenv("NORMGRAPH_CACHE", str(tmp_path_factory.getbasetemp() / "research-cache"))


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(DUMP, format="turtle")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"normgraph {' '.join(args)} raised {result.exception!r}")
    return result.exit_code, result.stdout, result.stderr


def rows(*args: str) -> list[dict[str, str]]:
    code, out, err = run(*args, "--format", "csv")
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


# -- norm ---------------------------------------------------------------------------------------

def _restating(graph: Graph, key: str) -> set[tuple[str, str]]:
    """(symbol, paragraph number) of every paragraph the dump says restates norm ``key``."""
    out = set()
    for para in graph.subjects(URIRef(NG + "restatesNorm"), URIRef(BASE + "norm/" + key)):
        doc = para
        while graph.value(doc, URIRef("http://data.europa.eu/eli/ontology#id_local")) is None:
            doc = graph.value(doc, URIRef("http://data.europa.eu/eli/ontology#is_part_of"))
        number = graph.value(para, URIRef("http://data.europa.eu/eli/ontology#number"))
        out.add((str(graph.value(doc, URIRef("http://data.europa.eu/eli/ontology#id_local"))),
                 str(number)))
    return out


@pytest.mark.parametrize("spelling", ["13(f)", "13f", "13 (f)", "norm 13f"])
def test_norm_accepts_every_spelling_and_lists_what_the_graph_states(graph, spelling) -> None:
    found = rows("norm", spelling)
    states = [r for r in found if r["match"] == "states"]
    assert [(r["document"], r["paragraph"]) for r in states] == [("A/70/174", "13 (f)")]
    restated = {(r["document"], r["paragraph"]) for r in found if r["match"] == "restates"}
    assert restated == _restating(graph, "13f") and restated
    for r in found:
        if r["match"] == "restates":
            assert "critical infrastructure" in r["text"]


def test_norm_by_a_word_of_its_label_and_its_formats(graph) -> None:
    by_word = rows("norm", "privacy")  # only 13(e)'s label holds it
    assert by_word == rows("norm", "13e")
    code, out, _ = run("norm", "13f", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["norm"] == "13(f)"
    assert data["label"] == str(graph.value(URIRef(BASE + "norm/13f"), SKOS.prefLabel))
    assert [p["paragraph"] for p in data["paragraphs"]][0] == "13 (f)"
    code, out, _ = run("norm", "13f", "--format", "md")
    assert code == 0 and out.startswith("**13(f)**") and "| A/75/816 |" in out
    code, out, _ = run("norm", "13f")
    assert code == 0 and "A/75/816" in out and "restates" in out


def test_norm_rows_are_oldest_first() -> None:
    dates = [r["date"] for r in rows("norm", "13f") if r["date"]]
    assert dates == sorted(dates)


@pytest.mark.parametrize("args, code, message", [
    (["13(z)"], 2, "not a norm"),
    (["critical"], 1, "several norms"),
    (["teapot"], 1, "no norm is labelled"),
    (["13f", "--format", "xml"], 2, "unknown format"),
])
def test_norm_errors_are_one_line(args, code, message) -> None:
    got, out, err = run("norm", *args)
    assert got == code and message in err and len(err.strip().splitlines()) == 1


# -- search -------------------------------------------------------------------------------------

def test_search_finds_the_principle_and_the_paragraph_on_national_ownership() -> None:
    hits = rows("search", "national ownership")
    assert hits, "no hit"
    top = hits[0]
    assert (top["document"], top["paragraph"], top["states"]) == ("A/75/816", "56 (b6)", "56.6")
    assert "[national] [ownership]" in top["snippet"] and top["matched"] == "text"
    code, out, _ = run("principles", "--search", "ownership", "--format", "csv")
    assert [r["principle"] for r in csv.DictReader(io.StringIO(out))] == ["56.6"]


def test_search_points_of_contact_by_kind(graph) -> None:
    every = rows("search", "points of contact")
    kinds = {r["kind"] for r in every}
    assert {"report", "resolution"} <= kinds
    only = rows("search", "points of contact", "--kind", "resolution")
    assert only and {r["kind"] for r in only} == {"resolution"}
    assert [r["iri"] for r in only] == [r["iri"] for r in every if r["kind"] == "resolution"]
    # a resolution paragraph found through its theme, not its words, says so
    for r in only:
        text = str(graph.value(URIRef(r["iri"]), URIRef(NG + "text"))).lower()
        assert r["matched"] == ("text" if "points of contact" in text else "filing")
        assert "points-of-contact" in r["themes"].split() or "points of contact" in text


def test_search_filters_narrow_and_never_widen() -> None:
    every = rows("search", "critical infrastructure", "--limit", "200")
    assert every
    for option, value, column in (("--norm", "13f", "norms"), ("--theme", "critical infrastructure",
                                  "themes"), ("--pillar", "norms", "pillar")):
        narrowed = rows("search", "critical infrastructure", option, value, "--limit", "200")
        assert narrowed and {r["iri"] for r in narrowed} <= {r["iri"] for r in every}
        wanted = {"--norm": "13(f)", "--theme": "critical-infrastructure"}.get(option, value)
        assert all(wanted in r[column].split() for r in narrowed)
    dated = rows("search", "information", "--since", "2024-01-01", "--until", "2025-12-31")
    assert dated and all("2024-01-01" <= r["date"] <= "2025-12-31" for r in dated)


@pytest.mark.parametrize("args, code, message", [
    (["  ...  "], 2, "nothing to search for"),
    (["ownership", "--since", "2024-13-01"], 2, "not a date"),
    (["ownership", "--theme", "no such theme at all"], 1, "no such theme"),
])
def test_search_errors_are_one_line(args, code, message) -> None:
    got, _, err = run("search", *args)
    assert got == code and message in err and len(err.strip().splitlines()) == 1


def test_search_text_is_never_fts_syntax() -> None:
    for text in ['"unbalanced', "NEAR(x y)", "own*", "text: ownership", "a AND OR NOT"]:
        code, _, err = run("search", text)
        assert code == 0, err


def test_search_index_is_a_real_fts5_index_remade_when_the_dump_changes(tmp_path) -> None:
    import shutil
    import sqlite3

    dump = tmp_path / "normgraph.ttl"
    shutil.copy(DUMP, dump)
    store = api.open_store(dump)
    assert api.search_paragraphs(store, "national ownership")
    assert api.search_paragraphs(store, "local ownership") == []
    index = store.home / "search.sqlite"
    sql = sqlite3.connect(index).execute(
        "SELECT sql FROM sqlite_master WHERE name = 'paragraphs'").fetchone()[0]
    assert "fts5" in sql.lower()
    text = dump.read_text(encoding="utf-8").replace("national ownership", "local ownership")
    time.sleep(0.01)
    dump.write_text(text, encoding="utf-8")
    fresh = api.open_store(dump)
    hits = api.search_paragraphs(fresh, "local ownership")
    assert [h["paragraph"] for h in hits] == ["56 (b6)"]
    assert "[local] [ownership]" in hits[0]["snippet"]


# -- bodies and show ----------------------------------------------------------------------------

def test_bodies_lists_each_body_with_what_established_or_mandated_it(graph) -> None:
    found = {r["body"]: r for r in rows("bodies")}
    orgs = {str(s).rsplit("/", 1)[-1] for s in graph.subjects(
        URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        URIRef("http://www.w3.org/ns/org#Organization"))}
    assert set(found) == orgs
    assert found["oewg-2021-2025"]["established_by"].startswith("A/RES/75/240")
    assert found["global-mechanism"]["mandated_by"].startswith("A/RES/80/16")


def test_what_a_body_became_is_stated_with_its_paragraph(graph) -> None:
    """80/16 para 2 speaks of "a smooth and seamless transition from the open-ended working
    group to the Global Mechanism": the OEWG 2021-2025 became the Global Mechanism, as an
    org:ChangeEvent derived from that paragraph, and `bodies` says so."""
    found = {r["body"]: r for r in rows("bodies")}
    assert found["oewg-2021-2025"]["became"] == "global-mechanism"
    assert not any(r["became"] for key, r in found.items() if key != "oewg-2021-2025")
    org = "http://www.w3.org/ns/org#"
    [change] = list(graph.subjects(URIRef(org + "resultingOrganization"),
                                   URIRef("https://w3id.org/normgraph/body/global-mechanism")))
    assert (change, URIRef(org + "originalOrganization"),
            URIRef("https://w3id.org/normgraph/body/oewg-2021-2025")) in graph
    sources = {str(o) for o in graph.objects(change, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))}
    assert sources == {"https://w3id.org/normgraph/id/A/RES/80/16/para/2"}


@pytest.mark.parametrize("key, expected", [
    ("global-mechanism", ["ng:mandatedBy: A/RES/80/16", "org:subOrganizationOf: General Assembly",
                          "org:resultedFrom: oewg-2021-2025 became global-mechanism"]),
    ("oewg-2021-2025", ["ng:establishedBy: A/RES/75/240", "substantive session ng:sessionOf",
                        "org:changedBy: oewg-2021-2025 became global-mechanism"]),
    ("13f", ["skos:notation: 13(f)", "<- A/75/816 para 31 ng:restatesNorm"]),
    ("56.6", ["prov:hadPrimarySource: A/75/816 para 56 (b6)"]),
    ("critical-infrastructure", ["skos:prefLabel: Critical infrastructure"]),
])
def test_show_any_resource(key, expected) -> None:
    code, out, err = run("show", key)
    assert code == 0, err
    for line in expected:
        assert line in out
    code, out, _ = run("show", key, "--format", "json")
    assert json.loads(out)["iri"].startswith(BASE)


def test_show_unknown_key_is_one_line() -> None:
    code, _, err = run("show", "no-such-body")
    assert code == 1 and "no instrument, body" in err and len(err.strip().splitlines()) == 1


def test_principles_group_and_numbering_note() -> None:
    code, out, err = run("principles", "--group", "partnerships", "--format", "csv")
    found = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and found and {r["group"] for r in found} == {"Partnerships"}
    assert "unnumbered bullets" in err and "normgraph's" in err


# -- the same rows from a real Oxigraph server ----------------------------------------------------

@pytest.mark.oxigraph
@pytest.mark.parametrize("args", [
    ["norm", "13(f)"],
    ["search", "national ownership"],
    ["search", "points of contact", "--kind", "resolution"],
    ["bodies"],
    ["principles", "--search", "ownership"],
])
def test_endpoint_gives_the_same_rows(oxigraph: str, args) -> None:
    local = rows(*args)
    remote = rows(*args, "--endpoint", oxigraph + "/query")
    assert local and remote == local


@pytest.mark.oxigraph
def test_norm_query_runs_unchanged_on_the_endpoint(oxigraph: str) -> None:
    remote = api.run_query(api.open_store(endpoint=oxigraph + "/query"), "norm", {"norm": "13f"})
    local = api.run_query(api.open_store(DUMP), "norm", {"norm": "13f"})
    assert remote.rows == local.rows and remote.rows


def test_words_most_paragraphs_hold_come_unranked_and_say_so(monkeypatch) -> None:
    """Above RANK_LIMIT matches the hits come in document order, unranked, with a note."""
    ranked = rows("search", "points of contact")
    assert len(ranked) > 1
    monkeypatch.setattr("normgraph.store.search.RANK_LIMIT", 1)
    code, out, err = run("search", "points of contact", "--format", "csv")
    unranked = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and "not ranked" in err
    assert {r["iri"] for r in unranked} == {r["iri"] for r in ranked}
    documents = [r["document"] for r in unranked]
    assert documents == sorted(documents)
    assert not api.search_paragraphs(api.open_store(DUMP), "points of contact")[0]["ranked"]
