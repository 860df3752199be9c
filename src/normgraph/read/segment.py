"""Segmentation: a Document's text -> Paragraphs, by the grammar of UN documents.

Resolutions and decisions: title, the "[on the report of ...]" header, preambular paragraphs
(``pp1``...) with their opening participle, operative paragraphs (``1``...) with their opening
verb, sub-items ``(a)``/``(i)``/``1.1``. Reports: numbered paragraphs, section headings
("B. Conclusions and recommendations"), subject headings, "The OEWG recommends that" blocks,
bullet lists after a colon (``56 (b1)``...) with their group headings. Footnotes are detached
from the text they interrupt; page breaks inside a paragraph are joined. Web pages and news
items: one paragraph per block (``p1``...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..model import Document, Paragraph

__all__ = ["segment", "grammar_of", "Footnote"]

_PARA = re.compile(r"^[ \t]*(?P<n>\d{1,3})\.(?!\d)[ \t]*(?P<rest>.*)$")
_DOTTED = re.compile(r"^[ \t]*(?P<n>\d{1,3}\.\d{1,3})\.?[ \t]+(?P<rest>\S.*)$")
_SUB = re.compile(r"^[ \t]*(?:[-•*][ \t]+)?\((?P<n>[a-z]{1,2}|[ivxl]{1,5})\)[ \t]*(?P<rest>.*)$")
_BULLET = re.compile(r"^[ \t]*[•*»·▪‣●◦■–\-][ \t]+(?P<rest>\S.*)$")
_SECTION = re.compile(r"^[ \t]*(?P<n>[A-Z]|[IVX]{1,5})\.[ \t]+(?P<rest>[A-Z].{0,120})$")
# the rule above the footnotes: underscores in a PDF's text, "---" in a Markdown rendering
_SEPARATOR = re.compile(r"^[ \t]*(?:_{5,}|-{3,})[ \t]*$")
_FOOTNOTE = re.compile(r"^[ \t]{0,2}(?P<n>\d{1,2})[ \t]+(?P<rest>\S.*)$")
# a Markdown footnote definition, "[^2]: A/70/174.": it opens the footnotes by itself
_MD_FOOTNOTE = re.compile(r"^[ \t]{0,3}\[\^(?P<n>\d{1,3})\]:[ \t]*(?P<rest>\S.*)$")
_OCR_FOOTNOTE = re.compile(
    r"^[ \t]?(?P<n>\d{1,2}|[>¢])[ \t]?(?P<rest>(?:See\b|Ibid\b|A/|S/|E/|Official Records).*)$"
)
# ``\s*:?\s*$`` would try every split of a run of spaces between its two ``\s*`` (quadratic);
# with the colon taking its own spaces, each run is read once
_RECOMMENDS = re.compile(r"\brecommends?\s+that\s*(?::\s*)?$", re.I)
_BODY_START = re.compile(
    r"^[ \t]*The\s+(?:General\s+Assembly|Security\s+Council|Human\s+Rights\s+Council|"
    r"Economic\s+and\s+Social\s+Council)\s*,\s*$"
)
# the opening of a decision, which has no "The General Assembly," line
_DECISION_START = re.compile(r"^[ \t]*At\s+its\s+.{0,80}\bmeeting\b", re.I)
_HEADER_REF = re.compile(
    r"^\s*\[\s*(?:on\s+the\s+report|without\s+reference\s+to\s+a\s+Main\s+Committee)", re.I)
_OWN_TITLE = re.compile(r"^[ \t]*\d{1,3}/\d{1,4}\.\s+\S")
_FOOTER = re.compile(r"^[ \t]*\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary\s+meeting", re.I)
# a footnote call printed as a superscript and extracted inline: glued to a word or punctuation
# ("reports,1", ";2"), or to a year ("20152" for 2015 + 2, "2013 3")
# (never the number of a symbol's part: "Rev.1", "Add.1", "Corr.1", "L.9", "PV.45", "CRP.1")
_MARKER = re.compile(
    r"(?<=[A-Za-z\),;.”’])(?<!Rev\.)(?<!Add\.)(?<!Corr\.)(?<!Amend\.)(?<![/ ]L\.)(?<!PV\.)"
    r"(?<!CRP\.)(?<!INF\.)(?<!WP\.)(?<!AC\.)(?<!/C\.)(?<!CONF\.)(?<!CN\.)"
    r"(?P<n>\d{1,2})(?=[\s,;.:]|$)"
    r"|(?<=\b(?:19|20)\d\d)(?P<y>\d{1,2})(?=[\s,;.:]|$)"
    r"|(?<=\b(?:19|20)\d\d )(?P<s>\d{1,2})(?=\s)"
    r"|(?<=\b(?:19|20)\d\d, )(?P<c>\d{1,2})(?=\s)"  # "the 2010, 1 20132 and 2015 3 reports"
    # after a comma or semicolon and a space ("for 2024/25; 4", "Court, 7 and"): taken only
    # as the next footnote in order (see segment)
    r"|(?<=[,;] )(?P<e>\d{1,2})(?=\s|$)"
)
_DIGIT = re.compile(r"\d")


def _markers(body: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`_MARKER` in ``body``, as ``finditer`` gives them. Every call
    starts with a digit, so the pattern is tried at the digits only: its lookbehinds keep
    the regular expression engine from skipping ahead by itself, and trying it at every
    character cost most of the segmentation's time."""
    end = 0
    for digit in _DIGIT.finditer(body):
        at = digit.start()
        if at < end:
            continue
        m = _MARKER.match(body, at)  # the lookbehinds still see the text before ``at``
        if m:
            yield m
            end = m.end()

