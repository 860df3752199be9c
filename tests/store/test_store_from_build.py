"""The build makes the local query store and its link index from the Turtle it streams, so the
first query after a build loads nothing; a dump changed by other means is still detected."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from normgraph import api


def _rows(store: api.LocalStore, name: str, params: dict[str, str]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in api.run_query(store, name, params).rows)


@pytest.mark.parametrize("validator", ["oxigraph", "pyshacl"])
def test_the_first_query_after_a_build_loads_nothing(project: Path, tmp_path: Path,
                                                     validator: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("NORMGRAPH_CACHE", str(cache))
    result = api.build(api.Paths(project), validator=validator)
    assert result.ok and result.written
    store = api.LocalStore(result.written)
    assert store.indexed()  # the store and the link index are there, stamped with the dump
    index_file = store.home / "links.json"
    made = (store.home / "db").stat().st_mtime_ns, index_file.stat().st_mtime_ns
    ours = _rows(store, "lineage", {"root": "80/16"})
    assert ours and store.link_index()["links"]
    # nothing was loaded again by the first query
    assert ((store.home / "db").stat().st_mtime_ns, index_file.stat().st_mtime_ns) == made
    # the same answers as a store loaded from the dump by the query path
    fresh = api.LocalStore(result.written, cache=tmp_path / "other")
    assert _rows(fresh, "lineage", {"root": "80/16"}) == ours
    assert fresh.link_index()["links"] == store.link_index()["links"]
    assert not [p for p in store.home.iterdir() if p.name.startswith(("db.", "old."))]


def test_a_dump_changed_by_other_means_is_detected(project: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMGRAPH_CACHE", str(tmp_path / "cache"))
    result = api.build(api.Paths(project), validator="oxigraph")
    dump = result.written
    assert dump is not None and api.LocalStore(dump).indexed()
    # a pull replaces the dump with one holding an extra instrument
    extra = ("\n<https://w3id.org/normgraph/id/A/RES/99/1> a "
             "<https://w3id.org/normgraph/ontology#Instrument> ;\n"
             "    <http://data.europa.eu/eli/ontology#id_local> \"A/RES/99/1\" .\n")
    dump.write_text(dump.read_text(encoding="utf-8") + extra, encoding="utf-8")
    store = api.LocalStore(dump)
    assert not store.fresh()
    symbols = {row[0] for row in store.link_index()["instruments"]}
    assert "A/RES/99/1" in symbols and store.indexed()


def test_a_cache_that_cannot_hold_the_store_is_a_warning(project: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache should be")
    monkeypatch.setenv("NORMGRAPH_CACHE", str(blocked))
    result = api.build(api.Paths(project), validator="oxigraph")
    assert result.ok and result.written and result.written.is_file()
    assert any("local query store" in w for w in result.warnings)


def test_a_store_held_in_memory_answers_as_the_one_on_disk(tmp_path: Path) -> None:
    from normgraph.store.catalogue import load_queries

    dump = tmp_path / "g.ttl"
    dump.write_bytes((Path(__file__).resolve().parents[2] / "data" / "normgraph.ttl")
                     .read_bytes())
    disk = api.LocalStore(dump, cache=tmp_path / "disk")
    held = api.LocalStore(dump, cache=tmp_path / "held", memory=True)
    from test_answers import canon  # GROUP_CONCAT order is the engine's choice

    for name, query in load_queries().items():
        params = {p.name: p.example for p in query.params if p.example}
        assert canon(api.run_query(held, name, params).rows) == \
            canon(api.run_query(disk, name, params).rows), name
    assert held.link_index()["links"] == disk.link_index()["links"]
    assert not (tmp_path / "held" / disk.home.name / "db").exists()  # nothing loaded on disk
    # a changed dump is loaded again
    dump.write_text(dump.read_text(encoding="utf-8") + (
        "\n<https://w3id.org/normgraph/id/A/RES/99/1> "
        "<http://data.europa.eu/eli/ontology#id_local> \"A/RES/99/1\" .\n"), encoding="utf-8")
    found = held.select("SELECT ?s WHERE { ?s <http://data.europa.eu/eli/ontology#id_local> "
                        "\"A/RES/99/1\" }")
    assert found.column("s") == ["https://w3id.org/normgraph/id/A/RES/99/1"]


def test_a_staging_folder_left_by_a_dead_process_is_swept(tmp_path: Path) -> None:
    import subprocess
    import sys

    dump = tmp_path / "g.ttl"
    dump.write_bytes((Path(__file__).resolve().parents[2] / "data" / "normgraph.ttl")
                     .read_bytes())
    store = api.LocalStore(dump, cache=tmp_path / "cache")
    store.home.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    left = store.home / f"db.{dead}.abc"
    (left / "db").mkdir(parents=True)
    mine = store.home / f"db.{os.getpid()}.xyz"  # a live process's: kept
    mine.mkdir()
    assert store.indexed() is False and store.link_index()["links"]
    assert not left.exists() and mine.exists()


def _quads(store) -> list[str]:
    return sorted(str(q) for q in store)


@pytest.mark.parametrize("on_disk", [False, True], ids=["validated-in-memory", "on-the-store"])
def test_the_built_store_holds_exactly_the_dump(project: Path, tmp_path: Path, on_disk: bool,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # validated on the query store itself (a graph of DISK_FROM triples and up) or in memory
    # beside it, the store the build leaves holds the dump's triples and nothing else: none of
    # the validator's scratch graphs, which `GRAPH ?g` queries would see
    import pyoxigraph as ox

    from normgraph.check import shacl_sparql

    monkeypatch.setenv("NORMGRAPH_CACHE", str(tmp_path / "cache"))
    if on_disk:
        monkeypatch.setattr(shacl_sparql, "DISK_FROM", 0)
    result = api.build(api.Paths(project), validator="oxigraph")
    assert result.ok and result.written
    store = api.LocalStore(result.written)
    assert store.indexed()
    # the staged database was closed before it moved into place: closed after, RocksDB
    # could not write its manifest in the folder it was opened in, and logged an error
    logs = list((tmp_path / "cache").glob("store-*/db/LOG"))
    assert logs and not any("[ERROR]" in log.read_text(errors="replace") for log in logs)
    assert _quads(store.store()) == _quads(ox.parse(path=str(result.written),
                                                    format=ox.RdfFormat.TURTLE))
    graphs = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert graphs.rows == []
    fresh = api.LocalStore(result.written, cache=tmp_path / "other")
    assert fresh.link_index()["links"] == store.link_index()["links"]
    assert fresh.link_index()["instruments"] == store.link_index()["instruments"]


def test_a_graph_that_fails_on_the_store_swaps_in_neither_dump_nor_store(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from normgraph.check import shacl_sparql

    monkeypatch.setenv("NORMGRAPH_CACHE", str(tmp_path / "cache"))
    first = api.build(api.Paths(project), validator="oxigraph")
    assert first.ok and first.written
    dump = first.written
    store = api.LocalStore(dump)
    before = {name: (store.home / name).read_bytes() for name in ("stamp.json", "links.json")}
    dump_before = dump.read_bytes()
    norms = project / "data" / "reference" / "norms.yaml"
    # a norm notation outside 13(a)..13(k) is something only the shapes catch
    norms.write_text(norms.read_text(encoding="utf-8").replace('"13(k)"', '"13(z)"'),
                     encoding="utf-8")
    in_memory = api.build(api.Paths(project), validator="oxigraph", write=False)
    monkeypatch.setattr(shacl_sparql, "DISK_FROM", 0)  # validated on the staged query store
    failed = api.build(api.Paths(project), validator="oxigraph")
    assert not failed.report.conforms and not failed.written
    found = [f.line() for f in failed.report.findings]
    assert found == [f.line() for f in in_memory.report.findings]
    assert any("norm/13z" in line and "skos:notation" in line for line in found), found
    # the old dump and its store stay, as they were; no staging folder is left behind
    assert dump.read_bytes() == dump_before
    assert {name: (store.home / name).read_bytes() for name in before} == before
    assert store.indexed()
    symbols = {row[0] for row in store.link_index()["instruments"]}
    assert "A/RES/73/27" in symbols
    assert not [p for p in store.home.iterdir() if p.name.startswith(("db.", "old."))]


def _citations(count: int, blank: int = 0) -> str:
    """A graph of one instrument whose paragraph cites another ``count`` times (each citation
    an IRI), and ``blank`` times more through blank-node citations."""
    head = """@prefix ng: <https://w3id.org/normgraph/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix cito: <http://purl.org/spar/cito/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix id: <https://w3id.org/normgraph/id/> .
