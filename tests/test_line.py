"""The shipped graph holds the General Assembly's ICT-security line from its texts (issue 16):
every source with its origin, dates each stated by a text, lineage over stated links, the
norms in the words of 73/27, one report under several symbols, and dates that disagree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD
from typer.testing import CliRunner

from normgraph import api
from normgraph.cli import app
from normgraph.graph.vocab import CITO, ELI, NG, instrument_iri, norm_iri

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
runner = CliRunner()


def cli(dump: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--dump", str(dump)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def graph(built) -> Graph:
    return Graph().parse(built[1], format="turtle")


# -- 1. sources -----------------------------------------------------------------------------------

def test_every_source_has_a_record_and_every_copied_file_its_origin() -> None:
    records = {r["file"]: r for r in yaml.safe_load(
        (ROOT / "data" / "catalog.yaml").read_text(encoding="utf-8"))["documents"]}
    files = {p.name for p in SOURCES.iterdir()}
    assert files == set(records)
    copied = [r for r in records.values() if r.get("origin")]
    assert len(copied) == 15  # nine resolutions and six iGov decision records
    for r in copied:
        assert set(r["origin"]) >= {"repository", "path", "commit"}
        assert len(r["origin"]["commit"]) == 40
        # the texts state their own symbol, date and title: the record adds none of them
        assert not {"symbol", "date", "title"} & set(r)


def test_copied_files_are_unchanged(corpus: Path) -> None:
    for original in [*corpus.glob("*.txt"), *(corpus / "igov").glob("*.json")]:
        assert (SOURCES / original.name).read_bytes() == original.read_bytes(), original.name


def test_the_source_file_names_its_origin(graph: Graph) -> None:
    src = URIRef("https://w3id.org/normgraph/source/75_564.json")
    origin = {str(o) for o in graph.objects(src, DCTERMS.source)}
    assert origin == {"https://github.com/wannli/mandate-pipeline/blob/"
                      "a1f40c6ff1976646cbda864f8858392d8d1258b8/data/igov/decisions/75/75_564.json"}


# -- 2. facts from the texts ------------------------------------------------------------------------

def test_timeline_lists_twenty_instruments_each_dated_by_a_text(built, graph: Graph) -> None:
    result, dump = built
    code, out, _ = cli(dump, "query", "timeline", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) >= 20
    own = {e.symbol: e.date for e in result.extractions if e.symbol}
    for row in rows:
        symbol, date = row["symbol"], row["date"]
        iri = instrument_iri(symbol)
        day = Literal(date, datatype=XSD.date)
        if own.get(symbol):
            assert own[symbol] == date, symbol  # the date its own text states
            continue
        cited = any((c, CITO.hasCitedEntity, iri) in graph
                    for c in graph.subjects(NG.citedDate, day))
        adopted = any((w, DCTERMS.hasVersion, iri) in graph
                      for w in graph.subjects(NG.adoptedOn, day))
        assert cited or adopted, f"{symbol} {date} is stated by no text"


def test_a_decision_dates_the_report_it_endorses(built) -> None:
    # 75/564: "the final report adopted by the Open-ended Working Group on 12 March 2021
    # (See A/75/816)"
    code, out, _ = cli(built[1], "show", "A/75/816", "--format", "json")
    assert code == 0
    assert json.loads(out)["properties"]["eli:date_document"] == ["2021-03-12"]


def test_an_igov_record_gives_its_header_facts(built) -> None:
    code, out, _ = cli(built[1], "show", "75/564", "--format", "json")
    props = json.loads(out)["properties"]
    assert code == 0
    assert props["eli:date_document"] == ["2021-04-28"]
    assert props["ng:session"] == ["75"] and props["ng:agendaItem"] == ["98"]
    assert props["ng:meeting"] == ["62nd plenary meeting"]
    assert props["eli:title"][0].startswith("Report of the Open-ended Working Group on Dev")


def test_lineage_of_80_16_reaches_53_70_through_stated_links(built) -> None:
    result, dump = built
    code, out, _ = cli(dump, "lineage", "80/16", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert "A/RES/53/70" in {i["symbol"] for i in data["instruments"]}
    assert all(link["paragraph"] for link in data["links"])
    held = {e.symbol for e in result.extractions if e.symbol}
    code, out, _ = cli(dump, "path", "80/16", "53/70", "--format", "json")
    steps = json.loads(out)
    assert code == 0 and steps[-1]["to"] == "A/RES/53/70"
    assert all(step["from"] in held for step in steps)  # each link read from a shipped text


def test_no_curated_link_restates_a_shipped_text(built) -> None:
    held = {e.symbol for e in built[0].extractions if e.symbol}
    ref = api.load_reference()
    curated = [(fact.symbol, link.target) for fact in ref.instruments for link in fact.links]
    assert not [c for c in curated if c[0] in held]
    # the two links of 76/19 once typed in by hand are now read from its text
    stated = {(r.symbol, r.relation, r.paragraph) for e in built[0].extractions
              if e.symbol == "A/RES/76/19" for r in e.references}
    assert {("A/75/816", "refers to", "1"), ("A/76/135", "welcomes", "2")} <= stated


# -- 3. the norms in their words --------------------------------------------------------------------

def test_norms_show_the_wording_of_73_27_with_its_paragraph(built, graph: Graph) -> None:
    code, out, _ = cli(built[1], "norms", "--format", "json")
    assert code == 0
    rows = {r["norm"]: r for r in json.loads(out)}
    assert len(rows) == 11
    para = {p.number: p.text for e in built[0].extractions if e.symbol == "A/RES/73/27"
            for p in e.paragraphs}
    for notation, row in rows.items():
        assert row["wording_from"].startswith("A/RES/73/27 para 1."), notation
        numbers = row["wording_from"].split(" para ")[1].split(", ")
        assert row["wording"] == " ".join(para[n] for n in sorted(
            numbers, key=lambda n: int(n.split(".")[1])))
    assert rows["13(f)"]["wording_from"] == "A/RES/73/27 para 1.6"
    assert rows["13(f)"]["wording"].startswith("A State should not conduct or knowingly support")
    notes = " ".join(str(n) for n in graph.objects(norm_iri("13(f)"),
                                                   URIRef(str(graph.namespace_manager.expand_curie(
                                                       "skos:note")))))
    assert "normgraph's mapping" in notes


def test_norm_wording_is_read_from_the_text_not_the_reference_data() -> None:
    text = (ROOT / "data" / "reference" / "norms.yaml").read_text(encoding="utf-8")
    assert "intentionally damages critical infrastructure" in text  # a cue phrase, quoted
    assert "contrary to its obligations under international law" not in text


# -- 4. one report, several documents ----------------------------------------------------------------

@pytest.mark.parametrize(("symbol", "other"), [("A/AC.292/2025/CRP.1", "A/80/257"),
                                               ("A/80/257", "A/AC.292/2025/CRP.1")])
def test_show_leads_from_one_version_of_the_report_to_the_other(built, symbol: str,
                                                                other: str) -> None:
    code, out, _ = cli(built[1], "show", symbol)
    assert code == 0 and f"same report as {other}" in out
    code, out, _ = cli(built[1], "show", symbol, "--format", "json")
    assert [v["symbol"] for v in json.loads(out)["same_report_as"]] == [other]


def test_the_progress_report_is_dated_where_79_237_says(graph: Graph) -> None:
    works = list(graph.subjects(DCTERMS.hasVersion, instrument_iri("A/79/214")))
    assert len(works) == 1
    assert (works[0], NG.consideredOn, Literal("2024-07-12", datatype=XSD.date)) in graph
    # considered is not adopted, and the issued document is not dated by it
    assert graph.value(instrument_iri("A/79/214"), ELI.date_document) is None


# -- the build -----------------------------------------------------------------------------------------

def test_the_committed_dump_is_what_build_writes(built) -> None:
    result, out = built
    assert result.report.conforms
    assert out.read_bytes() == (ROOT / "data" / "normgraph.ttl").read_bytes()


def test_the_shipped_corpus_builds_without_a_warning(built) -> None:
    """`normgraph build --strict` passes on the shipped sources: the iGov record of 77/512,
    whose footnote says the decision "becomes decision 77/512 A", names itself in a footnote
    (how it is recorded), which is no citation of itself."""
    result, _ = built
    assert result.warnings == [] and result.errors == [] and not result.report.warnings


def test_a_document_naming_itself_in_a_footnote_is_no_self_citation(tmp_path: Path) -> None:
    text = ("---\nsymbol: A/RES/99/8\ntitle: T\n---\nThe General Assembly,\n\n"
            "1. Recalls its resolution 75/240;1\n\n__________\n"
            "1 Resolution 99/8 is issued as A/RES/99/8.\n")
    (tmp_path / "self.txt").write_text(text, encoding="utf-8")
    [extraction], errors = api.ingest([tmp_path / "self.txt"])
    assert not errors and extraction.warnings == []
    assert "A/RES/99/8" not in {r.symbol for r in extraction.references}


# -- dates that disagree ---------------------------------------------------------------------------------

_RESOLUTION = """United Nations A/RES/{n}

