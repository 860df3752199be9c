"""The SHACL shapes, one node shape at a time, on small hand-written Turtle fixtures.

For every node shape of ontology/shapes.ttl, ``tests/check/shapes/<name>-valid.ttl`` conforms with no
finding at all, and ``tests/check/shapes/<name>-invalid.ttl`` yields exactly the findings listed in
``EXPECTED`` below: one (severity, focus node, path) per broken node, nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from normgraph import api
from normgraph.check.validate import Report, load_ontology, load_shapes, validate_graph

SHAPES_DIR = Path(__file__).parent / "shapes"
BASE = "https://w3id.org/normgraph/"
NGSH = "https://w3id.org/normgraph/shapes#"

#: node shape (local name in ontology/shapes.ttl) -> fixture name
FIXTURES = {
    "InstrumentShape": "instrument",
    "HeldInstrumentShape": "held-instrument",
    "PublicationShape": "publication",
    "ParagraphShape": "paragraph",
    "CitationShape": "citation",
    "TypedReferenceShape": "typed-reference",
    "NormShape": "norm",
    "ConceptShape": "concept",
    "BodyShape": "body",
    "SourceFileShape": "source-file",
    "SessionShape": "session",
    "DatasetShape": "dataset",
    "DistributionShape": "dataset",
}

_PREFIXES = {
    "eli:": "http://data.europa.eu/eli/ontology#",
    "ng:": "https://w3id.org/normgraph/ontology#",
    "cito:": "http://purl.org/spar/cito/",
    "skos:": "http://www.w3.org/2004/02/skos/core#",
    "prov:": "http://www.w3.org/ns/prov#",
    "dcterms:": "http://purl.org/dc/terms/",
    "org:": "http://www.w3.org/ns/org#",
    "rdf:": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "void:": "http://rdfs.org/ns/void#",
    "dcat:": "http://www.w3.org/ns/dcat#",
}

V, W = "Violation", "Warning"

#: fixture name -> the findings of its invalid fixture: (severity, focus relative to BASE, path)
EXPECTED: dict[str, set[tuple[str, str, str]]] = {
    "instrument": {
        (V, "id/A/RES/80/16", "eli:id_local"),  # no symbol
        (V, "id/A/RES/80/17", "eli:id_local"),  # "A/RES/80/16 x"
        (V, "id/A/68/98", "eli:id_local"),  # "A/68/98*"
        (V, "id/A/RES/76/19", "eli:id_local"),  # two symbols
        (V, "id/A/RES/75/240", "eli:type_document"),  # a literal
        (V, "id/A/RES/79/237", "eli:date_document"),  # not an xsd:date
        (V, "id/A/RES/73/27", "ng:session"),  # a string
        (V, "id/A/75/816", "eli:has_part"),  # not a paragraph
        (V, "id/A/DEC/77/512", "eli:passed_by"),  # not a body
    },
    "held-instrument": {
        (W, "id/A/RES/79/237", ""),  # read from a source file, no title
    },
    "publication": {
        (V, "id/doc/002-aaaaaaaaaaaaaaaa", "dcterms:title"),
        (V, "id/doc/002-bbbbbbbbbbbbbbbb", "dcterms:title"),
        (V, "id/doc/002-cccccccccccccccc", "eli:type_document"),
        (V, "id/doc/002-dddddddddddddddd", "prov:wasDerivedFrom"),
    },
    "paragraph": {
        (V, "id/A/RES/80/16/para/1", "eli:is_part_of"),  # part of no instrument
        (V, "id/A/RES/80/16/para/2", "eli:is_part_of"),  # part of two
        (V, "id/A/RES/80/16/para/3", "eli:is_part_of"),  # part of an untyped node
        (V, "id/A/RES/80/16/para/4", "eli:number"),
        (V, "id/A/RES/80/16/para/pp1", "ng:ordinal"),
        (V, "id/A/RES/80/16/para/pp2", "ng:charStart"),
        (V, "id/A/RES/80/16/para/pp3", "ng:addressesPillar"),
        (V, "id/A/RES/79/237/para/1", "ng:text"),
    },
    "citation": {
        (V, "id/A/RES/80/16/para/1/ref/1", "cito:hasCitedEntity"),  # no cited entity
        (V, "id/A/RES/80/16/para/1/ref/2", "cito:hasCitedEntity"),  # a paragraph
        (V, "id/A/RES/80/16/para/1/ref/3", "cito:hasCitingEntity"),
        (V, "id/A/RES/80/16/para/1/ref/4", "cito:hasCitationCharacterization"),
        (V, "id/A/RES/80/16/para/1/ref/5", "ng:citedDate"),
    },
    "typed-reference": {
        (V, "id/A/RES/80/16", "ng:endorses"),  # endorses a norm
        (V, "id/A/RES/80/16/para/pp1", ""),  # a paragraph states the reference
    },
    "norm": {
        (V, "norm/13a", "skos:notation"),  # no notation
        (V, "norm/13b", "skos:prefLabel"),  # no label
        (V, "norm/13c", "prov:hadPrimarySource"),  # no source paragraph
        (V, "norm/13d", "prov:hadPrimarySource"),  # an instrument, not a paragraph
        (V, "norm/13e", "skos:prefLabel"),  # two English labels
        (V, "norm/13g", "skos:inScheme"),
        (V, "norm/13z", "skos:notation"),  # outside 13(a)..13(k)
    },
    "concept": {
        (V, "pillar/threats", "skos:prefLabel"),
        (V, "pillar/international-law", "skos:inScheme"),
        (V, "theme/human-rights", "prov:hadPrimarySource"),
        (V, "principle/capacity-building/1", "skos:prefLabel"),
    },
    "body": {
        (V, "body/first-committee", "skos:prefLabel"),
        (V, "body/oewg-2019-2021", "ng:establishedBy"),
        (V, "body/oewg-2021-2025", "ng:mandatedBy"),
        (V, "body/gge", "org:subOrganizationOf"),
        (V, "body/global-mechanism", "prov:wasDerivedFrom"),
    },
    "source-file": {
        (V, "source/000_cdab6decd82e2069.txt", "ng:sha256"),  # none
        (V, "source/001_afe3f602325e065d.txt", "ng:sha256"),  # upper case
        (V, "source/002_1332e342f77ad79e.txt", "ng:sha256"),  # 63 digits
        (V, "source/003_0c41330b263cb666.txt", "ng:sha256"),  # two
    },
    "session": {
        (V, "body/oewg-2021-2025/session/1", "ng:sessionOf"),
        (V, "body/oewg-2021-2025/session/2", "ng:sessionOf"),
        (V, "body/oewg-2021-2025/session/3", "ng:sessionNumber"),
        (V, "body/oewg-2021-2025/session/4", "prov:wasDerivedFrom"),
    },
    "dataset": {
        (V, "dataset", "dcterms:license"),
        (V, "dataset", "void:triples"),
        (V, "dataset", "dcterms:modified"),
        (V, "dataset/ttl", "dcat:downloadURL"),
    },
}

NAMES = sorted(FIXTURES.values())


def _full(path: str) -> str:
    """A path as a full IRI, whether the report shortened it to a prefix or not."""
    for prefix, ns in _PREFIXES.items():
        if path.startswith(prefix):
            return ns + path[len(prefix):]
    return path


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def _validate(name: str, kind: str, shapes: Graph, ontology: Graph) -> Report:
    data = Graph().parse(SHAPES_DIR / f"{name}-{kind}.ttl", format="turtle")
    return validate_graph(data, shapes, ontology)


def _found(report: Report) -> set[tuple[str, str, str]]:
    return {(f.severity, f.focus, _full(f.path)) for f in report.findings}


def _expected(name: str) -> set[tuple[str, str, str]]:
    return {(sev, BASE + focus, _full(path)) for sev, focus, path in EXPECTED[name]}


def test_every_node_shape_has_a_valid_and_an_invalid_fixture(shapes: Graph) -> None:
    node_shapes = {str(s)[len(NGSH):] for s in shapes.subjects(RDF.type, SH.NodeShape)
                   if isinstance(s, URIRef) and str(s).startswith(NGSH)}
    assert node_shapes == set(FIXTURES)
    assert set(EXPECTED) == set(FIXTURES.values())
    on_disk = {p.name for p in SHAPES_DIR.glob("*.ttl")}
    wanted = {f"{n}-{kind}.ttl" for n in FIXTURES.values() for kind in ("valid", "invalid")}
    assert on_disk == wanted


def test_fixtures_use_the_dump_iri_style() -> None:
    """Every subject of every fixture is a w3id.org/normgraph IRI, no blank nodes."""
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        g = Graph().parse(path, format="turtle")
        assert len(g) > 0, path.name
        for s in set(g.subjects()):
            assert isinstance(s, URIRef) and str(s).startswith(BASE), (path.name, s)


@pytest.mark.parametrize("name", NAMES)
def test_valid_fixture_conforms_without_findings(name: str, shapes: Graph,
                                                 ontology: Graph) -> None:
    report = _validate(name, "valid", shapes, ontology)
    assert report.conforms, [f.line() for f in report.findings]
    assert report.findings == [], [f.line() for f in report.findings]


@pytest.mark.parametrize("name", NAMES)
def test_invalid_fixture_reports_each_focus_node_and_path(name: str, shapes: Graph,
                                                          ontology: Graph) -> None:
    report = _validate(name, "invalid", shapes, ontology)
    assert _found(report) == _expected(name), [f.line() for f in report.findings]
    if name == "held-instrument":  # a warning-level shape: reported, does not fail
        assert report.conforms
        assert report.violations == [] and len(report.warnings) == 1
    else:
        assert not report.conforms
        assert report.warnings == []
    for finding in report.findings:
        assert finding.message and finding.message != "does not conform", finding
        assert finding.focus in finding.line()


def test_validate_file_gives_the_same_report(shapes: Graph, ontology: Graph) -> None:
    path = SHAPES_DIR / "instrument-invalid.ttl"
    assert api.validate_file(path).findings == _validate("instrument", "invalid", shapes,
                                                         ontology).findings


def _messages(name: str, shapes: Graph, ontology: Graph) -> dict[tuple[str, str], str]:
    report = _validate(name, "invalid", shapes, ontology)
    return {(f.focus[len(BASE):], _full(f.path)): f.message for f in report.findings}


def test_instrument_without_or_with_a_malformed_symbol(shapes: Graph, ontology: Graph) -> None:
    data = Graph().parse(SHAPES_DIR / "instrument-invalid.ttl", format="turtle")
    eli_id = URIRef(_PREFIXES["eli:"] + "id_local")
    # the fixture holds what the test says it holds
    assert data.value(URIRef(BASE + "id/A/RES/80/16"), eli_id) is None
    assert str(data.value(URIRef(BASE + "id/A/RES/80/17"), eli_id)) == "A/RES/80/16 x"
    assert str(data.value(URIRef(BASE + "id/A/68/98"), eli_id)) == "A/68/98*"
    messages = _messages("instrument", shapes, ontology)
    for focus in ("id/A/RES/80/16", "id/A/RES/80/17", "id/A/68/98"):
        assert messages[(focus, _full("eli:id_local"))] == (
            "an instrument has exactly one well-formed UN symbol")


def test_paragraph_without_an_instrument(shapes: Graph, ontology: Graph) -> None:
    messages = _messages("paragraph", shapes, ontology)
    assert messages[("id/A/RES/80/16/para/1", _full("eli:is_part_of"))] == (
        "a paragraph belongs to exactly one instrument, publication or paragraph")


def test_endorses_pointing_at_a_norm(shapes: Graph, ontology: Graph) -> None:
    data = Graph().parse(SHAPES_DIR / "typed-reference-invalid.ttl", format="turtle")
    norm = URIRef(BASE + "norm/13f")
    assert (URIRef(BASE + "id/A/RES/80/16"), URIRef(_PREFIXES["ng:"] + "endorses"), norm) in data
    assert (norm, RDF.type, URIRef(_PREFIXES["ng:"] + "Norm")) in data
    messages = _messages("typed-reference", shapes, ontology)
    assert messages[("id/A/RES/80/16", _full("ng:endorses"))] == (
        "a typed reference (endorses) points at an instrument")
    # the norm itself is well formed: the violation is on the reference, not on the norm
    assert not any(focus.startswith("norm/") for focus, _ in messages)


def test_norm_without_notation_label_or_source(shapes: Graph, ontology: Graph) -> None:
    messages = _messages("norm", shapes, ontology)
    assert messages[("norm/13a", _full("skos:notation"))].startswith(
        "a norm has exactly one notation")
    assert messages[("norm/13b", _full("skos:prefLabel"))] == "a norm has a label"
    assert messages[("norm/13c", _full("prov:hadPrimarySource"))] == (
        "a norm names the paragraph that states it")


def test_citation_without_cited_entity(shapes: Graph, ontology: Graph) -> None:
    messages = _messages("citation", shapes, ontology)
    assert messages[("id/A/RES/80/16/para/1/ref/1", _full("cito:hasCitedEntity"))] == (
        "a citation points at exactly one instrument")


def test_subclass_of_paragraph_is_checked_as_a_paragraph(shapes: Graph,
                                                         ontology: Graph) -> None:
    """ng:Recommendation is a paragraph by the ontology's rdfs:subClassOf: a recommendation
    without a number is a ParagraphShape violation although it is not typed ng:Paragraph."""
    data = Graph().parse(SHAPES_DIR / "paragraph-valid.ttl", format="turtle")
    rec = URIRef(BASE + "id/A/70/174/para/13/f")
    assert (rec, RDF.type, URIRef(_PREFIXES["ng:"] + "Paragraph")) not in data
    data.remove((rec, URIRef(_PREFIXES["eli:"] + "number"), None))
    report = validate_graph(data, shapes, ontology)
    assert _found(report) == {(V, str(rec), _full("eli:number"))}