_PRE_VERB = re.compile(
    r"^(?P<v>(?:(?:Deeply|Gravely|Seriously|Strongly|Further|Also)\s+)?"
    r"(?:Taking\s+note|Bearing\s+in\s+mind|Taking\s+into\s+account|Expressing\s+\w+|"
    r"Guided\s+by|Mindful|Aware|Conscious|Convinced|Concerned|Alarmed|Determined|"
    r"[A-Z][a-z]+ing)(?:\s+(?:also|further|again|with\s+\w+))?)\b"
)
_OP_VERB = re.compile(
    r"^(?P<v>(?:(?:Also|Further|Again|Once\s+again|Strongly|Urgently|Firmly)\s+"
    r"(?:takes\s+note|calls\s+upon|[a-z]+s)|"
    r"Takes\s+note|Calls\s+upon|Calls\s+on|Takes\s+into\s+account|[A-Z][a-z]+s)"
    r"(?:\s+(?:also|further|with\s+\w+))?)\b"
)


@dataclass
class Footnote:
    """A footnote detached from the page it was printed on."""

    number: str
    text: str
    span: tuple[int, int]


@dataclass
class _Unit:
    kind: str
    number: str
    start: int
    end: int
    lines: list[str] = field(default_factory=list)
    heading: str | None = None
    section: str | None = None
    parent: str | None = None
    group: str | None = None
    role: str | None = None
    closed: bool = False  # a heading, footnote or title: never continued by a later line


def grammar_of(doc: Document) -> str:
    """'resolution', 'report' or 'text': which grammar segments this document."""
    kind = doc.metadata.get("kind", "")
    if kind in ("resolution", "decision") or re.search(
        r"^[ \t]*The\s+General\s+Assembly\s*,\s*$", doc.text, re.M
    ):
        return "resolution"
    numbered = [int(m.group(1)) for m in re.finditer(r"^[ \t]*(\d{1,3})\.(?!\d)\s", doc.text, re.M)]
    run = sum(1 for a, b in zip(numbered, numbered[1:], strict=False) if b == a + 1)
    if kind == "report" or run >= 5 or (doc.metadata.get("header_kind") == "report" and run >= 1):
        return "report"
    return "text"


def _join(lines: list[str]) -> str:
    """The lines of a paragraph as one line; pieces are collected and joined once, so a
    paragraph of many lines costs time linear in its length."""
    pieces: list[str] = []
    tail = ""  # the last two characters joined so far
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if not pieces:
            piece = s
        elif tail.endswith("-") and re.match(r"[a-z0-9]", s) and not tail.endswith(" -"):
            piece = s  # a word broken at the line end keeps its hyphen: capacity-\nbuilding
        else:
            piece = " " + s
        pieces.append(piece)
        tail = (tail + piece)[-2:]
    return re.sub(r"[ \t]+", " ", "".join(pieces)).strip()


