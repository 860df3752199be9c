"""Typeset a UN document's text as a PDF in the UN layout, for the PDF reader's tests.

The input is PDF text as the corpus holds it (pages run together, each page's footnotes after a
``____`` rule, then the running header or footer block with the page number ``n/m``). The output
is a real PDF (fpdf2): body in 10 pt Times, footnotes in 8 pt under a drawn rule at the foot of
their page, and the furniture printed where UN documents print it: on page 1 the job number and
barcode at the foot; on later pages the symbol and title in the top margin and the job number
and page number in the bottom margin.

Run as a script to write a PDF: ``python tests/read/un_pdf.py IN.txt OUT.pdf``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

from normgraph.read.readers import read_bytes

_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}/\d{1,3}\s*$")
_JOB = re.compile(r"^\s*(\d{2}-\d{5})\b.*$")
_BARCODE = re.compile(r"^\s*\*\d{6,}\*\s*$")
_SEPARATOR = re.compile(r"^\s*_{5,}\s*$")
_SYMBOL = re.compile(r"^\s*([A-Z]+/[A-Z0-9/.\-]+)\s*$")

WIDTH, HEIGHT = 595.0, 842.0  # A4 in points
LEFT = 72.0
BODY_TOP = 110.0  # below the running header on pages after the first
FIRST_TOP = 50.0
BODY_BOTTOM = 750.0
LEADING = 11.5
NOTE_LEADING = 9.5


@dataclass
class Page:
    body: list[str] = field(default_factory=list)  # "" is a blank line
    notes: list[str] = field(default_factory=list)


def pages_of(text: str) -> tuple[list[Page], str, str, str]:
    """The corpus text cut at its page numbers: pages (body lines, footnote lines), and the
    symbol, job number and running title the furniture printed."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
    symbol = next((m.group(1) for ln in lines[:15] if (m := _SYMBOL.match(ln))), "")
    job = next((m.group(1) for ln in lines if (m := _JOB.match(ln))), "")
    # the furniture block around each page number is what normgraph's text reader blanks there
    # (symbol, running title, job number), with the blank lines between
    doc = read_bytes(text.encode("utf-8"), "in.txt")
    kept = doc.text.split("\n")
    running = " ".join(doc.metadata.get("title", "").split()).lower()

    def furniture_line(j: int) -> bool:
        s = lines[j].strip()
        return not kept[j].strip() or (len(s) > 10 and s.lower() in running)

    furniture: set[int] = set()
    title: list[str] = []
    for i, ln in enumerate(lines):
        if not _PAGE_NUMBER.match(ln):
            continue
        lo, hi = i, i
        while lo > 0 and furniture_line(lo - 1) and not _SEPARATOR.match(lines[lo - 1]):
            lo -= 1
        while hi + 1 < len(lines) and furniture_line(hi + 1):
            hi += 1
        furniture.update(range(lo, hi + 1))
        if not title:
            title = [lines[j].strip() for j in range(lo, hi + 1) if lines[j].strip()
                     and not _block_line(lines[j], symbol, job)]
    pages = [Page()]
    in_notes = False
    for i, ln in enumerate(lines):
        if _BARCODE.match(ln) or (_JOB.match(ln) and i < 20):
            continue  # page 1's foot, printed there by the typesetter
        if i in furniture:
            if _PAGE_NUMBER.match(ln):
                pages.append(Page())
                in_notes = False
            continue
        if _SEPARATOR.match(ln):
            in_notes = True
            continue
        page = pages[-1]
        if in_notes:
            if ln.strip():
                page.notes.append(ln.strip())
            continue
        page.body.append(ln.strip())
    return [p for p in pages if any(p.body) or p.notes], symbol, job, " ".join(title)


def _block_line(line: str, symbol: str, job: str) -> bool:
    s = line.strip()
    return bool(s) and (s == symbol or s == job or bool(_PAGE_NUMBER.match(s)))


def typeset(text: str) -> bytes:
    """The PDF of a UN document's text (see the module docstring)."""
    pages, symbol, job, title = pages_of(text)
    pdf = FPDF(unit="pt", format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # curly quotes and dashes, as UN texts print them
    pdf.set_auto_page_break(False)
    pdf.set_margins(LEFT, 40)
    count = len(pages)
    number = 0

    def new_page() -> float:
        nonlocal number
        pdf.add_page()
        number += 1
        if number == 1:
            pdf.set_font("Times", size=8)
            pdf.text(LEFT, 800, f"{job} (E)    010101")
            pdf.text(LEFT, 812, "*" + job.replace("-", "") + "*")
            return FIRST_TOP
        pdf.set_font("Times", size=8)
        pdf.text(LEFT, 40, symbol)
        pdf.text(LEFT, 52, title[:80])
        pdf.text(LEFT, 800, job)
        pdf.text(WIDTH - LEFT - 20, 800, f"{number}/{count}")
        return BODY_TOP

    for page in pages:
        y = new_page()
        notes_top = BODY_BOTTOM - NOTE_LEADING * len(page.notes) - (12 if page.notes else 0)
        pdf.set_font("Times", size=10)
        for line in _trim(page.body):
            if y > notes_top:  # an overfull page runs on to the next
                y = new_page()
                pdf.set_font("Times", size=10)
            if line:
                pdf.text(LEFT, y, line)
            y += LEADING
        if page.notes:
            pdf.line(LEFT, notes_top + 2, LEFT + 100, notes_top + 2)
            pdf.set_font("Times", size=8)
            ny = notes_top + 12
            for note in page.notes:
                pdf.text(LEFT, ny, note)
                ny += NOTE_LEADING
    return bytes(pdf.output())


def _trim(lines: list[str]) -> list[str]:
    """Runs of blank lines as one (a paragraph gap)."""
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return out


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.write_bytes(typeset(source.read_text(encoding="utf-8")))
