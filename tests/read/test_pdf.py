"""PDF input: UN documents typeset as PDFs (by ``un_pdf.py``, beside this file) read back to the
same references, symbol, date and title as their text; running headers, footers and page
numbers removed; footnotes kept apart; a broken PDF is one line."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from normgraph import api
from normgraph.cli import app
from normgraph.read.readers import read_bytes

sys.path.insert(0, str(Path(__file__).parent))
from un_pdf import typeset  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
SHIPPED_PDF = ROOT / "tests" / "fixtures" / "pdf" / "A_RES_75_240.pdf"
RESOLUTIONS = sorted(CORPUS.glob("A_RES_*.txt")) if CORPUS.is_dir() else []


def _facts(extraction: api.Extraction) -> tuple:
    refs = [(r.symbol, r.relation, r.paragraph, r.date) for r in extraction.references]
    return extraction.symbol, extraction.date, extraction.title, refs


@pytest.mark.corpus
@pytest.mark.parametrize("source", RESOLUTIONS, ids=[p.stem for p in RESOLUTIONS])
def test_a_resolution_typeset_as_pdf_gives_what_its_text_gives(source: Path) -> None:
    if not RESOLUTIONS:
        pytest.skip("../shared/corpus is absent")
    reference = api.load_reference()
    text = source.read_bytes()
    pdf = typeset(text.decode("utf-8"))
    from_text = api.extract(read_bytes(text, source.name), reference)
    from_pdf = api.extract(read_bytes(pdf, source.stem + ".pdf"), reference)
    assert from_text.references, "the text itself gives references"
    assert _facts(from_pdf) == _facts(from_text)


def test_page_furniture_removed_and_footnotes_kept_apart() -> None:
    doc = read_bytes(SHIPPED_PDF.read_bytes(), SHIPPED_PDF.name)
    assert doc.format == "pdf"
    lines = [ln.strip() for ln in doc.text.split("\n")]
    # page numbers "2/4".."4/4" and the job number printed on every page are gone
    assert not [ln for ln in lines if re.fullmatch(r"\d/\d|21-00006.*|\*2100006\*", ln)]
    # the symbol is printed in every page's header; only the masthead's stays
    assert lines.count("A/RES/75/240") == 1
    # footnotes follow a rule, after the body text of their page
    rule = lines.index("__________________")
    assert lines[rule + 2] == "1 A/70/174."
    assert doc.metadata["symbol"] == "A/RES/75/240"
    assert doc.metadata["date"] == "2020-12-31"
    extraction = api.extract(doc, api.load_reference())
    # the footnote's reference belongs to the paragraph that calls it
    # pp17: "... in its 2015 report,1 identified as of central importance ..."
    assert ("A/70/174", "pp17") in {(r.symbol, r.paragraph) for r in extraction.references}


def test_the_shipped_pdf_is_what_the_typesetter_makes(corpus: Path) -> None:
    """The committed fixture is reproducible from the corpus text by ``un_pdf.py``."""
    made = typeset((corpus / "A_RES_75_240.txt").read_text(encoding="utf-8"))
    ours = read_bytes(made, "made.pdf")
    shipped = read_bytes(SHIPPED_PDF.read_bytes(), "shipped.pdf")
    assert ours.text == shipped.text


def test_ingest_a_pdf_as_a_user_does(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(SHIPPED_PDF), "--format", "json"])
    assert result.exit_code == 0, result.output
    (doc,) = json.loads(result.stdout)
    assert (doc["symbol"], doc["type"], doc["date"]) == ("A/RES/75/240", "resolution",
                                                         "2020-12-31")
    assert {"symbol": "A/RES/73/27", "relation": "recalls", "paragraph": "pp1",
            "date": "2018-12-05"} in doc["references"]
    if CORPUS.is_dir():
        text = CliRunner().invoke(app, ["ingest", str(CORPUS / "A_RES_75_240.txt"),
                                        "--format", "json"])
        assert json.loads(text.stdout)[0]["references"] == doc["references"]


def test_a_pdf_in_data_sources_is_built(project: Path) -> None:
    sources = project / "data" / "sources"
    # the PDF stands in for the shipped text of the same resolution (one file per symbol)
    (sources / "A_RES_75_240.txt").unlink(missing_ok=True)
    (sources / "A_RES_75_240.pdf").write_bytes(SHIPPED_PDF.read_bytes())
    result = api.build(api.Paths(project), out=project / "out.ttl")
    assert result.report.conforms and not result.errors, [e.line() for e in result.errors]
    [pdf] = [e for e in result.extractions if e.symbol == "A/RES/75/240"]
    assert pdf.document.path.endswith("A_RES_75_240.pdf")


@pytest.mark.parametrize("data", [b"%PDF-1.4\n%garbage\n", SHIPPED_PDF.read_bytes()[:2000]],
                         ids=["garbage", "truncated"])
def test_a_broken_pdf_is_one_line(tmp_path: Path, data: bytes) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(data)
    result = CliRunner().invoke(app, ["ingest", str(bad)])
    assert result.exit_code == 1
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                      SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"normgraph: {bad}: "), result.stderr
