"""UN document symbols: parse, normalise, classify, and find them in running text.

This is the grammar of UN symbols and nothing else: no document's content is known here.

>>> parse("a/res/80/16").symbol
'A/RES/80/16'
>>> parse("80/16").symbol
'A/RES/80/16'
>>> parse("A/68/98*").symbol, parse("A/68/98*").reissued
('A/68/98', True)
>>> parse("43/78(H)").symbol
'A/RES/43/78H'
>>> parse("A/AC.292/2025/INF/5/rev.1").symbol
'A/AC.292/2025/INF/5/Rev.1'
>>> parse("A/RES/80/16/16/x")
Traceback (most recent call last):
...
normgraph.symbols.SymbolError: 'A/RES/80/16/16/x' is not a well-formed UN symbol
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "Symbol",
    "SymbolError",
    "SymbolMention",
    "parse",
    "is_symbol",
    "scan",
    "scan_all",
    "series_before",
    "Unresolved",
    "SYMBOL_PATTERN",
]


class SymbolError(ValueError):
    """A string that is not a well-formed UN document symbol."""


#: kinds of instrument a symbol can denote
RESOLUTION = "resolution"
DECISION = "decision"
REPORT = "report"
DOCUMENT = "document"  # any other symbol-bearing document (INF, CRP, L., PV., ...)


@dataclass(frozen=True, order=True)
class Symbol:
    """A normalised UN symbol. ``symbol`` is the canonical string used in IRIs."""

    symbol: str
    kind: str
    reissued: bool = False

    def __str__(self) -> str:
        return self.symbol

    @property
    def short(self) -> str:
        """The form a GA resolution uses for its own kind: 'A/RES/80/16' -> '80/16'."""
        for prefix in ("A/RES/", "A/DEC/"):
            if self.symbol.startswith(prefix):
                return self.symbol[len(prefix) :]
        return self.symbol

    @property
    def session(self) -> int | None:
        """The GA session a resolution, decision or report belongs to, where the symbol says."""
        m = re.match(r"A/(?:RES/|DEC/)?(\d{1,3})/", self.symbol)
        return int(m.group(1)) if m else None


# -- the grammar ------------------------------------------------------------------------------

_SUFFIX = r"(?:/(?:Add|Rev|Corr|Amend)\.\d{1,3})*"
_NUM = r"\d{1,4}"
_SESSION = r"(?:\d{1,3}|ES-\d{1,2}|S-\d{1,2})"

_FULL_FORMS: list[tuple[str, re.Pattern[str]]] = [
    # A/RES/43/78 H, A/RES/43/78(H), A/RES/80/16
    (
        RESOLUTION,
        re.compile(
            rf"A/RES/(?P<s>{_SESSION})/(?P<n>{_NUM})(?:\s?\(?(?P<part>(?-i:[A-Z]))\)?(?![A-Za-z]))?",
            re.I,
        ),
    ),
    (DECISION, re.compile(rf"A/DEC/(?P<s>{_SESSION})/(?P<n>{_NUM})", re.I)),
    # Human Rights Council and ECOSOC resolutions, Security Council resolutions
    (RESOLUTION, re.compile(rf"A/HRC/RES/(?P<s>\d{{1,2}}|S-\d{{1,2}})/(?P<n>{_NUM})", re.I)),
    (DECISION, re.compile(rf"A/HRC/DEC/(?P<s>\d{{1,2}}|S-\d{{1,2}})/(?P<n>{_NUM})", re.I)),
    (RESOLUTION, re.compile(r"E/RES/(?P<s>\d{4})/(?P<n>\d{1,4})", re.I)),
    (DECISION, re.compile(r"E/DEC/(?P<s>\d{4})/(?P<n>\d{1,4})", re.I)),
    # a line break may fall between the number and the year: "2341" / "(2017)"
    (RESOLUTION, re.compile(r"S/RES/(?P<n>\d{1,5})\s*\((?P<s>\d{4})\)", re.I)),
    # old-style General Assembly resolutions: A/RES/1514(XV), A/RES/217(III)A
    (RESOLUTION, re.compile(r"A/RES/(?P<n>\d{1,4})\s?(?:(?P<part0>(?-i:[A-H]))\s?)?"
                            r"(?P<old>\((?:ES-|S-)?[IVXL]{1,6}\))"
                            r"(?:\s?(?P<part>(?-i:[A-H]))(?![A-Za-z]))?", re.I)),
    # subsidiary organs: A/AC.292/2025/INF/5/Rev.1, A/AC.292/2025/CRP.1, A/C.1/79/L.62
    (
        DOCUMENT,
        re.compile(
            r"A/(?:AC|C|CONF|CN)\.\d{1,3}(?:/\d{1,4})?"
            r"(?:/(?:INF|CRP|WP|L|PV|SR|MISC|R|INF)(?:\.\d{1,4}|/\d{1,4}))"
            + _SUFFIX,
            re.I,
        ),
    ),
    # numbered documents of subsidiary organs and conferences: A/AC.292/2026/3,
    # A/CONF.151/26, A/C.1/80/L.20
    (
        DOCUMENT,
        re.compile(r"A/(?:AC|C|CONF|CN)\.\d{1,3}(?:/\d{1,4}){1,2}(?:/L\.\d{1,4})?" + _SUFFIX,
                   re.I),
    ),
    # drafts and verbatim records of a session: A/76/L.13/Rev.1, A/76/PV.45
    (DOCUMENT, re.compile(rf"A/{_SESSION}/(?:L|PV)\.\d{{1,4}}" + _SUFFIX, re.I)),
    # session documents: A/79/214, A/79/214/Add.1, A/68/98*
    (REPORT, re.compile(rf"A/(?P<s>{_SESSION})/(?P<n>{_NUM}){_SUFFIX}\*?", re.I)),
    # statements by the President of the Security Council (S/PRST/2013/2), its INF series
    (DOCUMENT, re.compile(r"S/(?:PRST/\d{4}/\d{1,3}|INF/\d{1,3})", re.I)),
    # other organs' session documents: A/HRC/27/37, S/2021/123, E/2020/12
    (REPORT, re.compile(rf"(?:A/HRC|S|E)/(?P<s>\d{{1,4}})/(?P<n>{_NUM}){_SUFFIX}\*?", re.I)),
    # other series of the UN system, by their roots: BWC/CONF.VIII/4, CD/1840,
    # CEDAW/C/GC/35, TD/519, E/CN.15/2024/5, UNEP/EA.6/3, ST/SGB/2019/8
    (DOCUMENT, re.compile(
        r"(?:BWC|CCW|CD|CEDAW|CERD|CCPR|CRC|CRPD|CAT|CED|CMW|E/CN\.\d{1,2}|E/C\.\d{1,2}|TD|"
        r"UNEP|FCCC|ICCD|APLC|NPT|ST|DP|ITU|IDB|UNW)"
        r"(?:/(?:[A-Z]{1,8}(?:\.[IVXL0-9]{1,6})?|\d{4}))*/\d{1,4}(?:/Rev\.\d{1,2}|/Add\.\d{1,3}"
        r"|/Corr\.\d{1,2})*", re.I)),
]

#: a symbol as it may appear in running text (full forms only; short forms need context)
def _anonymous(pattern: str) -> str:
    """The pattern with its named groups made anonymous, to embed it in a larger one."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


