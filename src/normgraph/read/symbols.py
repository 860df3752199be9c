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
    (RESOLUTION, re.compile(r"E/RES/(?P<s>\d{4})/(?P<n>\d{1,4})", re.I)),
    (RESOLUTION, re.compile(r"S/RES/(?P<n>\d{1,5})\s?\((?P<s>\d{4})\)", re.I)),
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
    # session documents: A/79/214, A/79/214/Add.1, A/68/98*
    (REPORT, re.compile(rf"A/(?P<s>{_SESSION})/(?P<n>{_NUM}){_SUFFIX}\*?", re.I)),
    # other organs' session documents: A/HRC/27/37, S/2021/123, E/2020/12
    (REPORT, re.compile(rf"(?:A/HRC|S|E)/(?P<s>\d{{1,4}})/(?P<n>{_NUM}){_SUFFIX}\*?", re.I)),
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
            elif kind in (RESOLUTION, DECISION) and groups.get("n"):
                head = core.upper().split("/")
                prefix = "/".join(head[:-2]) if core.upper().startswith("A/HRC/RES") else (
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
DATE_PATTERN = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\s+(\d{{4}})\b")
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


# keyword that sets the series of the short forms that follow it
_KEYWORD = re.compile(
    r"(?P<hrc>Human\s+Rights\s+Council\s+resolutions?)"
    r"|(?P<sc>Security\s+Council\s+resolutions?)"
    r"|(?P<dec>\bdecisions?)"
    r"|(?P<res>\bresolutions?)",
    re.I,
)
_SHORT_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9/.\-])(?P<s>\d{1,4}|ES-\d{1,2}|S-\d{1,2})/(?P<n>\d{1,4})"
    r"(?:\s?\((?P<part>[A-H])\)|\s(?P<part2>[A-H])(?=[\s,;.)]))?"
    r"(?![A-Za-z0-9/])",
)
_SC_SHORT = re.compile(r"(?<![\d/])(?P<n>\d{1,5})\s?\((?P<y>\d{4})\)")
# what may stand between two items of one list of symbols (no keyword can be spelt with it)
_LIST_GAP = (rf"(?:\s|,|;|\band\b|\bas well as\b|\bits\b|\bof\b|\d{{1,2}}\s+(?:{_MONTHS})\s+"
             r"\d{4}|\d{1,2}\b|[*!?%’'¢>])*")
# what may stand between a keyword and its first item: spaces, an opening bracket
_FIRST_GAP = r"\s*(?:[(\[]\s*)?"
# The next item of a list is matched where the list stands (gap, then item), never searched
# for ahead: a search from every keyword ran to the end of a text with no item, quadratic in
# a text of keywords. Each gap is read once, so scanning is linear in the text.
_NEXT_ITEM = {
    (series, first): re.compile(f"{gap}(?P<item>{item.pattern})")
    for series, item in (("short", _SHORT_IN_TEXT), ("sc", _SC_SHORT))
    for first, gap in ((True, _FIRST_GAP), (False, _LIST_GAP))
}
_ADDENDUM_AFTER = re.compile(
    r"\s*(?:,|and|,\s*and)\s+(?P<k>Add|Corr|Rev)\.(?P<n>\d+(?:\s*(?:,|and)\s*\d+)*)(?![\w/])")
_DATE_AFTER = re.compile(rf"^\s*,?\s*of\s+(\d{{1,2}})\s+({_MONTHS})\s+(\d{{4}})")
_ANNEX_BEFORE = re.compile(
    r"annex\s+(?P<a>[A-Z]{1,4}|[IVX]+)?\s*(?:to|of)\s+(?:document\s+)?$", re.I)


def scan(text: str) -> Iterator[SymbolMention]:
    """Every instrument symbol mentioned in ``text``, in order.

    Full symbols (``A/79/214``) are found anywhere. Short forms (``75/240``) are read only
    where a keyword gives them their series: "resolution(s)", "decision(s)", "Human Rights
    Council resolution", "Security Council resolution", and the list that follows the keyword
    ("resolutions 75/240 of 31 December 2020 and 76/19 of 6 December 2021").
    """
    found: list[tuple[int, int, Symbol, str]] = []
    for m in SYMBOL_PATTERN.finditer(text):
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
    # spans taken so far, disjoint and kept sorted, so an overlap is one bisection away
    spans = sorted((s, e) for s, e, _, _ in found)
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]

    def overlaps(s: int, e: int) -> bool:
        i = bisect.bisect_left(starts, e) - 1
        return i >= 0 and ends[i] > s

    def take(s: int, e: int) -> None:
        i = bisect.bisect_left(starts, s)
        starts.insert(i, s)
        ends.insert(i, e)

    for kw in _KEYWORD.finditer(text):
        series = "hrc" if kw.group("hrc") else "sc" if kw.group("sc") else (
            "decision" if kw.group("dec") else "resolution")
        pos = kw.end()
        kind = "sc" if series == "sc" else "short"
        while True:
            # the first item may follow the keyword at once; later items only across a list gap
            m = _NEXT_ITEM[kind, pos == kw.end()].match(text, pos)
            if not m:
                break
            start, end = m.span("item")
            raw = m.group("item")
            if not overlaps(start, end):
                try:
                    if series == "sc":
                        sym = parse(f"S/RES/{m.group('n')} ({m.group('y')})")
                    else:
                        part = m.groupdict().get("part") or m.groupdict().get("part2") or ""
                        sym = parse(f"{m.group('s')}/{m.group('n')}{part}",
                                    series=series if series != "resolution" else None)
                except SymbolError:
                    pos = m.end()
                    continue
                found.append((start, end, sym, raw))
                take(start, end)
            pos = end

    found.sort(key=lambda t: t[0])
    mentions: list[SymbolMention] = []
    for start, end, sym, raw in found:
        after = text[end : end + 60]
        d = _DATE_AFTER.match(after)
        date = iso_date(*d.groups()) if d else None
        annex_m = _ANNEX_BEFORE.search(text[max(0, start - 40) : start])
        annex = (annex_m.group("a") or "").upper() if annex_m else None
        mentions.append(SymbolMention(sym, start, end, raw, date, annex or None))
    # "74/28 and 74/29 of 12 December 2019": the shared date applies to both items
    out: list[SymbolMention] = []
    for i, mention in enumerate(mentions):
        if mention.date is None and i + 1 < len(mentions):
            nxt = mentions[i + 1]
            between = text[mention.end : nxt.start]
            if nxt.date and re.fullmatch(r"\s+and\s+", between):
                mention = SymbolMention(mention.symbol, mention.start, mention.end,
                                        mention.raw, nxt.date, mention.annex)
        out.append(mention)
    return iter(out)