def _is_heading(line: str, prev_blank: bool, next_line: str | None) -> bool:
    s = line.strip()
    if not s or not prev_blank or len(s) > 110 or s[-1] in ".,;:!?”\"’)" or not s[0].isupper():
        return False
    if _PARA.match(line) or _SUB.match(line) or _BULLET.match(line):
        return False
    words = s.split()
    if len(words) > 14:
        return False
    return next_line is None or not next_line.strip() or bool(_PARA.match(next_line))


def _unruled_footnote(text: str, at: int, line: str, last: int,
                      following: list[str]) -> bool:
    """A footnote printed at a page's foot with no rule above it ("1 Official Records ..."):
    the next footnote in order, whose call stands in the text before it (",1", ", 1"), or
    followed at once by the footnote after it ("2 BWC/CONF.IX/9 ...")."""
    m = _FOOTNOTE.match(line)
    if not m or int(m.group("n")) != last + 1:
        return False
    nxt = next((s for s in following if s.strip()), "")
    after = _FOOTNOTE.match(nxt)
    if after and int(after.group("n")) == last + 2:
        return True
    call = re.compile(rf"(?:[A-Za-z,;.)”’]|[,;] ){m.group('n')}(?=[\s,;.:]|$)", re.M)
    return call.search(text, max(0, at - 20000), at) is not None