SYMBOL_PATTERN = re.compile(
    r"(?<![A-Za-z0-9/.])(?:"
    + "|".join(f"(?:{_anonymous(p.pattern)})" for _, p in _FULL_FORMS)
    + r")(?![A-Za-z0-9/])",
    re.I,
)

_SHORT = re.compile(
    rf"(?P<s>\d{{4}}|{_SESSION})/(?P<n>{_NUM})(?:\s?\(?(?P<part>(?-i:[A-Z]))\)?(?![A-Za-z]))?",
    re.I,
)
_UPPER_TOKENS = {"RES", "DEC", "AC", "C", "CONF", "CN", "INF", "CRP", "WP", "L", "PV", "SR",
                 "MISC", "R", "HRC", "ES", "S", "A", "E"}
_TITLE_TOKENS = {"add": "Add", "rev": "Rev", "corr": "Corr", "amend": "Amend"}


def _canonical_case(raw: str) -> str:
    parts = []
    for comp in raw.split("/"):
        head, dot, tail = comp.partition(".")
        low = head.lower()
        if low in _TITLE_TOKENS:
            head = _TITLE_TOKENS[low]
        else:
            head = head.upper()
        parts.append(head + dot + tail)
    return "/".join(parts)


def parse(text: str, *, series: str | None = None) -> Symbol:
    """Parse a symbol as written into its canonical form.

    Full symbols are taken as they are. A short form ``80/16`` or ``43/78 H`` is read as a
    General Assembly resolution, or as a decision when ``series="decision"``. Raises
    :class:`SymbolError` for anything else.
    """
    if not isinstance(text, str):
        raise SymbolError(f"{text!r} is not a well-formed UN symbol")
    raw = text.strip()
    if not raw or len(raw) > 80 or re.search(r"[\x00-\x1f\x7f]", raw):
        raise SymbolError(f"{text!r} is not a well-formed UN symbol")
    for kind, pattern in _FULL_FORMS:
        m = pattern.fullmatch(raw)
        if m:
            reissued = raw.endswith("*")
            core = raw.rstrip("*")
            groups = m.groupdict()
            if kind == RESOLUTION and core.upper().startswith("S/RES/"):
                canonical = f"S/RES/{int(groups['n'])}({groups['s']})"
            elif groups.get("old"):
                old = re.sub(r"\s", "", groups["old"]).upper()
                part = (groups.get("part0") or groups.get("part") or "").upper()
                canonical = f"A/RES/{int(groups['n'])}{old}{part}"
            elif kind in (RESOLUTION, DECISION) and groups.get("n"):
                head = core.upper().split("/")
                prefix = "/".join(head[:-2]) if core.upper().startswith("A/HRC/") else (
                    "/".join(head[:2]))
                session = groups["s"].upper()
                number = str(int(groups["n"]))
                part = (groups.get("part") or "").upper()
                canonical = f"{prefix}/{session}/{number}{part}"
            else:
                canonical = _canonical_case(core)
            kind_out = kind
            if kind == REPORT and "/RES/" in canonical:
                kind_out = RESOLUTION
            return Symbol(canonical, kind_out, reissued)
    m = _SHORT.fullmatch(raw)
    if m:
        session, number = m.group("s").upper(), str(int(m.group("n")))
        part = (m.group("part") or "").upper()
        if re.fullmatch(r"\d{4}", session):  # year/number: ECOSOC style
            if part:
                raise SymbolError(f"{text!r} is not a well-formed UN symbol")
            if series == DECISION:
                return Symbol(f"E/DEC/{session}/{number}", DECISION)
            return Symbol(f"E/RES/{session}/{number}", RESOLUTION)
        if series == DECISION:
            if part:
                raise SymbolError(f"{text!r} is not a well-formed UN symbol")
            return Symbol(f"A/DEC/{session}/{number}", DECISION)
        if series == "hrc":
            return Symbol(f"A/HRC/RES/{session}/{number}", RESOLUTION)
        return Symbol(f"A/RES/{session}/{number}{part}", RESOLUTION)
    raise SymbolError(f"{text!r} is not a well-formed UN symbol")


