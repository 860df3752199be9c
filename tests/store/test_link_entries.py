"""A streamed build makes the link index from the entries it writes, not by asking the new
store: the same index, row for row, as the catalogue's ``instruments`` and ``links`` queries
give on the same graph; and where it cannot be sure of that, the build asks the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from normgraph import api
from normgraph.graph.dump import subject_entries, turtle_blocks
from normgraph.store import link_entries, triplestore
from normgraph.store.link_entries import QUERIES_DIGEST, LinkEntries, queries_digest
from normgraph.store.triplestore import link_index_of, select_on

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "normgraph.ttl"

HEAD = """@prefix ng: <https://w3id.org/normgraph/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix cito: <http://purl.org/spar/cito/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix x: <https://w3id.org/normgraph/id/> .
"""

#: what the two queries join, in every form the rows must follow: several labels, ancestors
#: two steps up and on a cycle, optional columns missing or doubled, citations that give no
#: row, two citations with the same row, literals with escapes and language tags
EDGES = HEAD + r"""
ng:recalls rdfs:label "recalls" , "rappelle"@fr .
ng:notes rdfs:label "notes" .
ng:silent a ng:Relation .
x:kind-r skos:prefLabel "resolution"@en .
x:kind-d skos:prefLabel "resolution" .
x:kind-n a skos:Concept .

x:R1 a ng:Instrument ; eli:id_local "A/RES/1/1" ; eli:type_document x:kind-r , x:kind-d ;
    eli:date_document "2001-12-01"^^xsd:date ; eli:title "A \"quoted\"\ntitle"@en , "Un titre"@fr .
x:R2 a ng:Instrument ; eli:id_local "A/RES/1/2" , "A/RES/1/2/Alt" ; eli:type_document x:kind-n .
x:R3 a ng:Instrument ; eli:id_local "A/RES/1/3" .
x:R4 a ng:Instrument .
x:S eli:id_local "S/RES/9" .
x:sec eli:is_part_of x:R1 .

x:p1 eli:is_part_of x:sec ; eli:number "1" ; ng:ordinal 1 .
x:p2 eli:is_part_of x:R2 ; eli:number "2" , "2bis" ; ng:ordinal 2 .
x:p3 eli:is_part_of x:p4 ; eli:number "3" ; ng:ordinal 3 .
x:p4 eli:is_part_of x:p3 , x:R3 ; eli:number "4" ; ng:ordinal 4 .
x:p3 eli:id_local "cycle" .
x:p5 eli:is_part_of x:R1 ; eli:number "5" .
x:p6 eli:is_part_of x:R1 ; eli:number "6" ; ng:ordinal -2 .

x:c1 cito:hasCitingEntity x:p1 ; cito:hasCitedEntity x:R2 ;
    cito:hasCitationCharacterization ng:recalls ; ng:verb "Recalling" ;
    ng:citedDate "2000-01-01"^^xsd:date .
x:c2 cito:hasCitingEntity x:p2 ; cito:hasCitedEntity x:R1 , x:R3 ;
    cito:hasCitationCharacterization ng:notes ; ng:verb "Notes" , "Taking note" .
x:c3 cito:hasCitingEntity x:p3 ; cito:hasCitedEntity x:R1 ;
    cito:hasCitationCharacterization ng:recalls .
x:c4 cito:hasCitingEntity x:p4 ; cito:hasCitedEntity x:S ;
    cito:hasCitationCharacterization ng:notes ; ng:verb "Notes" .
x:c5 cito:hasCitingEntity x:p4 ; cito:hasCitedEntity x:S ;
    cito:hasCitationCharacterization ng:notes ; ng:verb "Notes" .
x:c6 cito:hasCitingEntity x:p5 ; cito:hasCitedEntity x:R2 ;
    cito:hasCitationCharacterization ng:recalls .
x:c7 cito:hasCitingEntity x:p1 ; cito:hasCitedEntity x:R4 ;
    cito:hasCitationCharacterization ng:recalls .
x:c8 cito:hasCitingEntity x:p1 ; cito:hasCitedEntity "A/RES/1/2" ;
    cito:hasCitationCharacterization ng:recalls .
x:c9 cito:hasCitingEntity x:p1 ; cito:hasCitedEntity x:R2 ;
    cito:hasCitationCharacterization ng:silent .
x:c10 cito:hasCitingEntity x:p6 , x:p1 ; cito:hasCitedEntity x:R3 ;
    cito:hasCitationCharacterization ng:recalls .
x:c11 cito:hasCitedEntity x:R3 ; cito:hasCitationCharacterization ng:recalls .
"""


def _collected(turtle: str) -> LinkEntries:
    """The graph's entries, as the streamed build writes them, told to a collector."""
    links = LinkEntries()
    graph = Graph().parse(data=turtle, format="turtle")
    for subject, pairs, _block, _entry in turtle_blocks(sorted(subject_entries(graph))):
        links.add(subject, pairs)
    return links