def segment(doc: Document) -> tuple[list[Paragraph], list[Footnote]]:
    """Split a document into paragraphs and footnotes (each with its span in ``doc.text``)."""
    grammar = grammar_of(doc)
    text = doc.text
    lines = text.split("\n")
    offsets: list[int] = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    units: list[_Unit] = []
    footnotes: list[Footnote] = []
    section: str | None = None
    heading: str | None = None
    role: str | None = None
    group: str | None = None
    list_parent: str | None = None  # a paragraph ending in ':' whose bullets follow
    bullet_count = 0
    last_para = 0
    pre_count = 0
    text_count = 0
    in_body = grammar != "resolution"
    in_footer = False
    decision = False  # a decision's unnumbered paragraphs are p1, p2...
    footnote_zone = False
    fn_unit: _Unit | None = None
    prev_blank = True
    last_fn_number = 0
    title_done = False
    last_body: list[_Unit | None] = [None]  # the last unit that is not a footnote

    def add(kind: str, number: str, i: int, first: str, **kw: str | None) -> _Unit:
        start = offsets[i] + (len(lines[i]) - len(lines[i].lstrip()))
        unit = _Unit(kind, number, start, offsets[i] + len(lines[i].rstrip()), [first],
                     heading=heading, section=section, role=role, **kw)  # type: ignore[arg-type]
        units.append(unit)
        last_body[0] = unit
        return unit

    def current() -> _Unit | None:
        """The paragraph a continuation line would extend (footnotes are skipped over: the
        last unit that is not a footnote is kept aside, not searched for among them)."""
        last = last_body[0]
        return None if last is None or last.closed else last

    for i, line in enumerate(lines):
        s = line.strip()
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if not s:
            prev_blank = True
            continue
        blank_before = prev_blank
        prev_blank = False

        # -- footnotes --------------------------------------------------------------------
        if _SEPARATOR.match(line):
            footnote_zone = True
            fn_unit = None
            prev_blank = True  # a footnote may follow the rule directly
            continue
        ocr_fn = _OCR_FOOTNOTE.match(line) if grammar != "resolution" else None
        md_fn = _MD_FOOTNOTE.match(line)
        if md_fn:
            footnote_zone = blank_before = True
        elif not footnote_zone and blank_before and in_body and _unruled_footnote(
                text, offsets[i], line, last_fn_number, lines[i + 1 : i + 4]):
            footnote_zone = True
        if footnote_zone or ocr_fn or fn_unit is not None:
            m = md_fn or (_FOOTNOTE.match(line) if footnote_zone else None)
            m = m or ocr_fn
            starts_new = m is not None and (blank_before or fn_unit is not None or bool(ocr_fn))
            if m and starts_new and not _PARA.match(line):
                n = m.group("n")
                number = n if n.isdigit() else str(last_fn_number + 1)
                last_fn_number = int(number)
                fn_unit = _Unit("footnote", f"fn{number}", offsets[i], offsets[i] + len(line),
                                [m.group("rest")], closed=True)
                footnotes.append(Footnote(number, "", (fn_unit.start, fn_unit.end)))
                units.append(fn_unit)
                footnote_zone = footnote_zone or False
                continue
            if fn_unit is not None and not blank_before and not line[:1].isspace() \
                    and not _PARA.match(line):
                fn_unit.lines.append(s)
                fn_unit.end = offsets[i] + len(line.rstrip())
                continue
            footnote_zone = False
            fn_unit = None

        if in_footer:
            continue

        # -- resolution front: title, header, "The General Assembly," -----------------------
        if grammar == "resolution" and not in_body:
            if _BODY_START.match(line):
                in_body = True
                for u in units:
                    u.closed = True
                continue
            if _DECISION_START.match(line) and doc.metadata.get("kind") == "decision":
                in_body = decision = True
                for u in units:
                    u.closed = True
                # the line itself opens the decision's text: fall through
            else:
                if _HEADER_REF.match(line):
                    add("header", "header", i, s, )
                    units[-1].closed = True
                    continue
                if _OWN_TITLE.match(line) and not title_done:
                    title_done = True
                    unit = add("title", "title", i, re.sub(r"^\d{1,3}/\d{1,4}\.\s+", "", s))
                    continue
                if units and units[-1].kind == "title" and not blank_before:
                    units[-1].lines.append(s)
                    units[-1].end = offsets[i] + len(line.rstrip())
                    continue
                if units and units[-1].kind == "header" and not units[-1].lines[-1].endswith("]"):
                    units[-1].lines.append(s)
                    units[-1].end = offsets[i] + len(line.rstrip())
                    continue
                if units and units[-1].kind == "title":
                    units[-1].closed = True
                continue
        if grammar == "resolution" and _FOOTER.match(line):
            in_footer = True
            continue

        # -- numbered paragraph -----------------------------------------------------------------
        pm = _PARA.match(line)
        if pm and (last_para == 0 or 0 < int(pm.group("n")) - last_para <= 2) and (
            blank_before or grammar != "text" or True
        ):
            n = int(pm.group("n"))
            if grammar == "text" and not blank_before:
                pm = None
            else:
                last_para = n
                list_parent = None
                group = None
                bullet_count = 0
                kind = "operative" if grammar == "resolution" else (
                    "report-paragraph" if grammar == "report" else "text")
                number = str(n) if grammar != "text" else f"p{text_count + 1}"
                if grammar == "text":
                    text_count += 1
                unit = add(kind, number, i, pm.group("rest"))
                continue
        # -- sub-items ----------------------------------------------------------------------------
        sm = _SUB.match(line) or _DOTTED.match(line)
        if sm and last_para and grammar != "text":
            parent = str(last_para)
            letter = sm.group("n")
            number = letter if "." in letter else f"{parent} ({letter})"
            unit = add("sub-item", number, i, sm.group("rest"), parent=parent)
            continue
        # -- headings
        if grammar != "resolution" and _is_heading(line, blank_before, nxt):
            cur = current()
            in_list = list_parent is not None
            if in_list and cur is not None and not _SECTION.match(line) \
                    and not _RECOMMENDS.search(s):
                group = s
                continue
            sec = _SECTION.match(line)
            if sec:
                section = s
                heading = None
                role = None
            elif _RECOMMENDS.search(s):
                role = "recommendation"
            else:
                heading = s
                role = None
            list_parent = None
            if grammar == "text":
                text_count += 1
                unit = add("text", f"p{text_count}", i, s)
                unit.closed = True
            else:
                # a heading closes the paragraph before it
                for u in reversed(units):
                    u.closed = True
                    break
            continue
        if grammar != "resolution" and _RECOMMENDS.search(s) and blank_before and len(s) < 80:
            role = "recommendation"
            for u in reversed(units):
                u.closed = True
                break
            continue

        # -- continuation or a new block ----------------------------------------------------------
        cur = current()
        bullet = _BULLET.match(line)
        if list_parent is not None and blank_before and (bullet or line[:1].isspace()
                                                         or (cur and cur.kind == "principle-item"
                                                             and s[:1].isupper())):
            bullet_count += 1
            rest = bullet.group("rest") if bullet else s
            add("sub-item", f"{list_parent} (b{bullet_count})", i, rest, parent=list_parent,
                group=group)
            continue
        continues = cur is not None and (
            not blank_before
            or s[:1].islower()
            or (grammar != "text" and cur.lines
                # a line ending its clause, maybe with a footnote call (",2", ", 1") after it
                and not re.search(r"[.;:,!?”\"’)\]](?:\s?\d{1,2})?$", cur.lines[-1].strip()))
        )
        if continues and cur is not None:
            cur.lines.append(line)
            cur.end = offsets[i] + len(line.rstrip())
            if cur.kind in ("report-paragraph", "operative") and s.endswith(":"):
                list_parent = cur.number
                group = None
                bullet_count = 0
            continue
        if grammar == "resolution" and decision:
            text_count += 1
            add("text", f"p{text_count}", i, s)
        elif grammar == "resolution":
            if last_para:
                # an unnumbered block after the operative part: keep it as text of the last one
                if cur is not None:
                    cur.lines.append(line)
                    cur.end = offsets[i] + len(line.rstrip())
                continue
            pre_count += 1
            add("preambular", f"pp{pre_count}", i, s)
        elif grammar == "report":
            text_count += 1
            add("text", f"p{text_count}", i, s)
        else:
            text_count += 1
            add("text", f"p{text_count}", i, s)
        if s.endswith(":") and units[-1].kind in ("report-paragraph", "operative"):
            list_parent = units[-1].number

    # a paragraph whose own first line ends with ':' opens a list too (handled above); build output
    paragraphs: list[Paragraph] = []
    fn_texts: dict[str, str] = {}
    for u in units:
        if u.kind == "footnote":
            fn_texts[u.number] = _join(u.lines)
    fn_numbers = {n[2:] for n in fn_texts}
    last_call = 0  # the highest footnote called so far, in document order
    called: set[str] = set()
    for ordinal, u in enumerate(units, start=1):
        body = _join(u.lines)
        calls: list[tuple[str, int]] = []
        if u.kind in ("operative", "report-paragraph", "preambular", "sub-item") and fn_numbers:
            pieces: list[str] = []
            last = kept = 0
            for m in _markers(body):
                number = (m.group("n") or m.group("y") or m.group("s") or m.group("c")
                          or m.group("e"))
                # a digit standing apart is a call only when it is the next footnote in order
                # (calls are numbered as they appear), or, after a year ("of 2013 3"), a
                # footnote called before
                if not (m.group("n") or m.group("y")) and int(number) != last_call + 1 and not (
                        number in called and (m.group("s") or m.group("c"))):
                    continue
                if number in fn_numbers:
                    last_call = max(last_call, int(number))
                    called.add(number)
                    start = m.start() - (0 if m.group("n") or m.group("y") else 1)
                    pieces.append(body[last:start])
                    kept += start - last  # the call's offset in the text without calls
                    calls.append((number, kept))
                    last = m.end()
            pieces.append(body[last:])
            body = "".join(pieces)
        verb = None
        if u.kind == "preambular":
            vm = _PRE_VERB.match(body)
            verb = re.sub(r"\s+", " ", vm.group("v")) if vm else None
        elif u.kind == "operative":
            vm = _OP_VERB.match(body)
            verb = re.sub(r"\s+", " ", vm.group("v")) if vm else None
        role_out = u.role
        if u.kind == "report-paragraph" and role_out is None and re.search(
            r"\bconcluded\b(?:\s+\w+){0,2}\s+that\b", body
        ):
            role_out = "conclusion"
        if u.kind not in ("report-paragraph",):
            role_out = None if u.kind != "sub-item" else None
        paragraphs.append(
            Paragraph(
                number=u.number,
                kind=u.kind,
                text=body,
                span=(u.start, u.end),
                ordinal=ordinal,
                verb=verb,
                heading=u.heading,
                section=u.section,
                parent=u.parent,
                group=u.group,
                role=role_out,
                calls=calls,
            )
        )
    for fn in footnotes:
        fn.text = fn_texts.get(f"fn{fn.number}", "")
    return paragraphs, footnotes