def is_symbol(text: str) -> bool:
    """True when ``text`` parses as a symbol (full or short form)."""
    try:
        parse(text)
    except SymbolError:
        return False
    return True


# -- finding symbols in text ------------------------------------------------------------------

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
# the year may carry a footnote call glued to it ("December 20156": 2015, footnote 6)
_YEAR = r"((?:19|20)\d\d)(?:\d{1,2})?\b"
DATE_PATTERN = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\s+{_YEAR}")
_MONTH_NUM = {m: i for i, m in enumerate(_MONTHS.split("|"), start=1)}


def iso_date(day: str, month: str, year: str) -> str | None:
    """'24', 'December', '2024' -> '2024-12-24'; None when no such day exists."""
    import datetime

    try:
        return datetime.date(int(year), _MONTH_NUM[month], int(day)).isoformat()
    except (KeyError, ValueError):
        return None


def parse_date(text: str) -> str | None:
    """The first 'D Month YYYY' date in text, as ISO, or None."""
    m = DATE_PATTERN.search(text)
    return iso_date(*m.groups()) if m else None


@dataclass(frozen=True)
class SymbolMention:
    """A symbol found in text: canonical symbol, the span as written, and the date the text
    gives it ("75/240 of 31 December 2020"), if any."""

    symbol: Symbol
    start: int
    end: int
    raw: str
    date: str | None = None
    annex: str | None = None


