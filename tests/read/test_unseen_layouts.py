"""The extractor on layouts the seeds do not show: a footnote right under the separator rule,
footnote lists with addenda ("A/70/172 and Add.1"), a long list of dated resolutions.

The files in tests/fixtures/synthetic_*.txt imitate the layouts of a GA resolution, a report
and a decision as extracted from their PDFs; they exist to test the grammar and are never a
source of facts for the graph.
"""

from __future__ import annotations

from pathlib import Path

from normgraph import api
from normgraph.read.symbols import scan

FIXTURE = Path(__file__).parents[1] / "fixtures" / "synthetic_resolution.txt"


def _refs() -> set[tuple[str, str, str, str | None]]:
    [e], errors = api.ingest([FIXTURE])
    assert not errors
    return {(r.symbol, r.relation, r.paragraph, r.date) for r in e.references}


def test_header_metadata_and_long_dated_list() -> None:
    [e], _ = api.ingest([FIXTURE])
    assert (e.symbol, e.kind, e.date) == ("A/RES/70/237", "resolution", "2015-12-23")
    refs = _refs()
    recalled = sorted(s for s, rel, p, _d in refs if rel == "recalls" and p == "pp1")
    assert len(recalled) == 17 and "A/DEC/67/519" in recalled
    assert ("A/RES/53/70", "recalls", "pp1", "1998-12-04") in refs


def test_footnotes_under_the_rule_are_attributed_to_the_calling_paragraph() -> None:
    refs = _refs()
    assert ("A/70/174", "takes note of", "pp2", None) in refs
    assert {("A/66/152", "welcomes", "pp3", None), ("A/66/152/Add.1", "welcomes", "pp3", None),
            ("A/67/167", "welcomes", "pp3", None), ("A/68/156/Add.1", "welcomes", "pp3", None)} \
        <= refs


def test_addenda_after_a_symbol_are_documents_too() -> None:
    refs = _refs()
    assert ("A/70/172/Add.1", "takes note of", "3", None) in refs
    found = [m.symbol.symbol for m in scan("A/68/156 and Add.1 and 2; A/79/214 and Corr.1")]
    assert found == ["A/68/156", "A/68/156/Add.1", "A/68/156/Add.2", "A/79/214",
                     "A/79/214/Corr.1"]


def test_a_report_masthead_gives_its_symbol_and_report_grammar() -> None:
    from normgraph.graph.reference import load_reference

    [e], _ = api.ingest([FIXTURE.with_name("synthetic_report.txt")], load_reference())
    assert (e.symbol, e.kind) == ("A/70/174", "report")
    numbers = [p.number for p in e.paragraphs]
    assert ["12", "13", "13 (a)", "13 (b)", "13 (f)", "14"] == numbers[-6:]
    # sub-items are parts of their paragraph, and the norm cues tag them
    sub = next(p for p in e.paragraphs if p.number == "13 (f)")
    assert sub.parent == "13" and e.norms["13 (f)"] == ["13(f)"]
    refs = {(r.symbol, r.relation, r.paragraph) for r in e.references}
    assert refs == {("A/RES/69/28", "refers to", "12"), ("A/68/98", "welcomes", "14"),
                    ("A/RES/58/199", "recalls", "14")}  # never itself


def test_a_decision_without_its_adoption_line() -> None:
    [e], _ = api.ingest([FIXTURE.with_name("synthetic_decision.txt")])
    assert (e.symbol, e.kind, e.date) == ("A/DEC/77/512", "decision", "2022-12-07")
    refs = {(r.symbol, r.relation, r.paragraph, r.date) for r in e.references}
    assert ("A/RES/75/240", "recalls", "p1", "2020-12-31") in refs
    assert ("A/77/275", "takes note of", "p1", None) in refs


def test_superscript_footnote_calls(tmp_path: Path) -> None:
    doc = tmp_path / "sup.txt"
    doc.write_text(
        "United Nations A/RES/99/1\n\nResolution adopted by the General Assembly on 1 December"
        " 2030\n\n99/1. Test\n\nThe General Assembly,\n\nTaking note of the report of the "
        "Group,\u00b9\n\n1. Welcomes the 2015 report\u00b2;\n\n__________________\n"
        "\u00b9 A/70/174.\n\u00b2 A/68/98.\n", encoding="utf-8")
    [e], _ = api.ingest([doc])
    assert {(r.symbol, r.relation, r.paragraph) for r in e.references} == {
        ("A/70/174", "takes note of", "pp1"), ("A/68/98", "welcomes", "1")}