def _asked(turtle: str) -> dict[str, object]:
    """The link index as the store gives it: the two catalogue queries on Oxigraph."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return link_index_of(lambda query: select_on(store, query))


def test_the_index_from_the_entries_is_the_queries_rows_in_every_form() -> None:
    links = _collected(EDGES)
    try:
        made = links.index()
    finally:
        links.close()
    assert made is not None, links.unsure
    assert made == _asked(EDGES)
    rows = made["links"]
    assert ["A/RES/1/1", "recalls", "A/RES/1/2", "1", "1", "Recalling", "2000-01-01"] in rows
    assert ["A/RES/1/1", "rappelle", "A/RES/1/2/Alt", "1", "1", "Recalling",
            "2000-01-01"] in rows  # two ancestors up, every label and every symbol
    # a paragraph on a cycle is a part of itself
    assert ["cycle", "recalls", "A/RES/1/1", "3", "3", None, None] in rows
    assert rows.count(["A/RES/1/3", "notes", "S/RES/9", "4", "4", "Notes", None]) == 2
    assert not [r for r in rows if r[3] in ("5", "6") and r[0] is None]
    assert ["A/RES/1/1", "recalls", "A/RES/1/3", "6", "-2", None, None] in rows
    types = [r[1] for r in made["instruments"] if r[0] == "A/RES/1/1"]
    assert types.count("resolution") == 2 * 2  # a label once per type, for each title
    assert ["A/RES/1/3", None, None, None] in made["instruments"]
    assert not [r for r in made["instruments"] if r[0] == "S/RES/9"]  # not an instrument


def test_the_index_of_the_shipped_graph_is_the_queries_rows() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    links = _collected(text)
    try:
        made = links.index()
    finally:
        links.close()
    assert made is not None and made["links"]
    assert made == _asked(text)


@pytest.mark.parametrize("written", ['"+5"^^xsd:integer', "+5", '"5.0"^^xsd:decimal'])
def test_a_literal_oxigraph_may_give_back_otherwise_leaves_the_index_to_the_store(
        written: str) -> None:
    """rdflib writes literals in canonical form; entries written otherwise are not trusted:
    Oxigraph gives such a literal back in its own form ("5"), not as it is written."""
    rest = HEAD + """
ng:recalls rdfs:label "recalls" .
x:R1 a ng:Instrument ; eli:id_local "A/RES/1/1" .
x:c1 cito:hasCitingEntity x:p1 ; cito:hasCitedEntity x:R1 ;
    cito:hasCitationCharacterization ng:recalls .
"""
    links = _collected(rest)
    links.add("https://w3id.org/normgraph/id/p1",
              [("eli:is_part_of", "<https://w3id.org/normgraph/id/R1>"), ("eli:number", '"1"'),
               ("ng:ordinal", written)])
    try:
        assert links.index() is None
    finally:
        links.close()
    assert links.unsure and ("Oxigraph may" in links.unsure or "canonical" in links.unsure)
    asked = _asked(rest + f'x:p1 eli:is_part_of x:R1 ; eli:number "1" ; ng:ordinal {written} .')
    assert [row[4] for row in asked["links"]] == ["5"]  # type: ignore[index]


def test_the_index_is_made_for_the_queries_it_was_written_for() -> None:
    """Edit ``queries/links.rq`` or ``instruments.rq``, and this fails: make
    ``normgraph.store.link_entries`` give the new query's rows (the tests above compare them
    with the store's), then set ``QUERIES_DIGEST`` to the new digest."""
    assert queries_digest() == QUERIES_DIGEST


def _store_index(dump: Path) -> dict[str, object]:
    import pyoxigraph as ox

    store = api.LocalStore(dump)
    on = ox.Store.read_only(str(store.home / "db"))
    return link_index_of(lambda query: select_on(on, query))


@pytest.mark.parametrize("digest", ["same", "other"])
def test_a_streamed_build_writes_the_index_without_asking_the_store(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, digest: str) -> None:
    monkeypatch.setenv("NORMGRAPH_CACHE", str(tmp_path / "cache"))
    asked: list[bool] = []

    def counted(*args: object, **kwargs: object) -> dict[str, object]:
        asked.append(True)
        return link_index_of(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(triplestore, "link_index_of", counted)
    if digest == "other":  # queries this module was not written for: the store is asked
        monkeypatch.setattr(link_entries, "QUERIES_DIGEST", "0" * 64)
    result = api.build(api.Paths(project), stream=True)
    assert result.ok and result.written
    assert bool(asked) == (digest == "other")
    store = api.LocalStore(result.written)
    assert store.indexed()
    written = json.loads((store.home / "links.json").read_text(encoding="utf-8"))
    assert written["fingerprint"] == json.loads(
        (store.home / "stamp.json").read_text(encoding="utf-8"))
    index = {k: written[k] for k in ("instruments", "links")}
    assert index["links"] and index == _store_index(result.written)
    assert not list(result.written.parent.glob(".normgraph-links-*"))