@dataclass(frozen=True)
class Unresolved:
    """A numbered instrument of a body whose series the grammar does not know ("Commission on
    Crime Prevention and Criminal Justice resolution 25/2"): kept with its words, never given
    a guessed symbol."""

    start: int
    end: int
    raw: str
    body: str


# "resolution(s)" / "decision(s)": the keyword before a list of short forms
_KEYWORD = re.compile(r"\b(?P<kind>resolution|decision)s?\b", re.I)
# the words just before the keyword that may name the issuing body ("Human Rights Council",
# "Commission on Crime Prevention and Criminal Justice", "ITU")
_BODY_BEFORE = re.compile(
    r"(?P<body>(?:[A-Z][\w’'.-]*|on|of|and|for|the|to)(?:\s+(?:[A-Z][\w’'.-]*|on|of|and|for|the|to))*)"
    r"\s+$")
#: bodies whose series the grammar knows: the end of the body's name -> series key
_SERIES_OF_BODY = [
    (re.compile(r"\bGeneral\s+Assembly$"), "ga"),
    (re.compile(r"\bHuman\s+Rights\s+Council$"), "hrc"),
    (re.compile(r"\bSecurity\s+Council$"), "sc"),
    (re.compile(r"\bEconomic\s+and\s+Social\s+Council$"), "ecosoc"),
]
# the last word of a body's name: with no known series, the mention stays unresolved
_BODY_NOUN = re.compile(
    r"(?:\b(?:Assembly|Council|Commission|Committee|Conference|Board|Organization|Forum|Parties|"
    r"Union|Programme|Fund|Agency|Meeting|Group|Court|Tribunal|Convention|Congress)"
    r"|\b[A-Z]{2,}(?:-[A-Z]+)?)\b")


def series_before(text: str, at: int) -> tuple[str, str]:
    """The series a keyword at ``text[at]`` takes from the body named just before it, and
    the body's words: ("ga", "") by default, ("hrc", "Human Rights Council"), ... or
    ("unresolved", "Commission on ...") for a body whose series is not known."""
    m = _BODY_BEFORE.search(text, max(0, at - 120), at)
    words = m.group("body") if m else ""
    # leading words that are not part of a name: "Recalling", "the", "its", "also"...
    words = re.sub(r"^(?:(?:[A-Z]?[a-z]+ing|[a-z]+|The|Its|Also|And)\s+)+", "", words)
    for pattern, series in _SERIES_OF_BODY:
        if pattern.search(words):
            return series, words
    if re.fullmatch(r"(?:the\s+)?Assembly", words) or not _BODY_NOUN.search(words):
        return "ga", ""
    return "unresolved", words


_SHORT_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9/.\-])(?P<s>\d{1,4}|ES-\d{1,2}|S-\d{1,2})/(?P<n>\d{1,4})"
    # a part letter, A to Z as the Assembly lettered them ("45/58 P of 4 December 1990"),
    # only where a date, a list mark or the end follows it (never a word: "74/28 A new")
    r"(?:\s?\((?P<part>[A-Z])\)|\s(?P<part2>[A-Z])(?=\s+of\b|\s*[,;.)]|\s+and\b|\s*$))?"
    r"(?![A-Za-z0-9/])",
)
# a Security Council number and year; a line break may fall between them
_SC_SHORT = re.compile(r"(?<![\d/])(?P<n>\d{1,5})\s*\((?P<y>\d{4})\)")
# old-style General Assembly resolutions: 1514 (XV), 217 A (III)
_OLD_SHORT = re.compile(r"(?<![\d/])(?P<n>\d{1,4})\s?(?:(?P<p0>[A-H])\s?)?"
                        r"\((?P<r>(?:ES-|S-)?[IVXL]{1,6})\)(?:\s?(?P<p>[A-H])(?![A-Za-z]))?")