General Assembly Distr.: General
{day} December 2023

Seventy-eighth session
Agenda item 94

Resolution adopted by the General Assembly on {day} December 2023

{n}. Testing dates

The General Assembly,

Recalling its resolution 75/240 of {cited} December 2020,

1. Decides to remain seized of the matter.
"""


def _project(tmp_path: Path, cited: list[str]) -> Path:
    (tmp_path / "data" / "sources").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    for i, day in enumerate(cited, start=1):
        n = f"78/{900 + i}"
        (tmp_path / "data" / "sources" / f"r{i}.txt").write_text(
            _RESOLUTION.format(n=n, day=10 + i, cited=day), encoding="utf-8")
    return tmp_path


def test_a_date_most_sources_state_is_kept_with_the_dissent(tmp_path: Path) -> None:
    root = _project(tmp_path, ["31", "31", "30"])
    result = runner.invoke(app, ["build"], env={"NORMGRAPH_ROOT": str(root)})
    assert result.exit_code == 0, result.output
    assert "A/RES/75/240: sources state different dates; recorded 2020-12-31" in result.stderr
    g = Graph().parse(root / "data" / "normgraph.ttl", format="turtle")
    iri = instrument_iri("A/RES/75/240")
    assert list(g.objects(iri, ELI.date_document)) == [Literal("2020-12-31", datatype=XSD.date)]
    comment = " ".join(str(c) for c in g.objects(iri, URIRef(
        "http://www.w3.org/2000/01/rdf-schema#comment")))
    assert "2020-12-30 (r3.txt pp1)" in comment and "2020-12-31 (r1.txt pp1, r2.txt pp1)" in comment
    # the dissenting statement stays as evidence on its citation
    assert Literal("2020-12-30", datatype=XSD.date) in set(g.objects(None, NG.citedDate))


def test_a_tie_records_no_date(tmp_path: Path) -> None:
    root = _project(tmp_path, ["31", "30"])
    result = runner.invoke(app, ["build"], env={"NORMGRAPH_ROOT": str(root)})
    assert result.exit_code == 0, result.output
    assert "A/RES/75/240: sources state different dates, none recorded" in result.stderr
    g = Graph().parse(root / "data" / "normgraph.ttl", format="turtle")
    assert g.value(instrument_iri("A/RES/75/240"), ELI.date_document) is None


# -- 5. bodies and their lives ---------------------------------------------------------------------

BODY = "https://w3id.org/normgraph/body/"


def test_bodies_with_the_act_that_established_each(built) -> None:
    code, out, _ = cli(built[1], "query", "bodies", "--format", "json")
    assert code == 0
    acts = {(r["body"].removeprefix(BODY), r.get("relation"), r.get("symbol"))
            for r in json.loads(out)}
    assert {("oewg-2019-2021", "established by", "A/RES/73/27"),
            ("oewg-2021-2025", "established by", "A/RES/75/240"),
            ("gge-2019-2021", "established by", "A/RES/73/266"),
            ("global-mechanism", "mandated by", "A/RES/80/16")} <= acts
    # the programme of action is a proposal in the texts: no act established it
    assert {a for a in acts if a[0] == "programme-of-action"} == {
        ("programme-of-action", None, None)}


def test_sessions_are_dated_only_where_a_text_says_they_were_held(graph: Graph) -> None:
    def dates(body: str, n: int) -> set[str]:
        return {str(d) for d in graph.objects(URIRef(f"{BODY}{body}/session/{n}"), DCTERMS.date)}

    # 75/564: "its third and final substantive session had been convened from 8 to 12 March 2021"
    assert dates("oewg-2019-2021", 3) == {"2021-03"}  # not July 2020, when it was cancelled
    assert dates("oewg-2021-2025", 5) == {"2023-07-28"}  # 78/541
    assert dates("oewg-2021-2025", 11) == {"2025-07-11"}  # 80/16
    # 75/551: the GGE's third session "scheduled for 17 to 21 August 2020, could not take place"
    assert not list(graph.subjects(URIRef("https://w3id.org/normgraph/ontology#sessionOf"),
                                   URIRef(f"{BODY}gge-2019-2021")))


def test_reports_belong_to_their_bodies(graph: Graph) -> None:
    assert str(graph.value(instrument_iri("A/76/135"), ELI.passed_by)) == BODY + "gge-2019-2021"
    assert str(graph.value(instrument_iri("A/80/257"), ELI.passed_by)) == BODY + "oewg-2021-2025"
    assert str(graph.value(instrument_iri("A/75/816"), ELI.passed_by)) == BODY + "oewg-2019-2021"
    # each report work is its body's
    work = graph.value(instrument_iri("A/79/214"), DCTERMS.isVersionOf)
    assert str(graph.value(work, DCTERMS.creator)) == BODY + "oewg-2021-2025"


def test_header_facts_name_the_committee_report_and_its_paragraph(graph: Graph) -> None:
    def report(symbol: str) -> str:
        return str(graph.value(instrument_iri(symbol), NG.adoptedOnReportOf))

    # "[on the report of the First Committee (A/76/439, para. 7)]"
    assert report("A/RES/76/19") == "https://w3id.org/normgraph/id/A/76/439/para/7"
    # a header without a paragraph names the report itself
    assert report("A/RES/73/27") == "https://w3id.org/normgraph/id/A/73/505"
    # an iGov record: "... of the First Committee, (Footnote: A/77/380, para.12.)"
    assert report("A/DEC/77/512") == "https://w3id.org/normgraph/id/A/77/380/para/12"
    assert str(graph.value(instrument_iri("A/76/439"), ELI.passed_by)).endswith(
        "/body/first-committee")
