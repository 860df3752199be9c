"""PDF input: the pages of a UN document as the plain text the other readers take.

pdfminer.six's layout analysis gives each printed line with its position and font size. From
those this module lays the page out as UN documents print it: the body in reading order, a
blank line where the vertical gap says a paragraph ends, and the footnotes (set smaller, below
the body) moved after a ``__________________`` rule, as the segmenter expects them. Running
headers and footers are dropped by position: a line in the top or bottom band of a page that is
a page number, or that recurs in a band of another page (digits aside: "2/4", "3/4"). What is
printed once (the job number on page 1), and the masthead at the top of page 1, stay in the
text, where the text readers recognise them as they do in any PDF extract.

Spans of the resulting :class:`~normgraph.model.Document` are spans of this extracted text.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["PDF_MAGIC", "is_pdf", "pdf_text", "PdfError"]

PDF_MAGIC = b"%PDF-"
#: the share of the page height, from the top and from the bottom, where running headers and
#: footers are printed
BAND = 0.12
#: a line set this much smaller than the body text, below it, is a footnote
FOOTNOTE_RATIO = 0.92
SEPARATOR = "__________________"
_PAGE_NUMBER = re.compile(r"^(?:\d{1,4}(?:\s*/\s*\d{1,4})?|Page\s+\d+(?:\s+of\s+\d+)?)$", re.I)


class PdfError(Exception):
    """A PDF that cannot be read; the message is one line."""


@dataclass
class _Line:
    page: int
    top: float  # distance from the top of the page, in points
    bottom: float
    left: float
    size: float  # the font size most of its characters are set in
    text: str
    height: float  # the page's height


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` is a PDF file (its header may follow up to 1 KiB of junk, as the
    PDF specification allows readers to accept)."""
    return PDF_MAGIC in data[:1024]


def _lines(data: bytes) -> list[_Line]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine

    out: list[_Line] = []
    params = LAParams(line_margin=0.3, char_margin=2.0)
    for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=params)):
        height = page.height
        stack = list(page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTTextLine):
                text = item.get_text().strip()
                if not text:
                    continue
                sizes = Counter(round(ch.size, 1) for ch in item if isinstance(ch, LTChar))
                size = sizes.most_common(1)[0][0] if sizes else 0.0
                out.append(_Line(number, height - item.y1, height - item.y0, item.x0, size,
                                 re.sub(r"[ \t]+", " ", text), height))
            elif isinstance(item, LTTextContainer):
                stack.extend(item)
    return out


def _merge_rows(lines: list[_Line]) -> list[_Line]:
    """Pieces of one printed row (a header with the symbol left and the page number right)
    joined left to right, rows in reading order."""
    lines.sort(key=lambda ln: (ln.page, round(ln.bottom), ln.left))
    rows: list[_Line] = []
    for ln in lines:
        last = rows[-1] if rows else None
        if last and last.page == ln.page and abs(last.bottom - ln.bottom) < 2.0:
            last.text = f"{last.text} {ln.text}"
            last.size = max(last.size, ln.size)
            continue
        rows.append(_Line(ln.page, ln.top, ln.bottom, ln.left, ln.size, ln.text, ln.height))
    return rows


def _in_band(ln: _Line) -> bool:
    return _top(ln) or ln.top > ln.height * (1 - BAND)


def _furniture(rows: list[_Line]) -> set[int]:
    """Indices of running headers and footers."""
    shape = [re.sub(r"\d+", "#", r.text.lower()) for r in rows]
    pages_of: dict[str, set[int]] = {}
    for i, r in enumerate(rows):
        if _in_band(r):
            pages_of.setdefault(shape[i], set()).add(r.page)
    # the top of the first page is the masthead (its symbol recurs in later headers, and is kept)
    return {i for i, r in enumerate(rows) if _in_band(r) and not (r.page == 0 and _top(r)) and (
        _PAGE_NUMBER.match(r.text) or len(pages_of.get(shape[i], ())) >= 2)}


def _top(ln: _Line) -> bool:
    return ln.bottom < ln.height * BAND


def pdf_text(data: bytes) -> str:
    """The text of a PDF laid out as UN document text (see the module docstring). Raises
    :class:`PdfError` (one line) for a PDF that cannot be read or holds no text."""
    try:
        rows = _merge_rows(_lines(data))
    except Exception as exc:  # pdfminer raises many types for broken files
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise PdfError(f"PDF cannot be read ({first[:200]})") from None
    if not rows:
        raise PdfError("PDF holds no text (a scanned image needs OCR first)")
    skip = _furniture(rows)
    kept = [r for i, r in enumerate(rows) if i not in skip]
    sizes = Counter()  # type: Counter[float]
    for r in kept:
        sizes[r.size] += len(r.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    pages: list[str] = []
    for page in sorted({r.page for r in kept}):
        on_page = [r for r in kept if r.page == page]
        body_bottom = max((r.bottom for r in on_page if r.size >= body_size * FOOTNOTE_RATIO),
                          default=0.0)
        # what stays in the margins (printed once: page 1's job number) follows the footnotes
        foot = [r for r in on_page if _in_band(r) and r.top >= body_bottom]
        body = [r for r in on_page if r not in foot and (
            r.size >= body_size * FOOTNOTE_RATIO or r.top < body_bottom)]
        notes = [r for r in on_page if r not in body and r not in foot]
        text = _with_gaps(body)
        if notes:
            text += f"\n{SEPARATOR}\n\n" + _with_gaps(notes)
        if foot:
            text += "\n\n" + _with_gaps(foot)
        pages.append(text)
    return "\n\n".join(pages) + "\n"


def _with_gaps(rows: list[_Line]) -> str:
    """Rows joined by newlines, with a blank line where the gap above a row is larger than
    the usual line spacing (a new paragraph)."""
    if not rows:
        return ""
    pitches = sorted(b.bottom - a.bottom for a, b in zip(rows, rows[1:], strict=False)
                     if b.bottom > a.bottom)
    pitch = pitches[len(pitches) // 2] if pitches else 0.0
    out = [rows[0].text]
    for prev, row in zip(rows, rows[1:], strict=False):
        if pitch and row.bottom - prev.bottom > pitch * 1.4:
            out.append("")
        out.append(row.text)
    return "\n".join(out)
