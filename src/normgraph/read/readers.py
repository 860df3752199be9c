"""Readers: bytes as received -> :class:`~normgraph.model.Document`.

One reader per shape the corpus arrives in: YAML front matter (PDF extracts), Markdown
renderings (``[75/240](#)`` links, ``*Decides*``), OCR (footnote markers read as ``!``, ``?``,
``%``), PDF text with page furniture (running headers, job numbers, page numbers), plain web
text, and PDF files (laid out as PDF text by :mod:`.pdf`). Every reader keeps the text the
same length as the decoded source (for a PDF: its extracted text): what it removes it
overwrites with spaces, so a character span in ``Document.text`` is also a span in the source.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
from pathlib import Path

from ..model import Document
from .igov import IGovError, igov_metadata, igov_text, is_igov
from .pdf import PdfError, is_pdf, pdf_text
from .safe_yaml import Mapping, YamlError, load
from .symbols import DATE_PATTERN, SymbolError, iso_date, parse

__all__ = ["ReadError", "read", "read_file", "read_bytes", "decode", "ordinal_number", "shown"]

MAX_BYTES = 64 * 1024 * 1024
#: front matter carries a few keys (symbol, title, date, record id, url): a few hundred bytes
#: in the corpus; the bound keeps YAML parsing, a few seconds a megabyte, short
MAX_FRONT_MATTER = 256 * 1024


class ReadError(Exception):
    """A file that cannot be read as a document; the message is one line naming the problem."""


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes -> text, with notes on anything unusual. Raises ReadError for empty or binary."""
    notes: list[str] = []
    if not data.strip():
        raise ReadError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError(f"broken UTF-16 text ({exc.reason})") from None
        notes.append("read as UTF-16")
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
            notes.append("UTF-8 byte-order mark skipped")
        sample = data[:8192]
        if b"\x00" in sample or _control_ratio(sample) > 0.05:
            raise ReadError("binary file, not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            notes.append("not UTF-8; read as Windows-1252/Latin-1")
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    if not text.strip():
        raise ReadError("empty file")
    return text, notes


#: the control bytes no text holds (tab, line feed, form feed and carriage return are text)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    bad = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return bad / len(sample)


def _blank(text: str, start: int, end: int) -> str:
    """Overwrite text[start:end] with spaces, keeping newlines, so offsets do not move."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


# -- front matter -----------------------------------------------------------------------------

_FM_OPEN = re.compile(r"\A\s*---[ \t]*\n")
_FM_CLOSE = re.compile(r"^---[ \t]*$", re.M)


def _front_matter(text: str, metadata: dict[str, str], notes: list[str]) -> str:
    m = _FM_OPEN.match(text)
    if not m:
        return text
    close = _FM_CLOSE.search(text, m.end())
    if not close:
        raise ReadError("front matter opened on line 1 never closes")
    block = text[m.end() : close.start()]
    if len(block) > MAX_FRONT_MATTER:
        raise ReadError(f"front matter is larger than {MAX_FRONT_MATTER // 1024} KiB; it "
                        f"holds a few keys (symbol, title, date...), not the document")
    first_line = text.count("\n", 0, m.end()) + 1  # the file's line of the block's line 1
    try:
        data = load(block, max_bytes=MAX_FRONT_MATTER) or {}
    except YamlError as exc:
        # "line N: ..." of the block, told as a line of the file
        where = re.match(r"line (\d+): (.*)", str(exc))
        said = f"line {int(where.group(1)) + first_line - 1}: {where.group(2)}" if where \
            else str(exc)
        raise ReadError(f"front matter {said}") from None
    if not isinstance(data, dict):
        raise ReadError("front matter is not a mapping of keys to values")
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            line = data.lines[key] + first_line - 1 if isinstance(data, Mapping) else first_line
            notes.append(f"front matter line {line}: {key} is not a single value; ignored")
            continue
        metadata[f"fm_{key}"] = str(value).strip()
    # the line is stripped in Python: a lazy ``.*?`` before ``[ \t]*$`` retries the tail at
    # every character, quadratic in a title padded with spaces
    tm = re.search(r"^title:(.*)$", block, re.M)
    if tm and tm.group(1).strip():
        # where the title is printed in the source, so its paragraph keeps a true span
        value = tm.group(1)
        start = m.end() + tm.start(1) + len(value) - len(value.lstrip(" \t"))
        end = m.end() + tm.start(1) + len(value.rstrip(" \t"))
        metadata["fm_title_span"] = f"{start},{end}"
    if "fm_date" in metadata:
        try:
            datetime.date.fromisoformat(metadata["fm_date"][:10])
        except ValueError:
            notes.append(f"front matter date {metadata['fm_date']!r} is not a real date; ignored")
            del metadata["fm_date"]
    return _blank(text, 0, close.end())


# -- cleaning -----------------------------------------------------------------------------------

# Every quantifier below is bounded or anchored to a line start without crossing lines (no
# ``^\s*`` under re.M, which runs over every blank line that follows each line start): each
# pattern then costs time linear in the text. tests/read/test_linear_time.py holds one hostile
# input per pattern.
_MD_LINK = re.compile(r"\[([^\[\]\n]{1,200})\]\((?:[^()\s]{0,2000})\)")
_MD_EMPH = re.compile(r"(?<![\w*])(\*{1,2}|_{1,2})(?=\S)([^*_\n]{1,120}?)(?<=\S)\1(?![\w*])")
_MD_CALL = re.compile(r"\[\^(\d{1,3})\](?!:)")
_MD_HEADING = re.compile(r"^(#{1,6})\s", re.M)
_MD_BULLET = re.compile(r"^([ \t]*)([-+*])([ \t]+)(?=\()", re.M)

# matched in full against a stripped line: no two whitespace runs meet, so a line padded with
# spaces is read once
_FURNITURE_LINES = [
    re.compile(r"\d{2}-\d{5}(?:\s*\(E\))?(?:\s+\d{6})?"),  # job number 21-00006 (E) 050121
    re.compile(r"\*\d{6,}\*"),  # barcode *2100006*
    re.compile(r"\d{1,3}/\d{1,3}"),  # page 2/4
    re.compile(r"Page\s+\d+(?:\s+of\s+\d+)?", re.I),
]
# OCR: a footnote marker read as a punctuation mark glued to the word or full stop before it
_OCR_MARKERS = [
    re.compile(r"(?<=[a-z.,;)])[!?%](?=\s|$)", re.M),
    re.compile(r"(?<=\d)%(?=[)\s])"),
    re.compile(r"(?<=\.)’(?=\s|$)", re.M),
    re.compile(r"(?<=\s)[¢](?=\s)"),
]
# each signal counted at its rare character ("!", "%", "¢", "?", "’"), the letters before it
# read behind: a pattern opening with a literal is searched for that literal alone, while
# one opening with a letter is tried at every letter of the text
_OCR_SIGNAL = re.compile(r"!(?:(?<=[a-z]!)|(?<=[a-z][.,]!))(?=\s)"
                         r"|%(?:(?<=[a-z]%)|(?<=[a-z][.,]%))(?=\s)"
                         r"|¢(?:(?<=[a-z]¢)|(?<=[a-z][.,]¢))(?=\s)"
                         r"|\?(?<=[a-z]\?)(?=\s+[a-z])"
                         r"|’(?<=\.’)\s")


_MD_OPERATIVE = re.compile(r"^[ \t]*\d+\.[ \t]+\*[A-Z][a-z]+\*", re.M)
#: a Markdown footnote definition ("[^3]: ...")
_MD_FOOTNOTE_DEFINITION = re.compile(r"^[ \t]{0,3}\[\^\d{1,3}\]:", re.M)


def detect_format(text: str) -> str:
    """'markdown', 'ocr' or 'text', from the marks each shape leaves."""
    if (_MD_LINK.search(text) or _MD_OPERATIVE.search(text)
            or _MD_FOOTNOTE_DEFINITION.search(text)):
        return "markdown"
    if len(_OCR_SIGNAL.findall(text)) >= 2:
        return "ocr"
    return "text"


def _clean_markdown(text: str) -> str:
    def link(m: re.Match[str]) -> str:
        inner = m.group(1)
        return " " + inner + " " * (len(m.group(0)) - len(inner) - 1)

    text = _MD_LINK.sub(link, text)
    text = _MD_EMPH.sub(lambda m: " " * len(m.group(1)) + m.group(2) + " " * len(m.group(1)), text)
    text = _MD_HEADING.sub(lambda m: " " * len(m.group(0)), text)
    text = _MD_BULLET.sub(lambda m: m.group(1) + " " + m.group(3), text)
    # a footnote call "[^2]" becomes the digit glued where the call stands, as a PDF's
    # superscript is extracted (same length, so spans stay true); the definitions
    # "[^2]: ..." are left for the segmenter
    text = _MD_CALL.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), text)
    return text


def _clean_ocr(text: str) -> str:
    for pattern in _OCR_MARKERS:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _norm(s: str) -> str:
    return " ".join(s.split()).lower()  # str.split() and re's \s: the same whitespace


_BODY_START = re.compile(
    r"^\s*(?:The\s+(?:General\s+Assembly|Security\s+Council|Human\s+Rights\s+Council|"
    r"Economic\s+and\s+Social\s+Council)\s*,|1\.\s)"
)


def _with_title(line: str, symbol: str, title_n: str) -> bool:
    """The line is the symbol and a piece of the title (three words or more), in either
    order."""
    up, sym = line.upper(), symbol.upper()
    rest = line[len(sym):] if up.startswith(sym + " ") else (
        line[: -len(sym)] if up.endswith(" " + sym) else "")
    rest_n = _norm(rest)
    return len(rest.split()) >= 3 and bool(rest_n) and rest_n in title_n


#: a running header repeats a piece of the title; UN titles are far shorter than this, and
#: the bound keeps the check of each line against the title constant-time
_TITLE_WINDOW = 2000


def _remove_furniture(text: str, symbol: str | None, title: str | None) -> str:
    """Blank running headers/footers: job numbers, barcodes, page numbers, the symbol and
    pieces of the title repeated on every page. One pass over the lines, two sweeps to join
    title pieces to the marks beside them, and the text rebuilt once: linear in the lines."""
    lines = text.split("\n")
    title_n = _norm(title[:_TITLE_WINDOW]) if title else ""
    symbol_seen = False
    # the document's own title block ends where its body begins
    head_end = next((i for i, line in enumerate(lines) if _BODY_START.match(line)), 20)
    marks: set[int] = set()
    title_pieces: set[int] = set()
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        if any(p.fullmatch(s) for p in _FURNITURE_LINES):
            marks.add(i)
            continue
        if symbol and s.upper() == symbol.upper():
            if symbol_seen:
                marks.add(i)
            symbol_seen = True
            continue
        # a running header with the symbol and the title on one line, either way round:
        # "A/RES/80/4 Necessity of ending the economic ... embargo ..."
        if symbol and title_n and i > head_end and _with_title(s, symbol, title_n):
            marks.add(i)
            continue
        if title_n and i > head_end and not s.endswith((".", ";", ",")):
            if _norm(s) == title_n.rstrip(" :"):
                # a short title repeated whole ("Regional disarmament"), as a page's header
                marks.add(i)
            elif _norm(s) in title_n:
                title_pieces.add(i)
    if not marks:
        # no page furniture at all (a text without page heads, e.g. after front matter): a
        # line of three words or more that is a piece of the title is a running header
        marks = {i for i in title_pieces if len(lines[i].split()) >= 3}
    # where pages have heads, a piece of the title is a running header only in the page's
    # head, next to the repeated symbol or other furniture; the same words inside a paragraph
    # ("a United Nations programme of action / to advance responsible State behaviour ...")
    # are text. A run of pieces next to a mark joins it: one sweep down and one up reach every
    # such run, so this stays linear in the number of lines.
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for order in (filled, filled[::-1]):
        previous = None
        for i in order:
            if i in title_pieces and previous in marks:
                marks.add(i)
            previous = i
    if not marks:
        return text
    # the text is rebuilt once (blanking each line in a copy of the whole text was quadratic)
    for i in marks:
        lines[i] = " " * len(lines[i])
    return "\n".join(lines)


# -- metadata the text states about itself --------------------------------------------------------

_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19,
}
_TENS = {"twent": 20, "thirt": 30, "fort": 40, "fift": 50, "sixt": 60, "sevent": 70,
         "eight": 80, "ninet": 90}
_CARD_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9}


def ordinal_number(words: str) -> int | None:
    """'Seventy-ninth' -> 79, 'Eightieth' -> 80, 'One hundred and first' -> 101."""
    w = words.lower().replace("–", "-").strip()
    total = 0
    if w.startswith("one hundred"):
        total = 100
        w = re.sub(r"^one hundred(?: and)?[ -]?", "", w)
        if not w:
            return 100
        if w == "th":
            return 100
    if w in _UNITS:
        return total + _UNITS[w]
    for stem, value in _TENS.items():
        if w == stem + "ieth":
            return total + value
        if w.startswith(stem + "y-") or w.startswith(stem + "y "):
            rest = w[len(stem) + 2 :]
            if rest in _UNITS and _UNITS[rest] < 10:
                return total + value + _UNITS[rest]
    return None


_ADOPTED = re.compile(
    r"(?P<kind>Resolution|Decision)\s+adopted\s+by\s+the\s+(?P<organ>General\s+Assembly|"
    r"Security\s+Council|Human\s+Rights\s+Council|Economic\s+and\s+Social\s+Council)"
    r"\s+on\s+(?P<date>\d{1,2}\s+\w+\s+\d{4})",
    re.I,
)
_DISTR = re.compile(r"Distr\.:\s*\w+\s+(\d{1,2}\s+\w+\s+\d{4})")
_SESSION = re.compile(r"\b([A-Z][a-z]+(?:[- ][a-z]+){0,3})\s+session\b")
_AGENDA = re.compile(r"\bAgenda\s+items?\s+(\d+(?:\s*\([a-z]\))?)")
_MEETING = re.compile(r"^[ \t]*(\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary\s+meeting)",
                      re.M)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MASTHEAD = re.compile(r"(?:United\s+Nations\s+)?(?P<s>[A-Z]+/[^\s]+)")
_DECIDED = re.compile(
    r"^\s*At\s+its\s+[^,]{0,60}\bmeeting,\s+on\s+(?P<date>\d{1,2}\s+\w+\s+\d{4}),"
    r".{0,300}?\bdecided\b")
_OWN_NUMBER = re.compile(r"^[ \t]*(?P<n>\d{1,3}/\d{1,4})\.\s+(?P<title>\S.*)$", re.M)


def _header_metadata(text: str, metadata: dict[str, str]) -> None:
    head = text[:4000]
    flat = " ".join(head.split())
    m = _ADOPTED.search(flat)
    if m:
        metadata["kind"] = m.group("kind").lower()
        metadata["organ"] = re.sub(r"\s+", " ", m.group("organ"))
        d = DATE_PATTERN.search(m.group("date"))
        if d and iso_date(*d.groups()):
            metadata["date"] = iso_date(*d.groups()) or ""
    m2 = _DISTR.search(flat)
    if m2:
        d = DATE_PATTERN.search(m2.group(1))
        if d and iso_date(*d.groups()):
            metadata["distributed"] = iso_date(*d.groups()) or ""
    for sm in _SESSION.finditer(head):
        n = ordinal_number(sm.group(1))
        if n:
            metadata["session"] = str(n)
            break
    am = _AGENDA.search(head) if "Agenda" in head else None  # \b first: tried everywhere
    if am:
        metadata["agenda_item"] = re.sub(r"\s+", " ", am.group(1))
    meetings = _MEETING.findall(text)
    if meetings:
        metadata["meeting"] = re.sub(r"\s+", " ", meetings[-1])
    own = _OWN_NUMBER.search(head)
    if own and "kind" not in metadata:
        # a decision printed without the "Decision adopted by" line: the General Assembly
        # numbers its decisions from 400 upwards in each session, its resolutions below
        decided = _DECIDED.search(re.sub(r"\s+", " ", text[own.end():own.end() + 3000]))
        if decided and int(own.group("n").split("/")[1]) >= 400:
            metadata["kind"] = "decision"
            d = DATE_PATTERN.search(decided.group("date"))
            if d and iso_date(*d.groups()):
                metadata["date"] = iso_date(*d.groups()) or ""
    if own and "kind" in metadata:
        series = "decision" if metadata["kind"] == "decision" else None
        try:
            metadata["symbol"] = parse(own.group("n"), series=series).symbol
        except SymbolError:
            pass
        # the title runs on to the first blank line
        start = own.start("title")
        blank = re.compile(r"\n[ \t]*\n").search(text, start)
        end = blank.start() if blank else len(text)
        title = re.sub(r"\s+", " ", text[start:end]).strip()
        metadata["title"] = title
    if "symbol" not in metadata:
        # the symbol printed at the top of the first page: alone on its line, or after
        # "United Nations" in the masthead
        for line in head.split("\n")[:15]:
            mast = _MASTHEAD.fullmatch(line.strip())
            if mast:
                try:
                    symbol = parse(mast.group("s"))
                except SymbolError:
                    continue
                metadata["symbol"] = symbol.symbol
                metadata.setdefault("header_kind", symbol.kind)
                break


def read_bytes(data: bytes, name: str, path: str | None = None) -> Document:
    """Read one document from bytes. Raises :class:`ReadError` with a one-line reason."""
    if len(data) > MAX_BYTES:
        raise ReadError(f"file is larger than {_mib(MAX_BYTES)}")
    if is_pdf(data):
        # a PDF is laid out as the text of a PDF extract; from here on it is read like one
        try:
            text, notes = pdf_text(data), list[str]()
        except PdfError as exc:
            raise ReadError(str(exc)) from None
    else:
        text, notes = decode(data)
    # superscript footnote calls and footnote numbers, as PDF extraction sometimes gives them,
    # read as plain digits (one character for one: spans stay valid)
    text = text.translate(_SUPERSCRIPTS)
    if is_igov(text):
        return _read_igov(text, name, path, notes)
    metadata: dict[str, str] = {}
    text = _front_matter(text, metadata, notes)
    fmt = detect_format(text)
    if fmt == "markdown":
        text = _clean_markdown(text)
    elif fmt == "ocr":
        text = _clean_ocr(text)
    if "fm_symbol" in metadata:
        try:
            metadata["symbol"] = parse(metadata["fm_symbol"]).symbol
        except SymbolError:
            notes.append(f"front matter symbol {metadata['fm_symbol']!r} is malformed; ignored")
    _header_metadata(text, metadata)
    if "fm_symbol" in metadata and "symbol" in metadata:
        try:
            metadata["symbol"] = parse(metadata["fm_symbol"]).symbol
        except SymbolError:
            pass
    if "fm_title" in metadata and len(metadata["fm_title"]) > len(metadata.get("title", "")):
        metadata["title"] = metadata["fm_title"].rstrip(" :")
    for key in ("record_id", "source_pdf", "url"):
        if f"fm_{key}" in metadata:
            metadata[key] = metadata[f"fm_{key}"]
    text = _remove_furniture(text, metadata.get("symbol"), metadata.get("title"))
    if "fm_symbol" in metadata and fmt == "text":
        fmt = "front-matter"
    if is_pdf(data) and fmt == "text":
        fmt = "pdf"
    return Document(path=path or name, name=name, text=text, format=fmt, metadata=metadata,
                    notes=notes)


def _read_igov(text: str, name: str, path: str | None, notes: list[str]) -> Document:
    """A decision record of the UN iGov database: metadata from its fields, the decision
    text in place (see :mod:`normgraph.read.igov`)."""
    try:
        clean, fields, spans = igov_text(text)
        metadata = igov_metadata(fields, spans, notes)
    except IGovError as exc:
        raise ReadError(f"iGov record: {exc}") from None
    return Document(path=path or name, name=name, text=clean, format="igov", metadata=metadata,
                    notes=notes)


def read_file(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, refused over ``limit`` bytes. Raises :class:`ReadError`
    (one line) when it cannot be read.

    Only a regular file is read: a FIFO would block for ever and a device (``/dev/zero``
    behind a symbolic link) never ends. The file is opened without blocking and checked on
    the descriptor (``fstat``), so a name swapped between a check and the open cannot slip
    through; the size is then bounded by the bytes actually read, not by what ``stat`` says
    (0 for many special files, stale for a growing one)."""
    try:
        os.fsencode(Path(path).name).decode("utf-8")
    except UnicodeDecodeError:
        # such a name could not be written into an IRI, a dump or a JSON answer
        raise ReadError("file name is not valid UTF-8; rename the file") from None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ReadError("no such file (it may have been moved or deleted)") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except UnicodeEncodeError:
        raise ReadError("file name cannot be encoded for this system") from None
    except OSError as exc:
        raise ReadError(f"cannot be read ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ReadError("is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise ReadError(f"is a {_special_kind(mode)}, not a regular file; only regular "
                            f"files are read")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise ReadError(f"file is larger than {_mib(limit)}")
        return b"".join(chunks)
    except IsADirectoryError:
        raise ReadError("is a folder, not a file") from None
    except OSError as exc:
        raise ReadError(f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def shown(path: str | Path) -> str:
    """A path as it can be printed on one line: bytes that are not UTF-8 as ``\\xNN``,
    control characters (a newline in a file name) escaped."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _mib(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def read(path: str | Path) -> Document:
    """Read one file. Raises :class:`ReadError` (one line) when it cannot be read."""
    p = Path(path)
    data = read_file(p)
    return read_bytes(data, p.name, str(p))
