"""Readers: every shape the seeds arrive in, and bad bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normgraph import api
from normgraph.read.readers import ReadError, read, read_bytes

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"


def test_markdown_links_and_emphasis_are_cleaned_in_place() -> None:
    raw = (SOURCES / "000_cdab6decd82e2069.txt").read_bytes()
    doc = read_bytes(raw, "000.txt")
    assert doc.format == "markdown"
    assert len(doc.text) == len(raw.decode("utf-8"))  # spans stay spans of the source
    assert "[75/240](#)" not in doc.text and "75/240" in doc.text
    assert "*Decides*" not in doc.text
    assert doc.metadata["symbol"] == "A/RES/79/237"
    assert doc.metadata["date"] == "2024-12-24"
    assert doc.metadata["distributed"] == "2024-12-31"
    assert doc.metadata["session"] == "79"
    assert doc.metadata["agenda_item"] == "93"
    assert doc.metadata["meeting"] == "55th (resumed) plenary meeting"


def test_front_matter_and_running_header() -> None:
    doc = read(SOURCES / "001_afe3f602325e065d.txt")
    assert doc.metadata["symbol"] == "A/RES/80/16"
    assert doc.metadata["record_id"] == "4095875"
    # the adoption date is the one the text states, not the front matter's (the Distr. date)
    assert doc.metadata["date"] == "2025-12-01"
    assert doc.metadata["distributed"] == "2025-12-05"
    assert doc.metadata["title"].endswith("established pursuant to General Assembly resolution 75/240")
    assert "symbol: A/RES/80/16" not in doc.text
    # the running header printed inside operative paragraph 2 is blanked
    assert doc.text.count("Open-ended working group on security of and in the use of") == 1


def test_ocr_markers_removed() -> None:
    doc = read(SOURCES / "003_0c41330b263cb666.txt")
    assert doc.format == "ocr"
    assert "security.!" not in doc.text and "has recognized that" in " ".join(doc.text.split())


def test_web_text() -> None:
    doc = read(SOURCES / "002_1332e342f77ad79e.txt")
    assert doc.format == "text" and "symbol" not in doc.metadata


def test_pdf_page_furniture(corpus: Path) -> None:
    doc = read(corpus / "A_RES_75_240.txt")
    assert doc.metadata["symbol"] == "A/RES/75/240"
    assert doc.metadata["date"] == "2020-12-31"
    assert "21-00006" not in doc.text and "2/4" not in doc.text.split()
    assert doc.metadata["title"] == ("Developments in the field of information and "
                                     "telecommunications in the context of international security")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"   \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"---\nsymbol: A/RES/80/16\nno end here\n", "never closes"),
        (b"---\n: [\n---\ntext", "not valid YAML"),
        # iGov decision records (JSON): the shape is recognised, the record is not usable
        (b'{"ED_DecisionNumber": "75/564", "ED_DecisionText": "At its', "not valid JSON"),
        (b'{"ED_DecisionNumber": "seventy", "ED_DecisionText": "x"}', "not a decision number"),
        (b'{"ED_DecisionNumber": "75/564", "ED_DecisionText": 5}', "without a ED_DecisionText"),
    ],
)
def test_bad_bytes_are_one_line_errors(data: bytes, message: str) -> None:
    with pytest.raises(ReadError) as info:
        read_bytes(data, "bad.txt")
    assert message in str(info.value) and "\n" not in str(info.value)


def test_encodings_and_line_endings() -> None:
    text = "The General Assembly,\r\n\r\nRecalling its resolution 75/240,\r\n"
    for data, note in [
        (text.encode("utf-16"), "UTF-16"),
        (b"\xef\xbb\xbf" + text.encode("utf-8"), "byte-order mark"),
        ("Caf\u00e9 resolution 75/240".encode("latin-1"), "Latin-1"),
    ]:
        doc = read_bytes(data, "x.txt")
        assert any(note in n for n in doc.notes), doc.notes
        assert "\r" not in doc.text


def test_malformed_front_matter_date_is_a_note() -> None:
    doc = read_bytes(b"---\nsymbol: A/RES/80/16\ndate: 2025-02-30\n---\ntext\n", "x.txt")
    assert any("2025-02-30" in n for n in doc.notes)
    assert doc.metadata["symbol"] == "A/RES/80/16"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read(tmp_path / "gone.txt")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_no_crash_on_any_bytes(data: bytes) -> None:
    try:
        doc = read_bytes(data, "fuzz.bin")
    except ReadError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(doc.text, str)


def test_title_words_inside_a_paragraph_are_not_a_running_header() -> None:
    """PDF text repeats the title in each page's head, beside the symbol and page number; the
    same words inside a paragraph (77/37 and 78/16 name the programme of action by its title)
    stay, and a head whose last line is short is removed whole."""
    sources = Path(__file__).resolve().parents[2] / "data" / "sources"
    for name, number in (("A_RES_77_37.txt", "1"), ("A_RES_78_16.txt", "1")):
        e = api.extract(read(sources / name))
        para = next(p for p in e.paragraphs if p.number == number)
        assert ("programme of action to advance responsible State behaviour in the use of "
                "information and communications technologies") in para.text, name
    e = api.extract(read(sources / "A_RES_76_19.txt"))
    para = next(p for p in e.paragraphs if p.number == "4")
    assert para.text.endswith("in accordance with General Assembly resolution 75/240;")
    # the page break between them no longer joins two preambular paragraphs
    assert [p.verb for p in e.paragraphs if p.number in ("pp4", "pp5")] == [
        "Noting", "Expressing concern"]
