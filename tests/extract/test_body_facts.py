"""What the web page and the news item say about bodies, each fact with its paragraph."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from normgraph.graph.vocab import ELI, NG, body_iri, instrument_iri


def _para(file_slug: str, number: str) -> URIRef:
    return URIRef(str(instrument_iri("doc/" + file_slug)) + f"/para/{number}")


def test_global_mechanism_start_and_formats(built) -> None:
    g = built[0].graph
    gm = body_iri("global-mechanism")
    assert set(g.objects(gm, NG.startsBy)) == {Literal("2026-03", datatype=XSD.gYearMonth)}
    formats = {str(o) for o in g.objects(gm, NG.meetingFormat)}
    assert len(formats) == 3
    assert "hold a review conference every five years" in formats
    sources = set(g.objects(gm, PROV.wasDerivedFrom))
    assert _para("004-80ba5ea130f8b8e2", "p6") in sources
    assert _para("004-80ba5ea130f8b8e2", "p7") in sources


def test_oewg_sessions_chair_and_final_report(built) -> None:
    g = built[0].graph
    oewg = body_iri("oewg-2021-2025")
    assert set(g.objects(oewg, NG.plannedSessions)) == {Literal(11, datatype=XSD.integer)}
    assert str(g.value(oewg, NG.chairName)) == "H.E. Mr. Burhan Gafoor"
    sessions = set(g.subjects(NG.sessionOf, oewg))
    # the eight the web page lists, and the eleventh, held on 11 July 2025 (80/16, pp3)
    assert len(sessions) == 9 and URIRef(f"{oewg}/session/11") in sessions
    eighth = URIRef(f"{oewg}/session/8")
    # the page gives its month, 79/237 (pp3) a day it was held
    assert set(g.objects(eighth, DCTERMS.date)) == {
        Literal("2024-07", datatype=XSD.gYearMonth), Literal("2024-07-12", datatype=XSD.date)}
    crp = instrument_iri("A/AC.292/2025/CRP.1")
    assert g.value(crp, ELI.date_document) == Literal("2025-07-11", datatype=XSD.date)
    assert g.value(crp, ELI.passed_by) == oewg
    assert g.value(crp, PROV.wasDerivedFrom) == _para("004-80ba5ea130f8b8e2", "p4")