id:A\\/RES\\/1\\/1 eli:id_local "A/RES/1/1" .
id:A\\/RES\\/1\\/2 eli:id_local "A/RES/1/2" .
id:p eli:is_part_of id:A\\/RES\\/1\\/2 ; eli:number "1" ; ng:ordinal 1 .
ng:recalls rdfs:label "recalls" .
"""
    body = [f'<https://w3id.org/normgraph/id/c/{n}> cito:hasCitingEntity id:p ; '
            f'cito:hasCitedEntity id:A\\/RES\\/1\\/1 ; cito:hasCitationCharacterization '
            f'ng:recalls ; ng:verb "v{n}" .' for n in range(count)]
    body += [f'[] cito:hasCitingEntity id:p ; cito:hasCitedEntity id:A\\/RES\\/1\\/1 ; '
             f'cito:hasCitationCharacterization ng:recalls ; ng:verb "blank{n}" .'
             for n in range(blank)]
    return head + "\n".join(body) + "\n"


@pytest.fixture(scope="module")
def link_graphs() -> tuple[object, object]:
    """The shipped dump and a made graph of 400 IRI citations and 3 blank-node ones, each in
    an in-memory pyoxigraph store (only read by the tests)."""
    import pyoxigraph as ox

    shipped = ox.Store()
    shipped.bulk_load(path=str(Path(__file__).resolve().parents[2] / "data" / "normgraph.ttl"),
                      format=ox.RdfFormat.TURTLE)
    made = ox.Store()
    made.load(_citations(400, blank=3), format=ox.RdfFormat.TURTLE)
    return shipped, made


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_the_links_query_in_parts_gives_each_of_its_rows_once(
        parts: int, monkeypatch: pytest.MonkeyPatch, link_graphs: tuple[object, object]) -> None:
    """The build asks the links query in parts at once, each the citations of one range of
    IRIs: together they give the query's rows, each once, a citation that is not an IRI
    included; the link index is the same made either way."""
    from normgraph.store import triplestore
    from normgraph.store.catalogue import get_query
    from normgraph.store.triplestore import link_index_of, link_parts, select_on

    made = link_graphs[1]
    text = get_query("links").text
    for store in link_graphs:
        def select(query: str, on: object = store) -> api.Result:
            return select_on(on, query)

        whole = sorted(json.dumps(r, sort_keys=True) for r in select(text).rows)
        texts = link_parts(select, text, parts, min_citations=1)
        assert len(texts) == parts
        asked = [select(t).rows for t in texts]
        assert all(asked)  # every part holds some of the rows
        assert sorted(json.dumps(r, sort_keys=True) for rows in asked for r in rows) == whole
        with monkeypatch.context() as patched:
            patched.setattr(triplestore, "PARTS_FROM", 1)
            assert link_index_of(select, together=True) == link_index_of(select)
        # below the count from which parts pay back, one query
        assert link_parts(select, text, parts, min_citations=10**6) == [text]
    verbs = [r["verb"] for r in select_on(made, texts[0]).rows]
    assert {"blank0", "blank1", "blank2"} <= set(verbs)


def test_the_link_index_is_in_the_order_of_the_catalogue_queries(
        link_graphs: tuple[object, object]) -> None:
    """The index asks the two queries without their ORDER BY and sorts the rows itself: the
    same rows, in the order the store gives them with it (ties by the other columns)."""
    from normgraph.store.catalogue import get_query
    from normgraph.store.triplestore import (
        INSTRUMENT_COLUMNS,
        LINK_COLUMNS,
        link_index_of,
        select_on,
    )

    made = link_graphs[1]
    for store in link_graphs:
        index = link_index_of(lambda q, on=store: select_on(on, q))  # type: ignore[misc]
        for table, columns, keys in (("instruments", INSTRUMENT_COLUMNS, ("symbol",)),
                                     ("links", LINK_COLUMNS, ("fromSymbol", "ordinal",
                                                              "toSymbol", "relation"))):
            ordered = [[r.get(c) for c in columns]
                       for r in select_on(store, get_query(table).text).rows]
            assert ordered or (store is made and table == "instruments"), table
            assert sorted(map(json.dumps, index[table])) == sorted(map(json.dumps, ordered))
            at = [columns.index(k) for k in keys]
            assert [[row[i] for i in at] for row in index[table]] == \
                [[row[i] for i in at] for row in ordered]


def test_an_order_by_is_left_out_only_where_no_limit_picks_rows_by_it() -> None:
    from normgraph.store.terms import without_order

    query = "SELECT ?s WHERE { ?s ?p ?o }\nORDER BY ?s DESC(?o)\n"
    assert without_order(query) == "SELECT ?s WHERE { ?s ?p ?o }\n"
    assert without_order("SELECT ?s WHERE { ?s ?p ?o } order by ?s") == \
        "SELECT ?s WHERE { ?s ?p ?o }\n"
    for kept in ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 10",
                 "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 5",
                 "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3 } }",
                 "SELECT ?s WHERE { ?s ?p ?o }"):
        assert without_order(kept) == kept


def test_a_graph_with_few_citations_asks_the_links_query_whole() -> None:
    import pyoxigraph as ox

    from normgraph.store.catalogue import get_query
    from normgraph.store.triplestore import link_parts, select_on

    store = ox.Store()
    store.load(_citations(20), format=ox.RdfFormat.TURTLE)
    text = get_query("links").text
    assert link_parts(lambda q: select_on(store, q), text, 4, min_citations=1) == [text]


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="a thread's own priority is Linux's")
def test_a_streamed_build_validates_and_indexes_standing_back_for_the_merge(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new store's merge runs on one RocksDB thread; the validation and the link index
    beside it run on threads of lower priority, and the caller's thread keeps its own."""
    import threading

    from normgraph.check.shacl_sparql import TurtleLoader
    from normgraph.pipeline import build
    from normgraph.store.link_entries import LinkEntries

    def nice() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    seen: dict[str, tuple[int, int]] = {}

    def watched(cls: type, name: str) -> None:
        real = getattr(cls, name)

        def call(self: object, *args: object, **kwargs: object) -> object:
            seen[name] = (threading.get_native_id(), nice())
            return real(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, call)

    watched(TurtleLoader, "finish")
    watched(LinkEntries, "index")
    monkeypatch.setenv("NORMGRAPH_CACHE", str(tmp_path / "cache"))
    before = nice()
    result = api.build(api.Paths(project), stream=True)
    assert result.ok and result.written and api.LocalStore(result.written).indexed()
    assert nice() == before
    expected = min(before + build.BESIDE_MERGE_NICE, 19)
    assert set(seen) == {"finish", "index"}
    for thread, priority in seen.values():
        assert thread != threading.get_native_id() and priority == expected
    # a pool's thread that runs two such tasks stands back once, not twice
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        levels = [pool.submit(build._beside_the_merge(nice)).result() for _ in range(2)]
    assert levels == [expected, expected]
