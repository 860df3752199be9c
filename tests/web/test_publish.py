"""Publishing: the dataset description, releases with checksums, diffs, the static site."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, VOID, XSD
from typer.testing import CliRunner

from normgraph.check.shacl_sparql import validate_triples
from normgraph.check.validate import validate_graph
from normgraph.cli import app
from normgraph.graph.vocab import ELI, NG, dataset_iri, instrument_iri

ROOT = Path(__file__).resolve().parents[2]
DUMP = ROOT / "data" / "normgraph.ttl"
runner = CliRunner()


def test_the_dump_describes_itself_exactly() -> None:
    g = Graph().parse(DUMP, format="turtle")
    ds = dataset_iri()
    assert (ds, RDF.type, VOID.Dataset) in g
    assert g.value(ds, VOID.triples) == Literal(len(g), datatype=XSD.integer)
    assert g.value(ds, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    # dated by the data, not by the clock: the latest adoption date the graph holds
    assert g.value(ds, DCTERMS.modified) == Literal("2025-12-01", datatype=XSD.date)
    assert instrument_iri("A/RES/80/16") in set(g.objects(ds, VOID.exampleResource))
    assert URIRef("https://w3id.org/normgraph/ontology") in set(
        g.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")))


def test_the_description_validates_against_the_datasets_own_shapes() -> None:
    g = Graph().parse(DUMP, format="turtle")
    description = Graph()
    for t in g.triples((dataset_iri(), None, None)):
        description.add(t)
    for dist in g.objects(dataset_iri(), URIRef("http://www.w3.org/ns/dcat#distribution")):
        for t in g.triples((dist, None, None)):
            description.add(t)
    assert len(description) > 20
    assert validate_graph(description).conforms
    assert validate_triples(description).conforms
    broken = Graph()
    for t in description:
        if t[1] != DCTERMS.license:
            broken.add(t)
    assert {f.focus for f in validate_graph(broken).violations} == {str(dataset_iri())}


def test_release_writes_four_serialisations_with_checksums(tmp_path: Path) -> None:
    out = tmp_path / "release"
    result = runner.invoke(app, ["export", "--all", "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = {"normgraph.ttl", "normgraph.nt", "normgraph.jsonld", "normgraph.trig"}
    assert names | {"SHA256SUMS", "context.jsonld"} == {p.name for p in out.iterdir()}
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert (out / "normgraph.ttl").read_bytes() == DUMP.read_bytes()
    reference = Graph().parse(DUMP, format="turtle")
    for name, fmt in (("normgraph.nt", "nt"), ("normgraph.jsonld", "json-ld")):
        assert isomorphic(Graph().parse(out / name, format=fmt), reference), name
    ds = Dataset()
    ds.parse(out / "normgraph.trig", format="trig")
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    # one named graph per source file, plus the reference data, the ontology and the description
    sources = {p.name for p in (ROOT / "data" / "sources").iterdir()}
    expected = {"https://w3id.org/normgraph/graph/"
                + n.replace("_", "-").replace(".", "-").lower() for n in sources}
    expected |= {f"https://w3id.org/normgraph/graph/{n}" for n in ("reference", "ontology",
                                                                   "dataset")}
    assert graphs == expected


def test_diff_reports_exactly_what_changed(tmp_path: Path) -> None:
    g = Graph().parse(DUMP, format="turtle")
    gone = instrument_iri("A/RES/43/78H")
    # every instrument citing 43/78 H in the shipped dump loses that link
    citing = {str(g.value(s, ELI.id_local)) for s in g.subjects(ELI.cites, gone)}
    assert len(citing) >= 2
    for t in list(g.triples((gone, None, None))) + list(g.triples((None, None, gone))):
        g.remove(t)
    g.remove((instrument_iri("A/RES/80/16"), NG.endorses, instrument_iri("A/80/257")))
    edited = tmp_path / "new.ttl"
    g.serialize(edited, format="nt")
    edited_ttl = tmp_path / "new2.ttl"
    edited_ttl.write_text(edited.read_text(), encoding="utf-8")
    result = runner.invoke(app, ["diff", str(DUMP), str(edited_ttl), "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    changes = json.loads(result.stdout)
    assert changes["instruments_removed"] == ["A/RES/43/78H"]
    assert changes["instruments_added"] == [] and changes["links_added"] == []
    removed = set(map(tuple, changes["links_removed"]))
    assert ("A/RES/80/16", "endorses", "A/80/257") in removed
    assert {a for a, _, b in removed if b == "A/RES/43/78H"} == citing
    assert all(b == "A/RES/43/78H" for a, _, b in removed - {("A/RES/80/16", "endorses",
                                                                "A/80/257")})
    md = runner.invoke(app, ["diff", str(DUMP), str(edited_ttl)]).stdout
    assert "## Instruments removed (1)" in md and "- A/RES/80/16 endorses A/80/257" in md


def test_site_pages_and_links(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = runner.invoke(app, ["site", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out / "id" / "A" / "RES" / "80" / "16.html"
    text = page.read_text(encoding="utf-8")
    assert "<h1>A/RES/80/16</h1>" in text and "endorses" in text
    assert (out / "id/A/RES/80/16.ttl").exists() and (out / "id/A/RES/80/16.jsonld").exists()
    ttl = Graph().parse(out / "id/A/RES/80/16.ttl", format="turtle")
    assert (instrument_iri("A/RES/80/16"), NG.endorses, instrument_iri("A/80/257")) in ttl
    for name in ("norm/13f.html", "theme/critical-infrastructure.html",
                 "principle/A/75/816/3.html", "index.html", "timeline.html", "search.html",
                 "body/oewg-2021-2025.html", "body/global-mechanism.html"):
        assert (out / name).exists(), name
    # the norm's page shows its paragraphs side by side, as `normgraph norm` lists them
    norm = (out / "norm/13f.html").read_text(encoding="utf-8")
    side = norm[norm.index('<table class="side">'):]
    assert side.index("A/70/174 para 13 (f)") < side.index("A/75/816 para 31")
    assert "intentionally damages critical infrastructure" in side and ">restates<" in side
    body = (out / "body/oewg-2021-2025.html").read_text(encoding="utf-8")
    assert 'ng:establishedBy</th><td><a href="../id/A/RES/75/240.html">A/RES/75/240</a>' in body
    assert "Gafoor" in body and "ng:sessionOf" in body
    # every relative link of every page points at a file the site holds
    broken = []
    for html_file in out.rglob("*.html"):
        for href in re.findall(r'href="([^"#]+)', html_file.read_text(encoding="utf-8")):
            if href.startswith(("http://", "https://")):
                continue
            if not (html_file.parent / unquote(href)).resolve().exists():
                broken.append((str(html_file.relative_to(out)), href))
    assert broken == []
    assert "<svg" in text or shutil.which("dot") is None


def test_the_json_ld_context_compacts_without_loss(tmp_path: Path) -> None:
    import json

    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text())["@context"]
    compact = {"@context": context, "@id": "id:A/RES/80/16", "symbol": "A/RES/80/16",
               "date": "2025-12-01", "endorses": "id:A/80/257", "recalls": ["id:A/RES/79/237"]}
    g = Graph().parse(data=json.dumps(compact), format="json-ld")
    me = instrument_iri("A/RES/80/16")
    assert (me, NG.endorses, instrument_iri("A/80/257")) in g
    assert (me, NG.recalls, instrument_iri("A/RES/79/237")) in g
    date = Literal("2025-12-01", datatype=XSD.date)
    assert (me, URIRef("http://data.europa.eu/eli/ontology#date_document"), date) in g
    dump = Graph().parse(DUMP, format="turtle")
    assert all(t in dump for t in g if t[1] != URIRef(
        "http://data.europa.eu/eli/ontology#id_local"))