# how far after a keyword or list item the next item may stand: bounds each search, so
# that a text with many keywords and few symbols is still read in linear time
_ITEM_REACH = 160
# what joins a keyword to the list before it, so that the list's body carries over
_CARRY = re.compile(r"(?:\s|,|;|\band\b|\bas\s+well\s+as\b|\bor\b)*")
# what may stand between two items of one list of symbols
_LIST_GAP = re.compile(
    rf"^(?:\s|,|;|\band\b|\bas well as\b|\bits\b|\bof\b|\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4,6}}"
    r"|\d{1,2}\b|[*!?%’'¢>])*$"
)
_ADDENDUM_AFTER = re.compile(
    r"\s*(?:,|and|,\s*and)\s+(?P<k>Add|Corr|Rev)\.(?P<n>\d+(?:\s*(?:,|and)\s*\d+)*)(?![\w/])")
_DATE_AFTER = re.compile(rf"\s*,?\s*of\s+(\d{{1,2}})\s+({_MONTHS})\s+{_YEAR}")
_ANNEX_BEFORE = re.compile(
    r"annex\s+(?P<a>[A-Z]{1,4}|[IVX]+)?\s*(?:to|of)\s+(?:document\s+)?$", re.I)
# (searched with an end position, ``$`` matches at that end)


def scan(text: str) -> Iterator[SymbolMention]:
    """Every instrument symbol mentioned in ``text``, in order (see :func:`scan_all`)."""
    return iter(scan_all(text)[0])


def _next_item(series: str, text: str, pos: int) -> tuple[re.Match[str] | None, str]:
    """The first short form after ``pos`` within reach, for a keyword of ``series``, and
    which pattern found it ("sc", "old" or "short")."""
    stop = min(len(text), pos + _ITEM_REACH)
    if series == "sc":
        m = _SC_SHORT.search(text, pos, stop)
        return (_SC_SHORT.match(text, m.start()) if m else None), "sc"
    best: tuple[re.Match[str] | None, str] = (None, "short")
    for name, pattern in (("short", _SHORT_IN_TEXT), ("old", _OLD_SHORT)):
        m = pattern.search(text, pos, stop)
        if m:
            m = pattern.match(text, m.start()) or m  # read the whole item past the window
            if best[0] is None or m.start() < best[0].start():
                best = (m, name)
    return best


def _short_symbol(series: str, kind: str, how: str, m: re.Match[str]) -> Symbol:
    """The symbol of a short form in the series its keyword gave."""
    if how == "sc":
        return parse(f"S/RES/{m.group('n')} ({m.group('y')})")
    if how == "old":
        part = m.group("p0") or m.group("p") or ""
        return parse(f"A/RES/{m.group('n')}{part}({m.group('r')})")
    session, number = m.group("s"), m.group("n")
    part = m.groupdict().get("part") or m.groupdict().get("part2") or ""
    if series == "hrc":
        return parse(f"A/HRC/{'RES' if kind == RESOLUTION else 'DEC'}/{session}/{number}")
    if series == "ecosoc":
        if not re.fullmatch(r"\d{4}", session):
            raise SymbolError(f"{m.group(0)!r} is not an Economic and Social Council number")
        return parse(f"E/{'RES' if kind == RESOLUTION else 'DEC'}/{session}/{number}")
    return parse(f"{session}/{number}{part}", series=DECISION if kind == DECISION else None)


