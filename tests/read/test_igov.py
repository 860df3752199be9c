"""The reader of UN iGov decision records (JSON): metadata from the fields, the decision text
in place (spans true to the file), the title as its own paragraph, bad records as one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from normgraph import api
from normgraph.cli import app
from normgraph.read.readers import read

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "igov_decision.json"
SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"


def test_fields_become_metadata() -> None:
    doc = read(FIXTURE)
    m = doc.metadata
    assert doc.format == "igov"
    assert m["symbol"] == "A/DEC/79/590" and m["kind"] == "decision" and m["parts"] == "A and B"
    # the title with its doubled space closed up, its dash kept
    assert m["title"].startswith("Working group on testing of readers 2024–2026 established")
    assert m["session"] == "79" and m["agenda_item"] == "93"
    assert m["committee"] == "First Committee" and m["organ"] == "General Assembly"
    # two meetings listed out of order: the decision (part A) is dated by the earlier one
    assert m["date"] == "2024-12-10" and m["meeting_dates"] == "2024-12-10, 2025-06-03"
    assert m["meeting"] == "51st plenary meeting; 88 plenary meeting"


def test_spans_are_spans_of_the_file() -> None:
    raw = FIXTURE.read_text(encoding="utf-8")
    e = api.extract(read(FIXTURE))
    assert len(e.document.text) == len(raw)
    title = e.paragraphs[0]
    assert title.kind == "title" and title.number == "title"
    a, b = title.span
    assert json.loads(f'"{raw[a:b]}"').split() == e.title.split()
    p1 = next(p for p in e.paragraphs if p.number == "p1")
    a, b = p1.span
    # the paragraph starts where it starts in the file: the field from there, unescaped, opens
    # with the paragraph's text (escapes before its end make its end a few characters early)
    rest = json.loads(raw[a - 1:].split('",\n')[0] + '"') if raw[a - 1] == '"' else \
        json.loads('"' + raw[a:].split('",\n')[0] + '"')
    assert " ".join(rest.split()).startswith(p1.text)
    assert 0 <= (b - a) - len(p1.text) <= 10
    assert p1.text.startswith("At its 51st plenary meeting, on 10 December 2024")
    # nothing outside the decision text (keys, the disclaimer) is read as text
    assert "Disclaimer" not in e.document.text and "A/79/49" not in e.document.text


def test_references_and_report_facts_from_the_text() -> None:
    e = api.extract(read(FIXTURE))
    refs = {(r.symbol, r.relation, r.paragraph) for r in e.references}
    assert ("A/RES/78/999", "recalls", "p1") in refs
    assert ("A/79/411", "refers to", "p1") in refs  # the inline "(Footnote: A/79/411, para.9.)"
    report = [f for f in e.facts if f["fact"] == "report"]
    assert report == [{"fact": "report", "what": "final report", "paragraph": "p1", "subject": "",
                       "symbol": "A/79/500", "date": "2024-06-06", "event": "adopted"}]


@pytest.mark.parametrize("name", sorted(p.name for p in SOURCES.glob("*.json")))
def test_every_shipped_record_reads_with_its_own_number(name: str) -> None:
    path = SOURCES / name
    doc = read(path)
    number = json.loads(path.read_text(encoding="utf-8"))["ED_DecisionNumber"]
    assert doc.metadata["symbol"] == "A/DEC/" + number.split()[0]
    assert doc.metadata["date"] and doc.metadata["title"] and doc.metadata["session"]
    # the text the reader keeps opens the decision as printed
    e = api.extract(doc)
    first = next(p for p in e.paragraphs if p.kind != "title")
    assert first.text.startswith("At its ")


def test_cli_reads_the_good_record_beside_a_bad_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"ED_DecisionNumber": "75/564", "ED_DecisionText": "At its')
    result = CliRunner().invoke(app, ["ingest", str(bad), str(FIXTURE)])
    assert result.exit_code == 1
    assert "bad.json: iGov record: not valid JSON" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    rows = json.loads(result.stdout)
    assert [r["symbol"] for r in rows] == ["A/DEC/79/590"] and rows[0]["date"] == "2024-12-10"