def scan_all(text: str) -> tuple[list[SymbolMention], list[Unresolved]]:
    """Every instrument symbol mentioned in ``text``, in order, and the numbered mentions
    whose series cannot be decided.

    Full symbols (``A/79/214``) are found anywhere. Short forms (``75/240``) are read only
    after a keyword, "resolution(s)" or "decision(s)", and in the list that follows it
    ("resolutions 75/240 of 31 December 2020 and 76/19 of 6 December 2021"). The body named
    before the keyword decides the series of the whole list: none or the General Assembly ->
    A/RES/, A/DEC/; "Human Rights Council" -> A/HRC/RES/, A/HRC/DEC/; "Security Council"
    -> S/RES/n (year); "Economic and Social Council" -> E/RES/, E/DEC/. Any other body
    ("Commission on ... resolution 25/2") gives an :class:`Unresolved` mention.

    Each keyword looks at most ``_ITEM_REACH`` characters ahead and the spans already taken
    are kept sorted, so the scan is linear in the text.
    """
    found: list[tuple[int, int, Symbol, str]] = []
    m: re.Match[str] | None  # a match of each loop below; the last loop may find none
    # every full form holds a slash: most paragraphs have none, and the pattern's many
    # alternatives are then not tried at every character
    for m in SYMBOL_PATTERN.finditer(text) if "/" in text else ():
        try:
            sym = parse(re.sub(r"\s+", " ", m.group(0)))
        except SymbolError:
            continue
        found.append((m.start(), m.end(), sym, m.group(0)))
        # "A/70/172 and Add.1", "A/68/156 and Add.1 and 2": the addenda are documents too
        pos = m.end()
        while True:
            more = _ADDENDUM_AFTER.match(text, pos)
            if not more:
                break
            for number in re.findall(r"\d+", more.group("n")):
                try:
                    extra = parse(f"{sym.symbol}/{more.group('k')}.{number}")
                except SymbolError:
                    continue
                found.append((more.start("k"), more.end(), extra, more.group(0).strip()))
            pos = more.end()
    taken = sorted((s, e) for s, e, _, _ in found)

    def overlaps(s: int, e: int) -> bool:
        k = bisect.bisect_left(taken, (e, -1))
        return k > 0 and taken[k - 1][1] > s

    unresolved: list[Unresolved] = []
    last: tuple[int, str, str] = (-1, "ga", "")  # where the previous list ended, its series
    for kw in _KEYWORD.finditer(text):
        kind = RESOLUTION if kw.group("kind").lower() == "resolution" else DECISION
        series, body = series_before(text, kw.start())
        # "Economic and Social Council resolution 2004/26 and decision 2005/3": a keyword
        # that names no body and continues the previous list keeps that list's body
        if not body and last[0] >= 0 and _CARRY.fullmatch(text, last[0], kw.start()):
            series, body = last[1], last[2]
        pos = kw.end()
        while True:
            m, how = _next_item(series, text, pos)
            if not m:
                break
            gap = text[pos : m.start()]
            # the first item may follow the keyword at once; later items only across a list gap
            if pos == kw.end():
                if not re.fullmatch(r"\s*(?:\(|\[)?\s*", gap):
                    break
            elif not _LIST_GAP.match(gap) or _KEYWORD.search(gap):
                break
            pos = m.end()
            if overlaps(m.start(), m.end()):
                continue
            if series == "unresolved":
                unresolved.append(Unresolved(m.start(), m.end(), m.group(0), body))
                continue
            try:
                sym = _short_symbol(series, kind, how, m)
            except SymbolError:
                continue
            found.append((m.start(), m.end(), sym, m.group(0)))
            bisect.insort(taken, (m.start(), m.end()))
        if pos > kw.end():
            last = (pos, series, body)

    found.sort(key=lambda t: t[0])
    mentions: list[SymbolMention] = []
    for start, end, sym, raw in found:
        d = _DATE_AFTER.match(text, end, end + 60)
        date = iso_date(*d.groups()) if d else None
        annex_m = _ANNEX_BEFORE.search(text, max(0, start - 40), start)
        annex = (annex_m.group("a") or "").upper() if annex_m else None
        mentions.append(SymbolMention(sym, start, end, raw, date, annex or None))
    # "74/28 and 74/29 of 12 December 2019": the shared date applies to both items
    out: list[SymbolMention] = []
    for i, mention in enumerate(mentions):
        if mention.date is None and i + 1 < len(mentions):
            nxt = mentions[i + 1]
            between = text[mention.end : nxt.start]
            # only within one session: "1514 (XV) and 75/240 of 31 December 2020" share none
            same = mention.symbol.session is not None and \
                mention.symbol.session == nxt.symbol.session
            if nxt.date and same and re.fullmatch(r"\s+and\s+", between):
                mention = SymbolMention(mention.symbol, mention.start, mention.end,
                                        mention.raw, nxt.date, mention.annex)
        out.append(mention)
    return out, unresolved
