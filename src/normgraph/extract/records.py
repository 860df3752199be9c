"""Extraction: paragraphs -> typed references, recommendations, principles, norm and theme
mentions, and the facts web pages and news items state about bodies and events.

The relation of a reference comes from the clause that governs the mention, by the grammar
of UN texts:

* a pattern around the mention wins: "established pursuant to resolution 75/240",
  "resolution 75/240 establishing/established/, which established" -> ``cites as establishing act``;
  "as endorsed by the General Assembly in its resolution 79/237" (a passive) -> ``refers to``;
  "as requested in resolution X" -> ``responds to`` (the cited act made the request);
* otherwise the nearest clause verb before the mention, within its clause: "Recalling its
  resolutions ..." -> ``recalls``, "Decides to endorse ... document A/80/257" -> ``endorses``;
  a verb introducing a proposition ("Recalling further that ...", "noting that ...") or a
  verb whose object is not a document ("Requests the Secretary-General ...") -> ``refers to``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from ..model import Document, Extraction, Paragraph, Principle, Reference
from ..read.readers import ordinal_number
from ..read.segment import Footnote, segment
from ..read.symbols import (
    DATE_PATTERN,
    SYMBOL_PATTERN,
    SymbolMention,
    Unresolved,
    iso_date,
    parse,
    scan,
    scan_all,
)
from .statements import committee_facts, report_facts, session_facts

__all__ = ["extract", "relation_at", "RELATION_NAMES"]

#: the citing text names the cited act as the one that established a body or process
ESTABLISHING = "cites as establishing act"

RELATION_NAMES = (
    "recalls",
    "reaffirms",
    "welcomes",
    "endorses",
    "takes note of",
    "notes",
    "cites as establishing act",
    "responds to",
    "decides to include in the agenda",
    "refers to",
)

# clause verbs (any inflection as written in UN texts) -> relation; None = a verb whose object
# is not the cited document, so the mention is a plain reference
_VERBS: list[tuple[str, str | None]] = [
    # "taking note also of", "takes note with appreciation of": still takes note of
    (r"tak(?:e|es|ing|en)\s+note\s+(?:(?:also|further|with\s+\w+)\s+)*of", "takes note of"),
    (r"decid(?:e|es|ed|ing)\s+to\s+include\s+in\s+the\s+(?:provisional\s+)?agenda",
     "decides to include in the agenda"),
    (r"recall(?:s|ing|ed)?", "recalls"),
    (r"reaffirm(?:s|ing|ed)?", "reaffirms"),
    (r"welcom(?:e|es|ing|ed)", "welcomes"),
    (r"endors(?:e|es|ing|ed)", "endorses"),
    (r"not(?:e|es|ing|ed)", "notes"),
    (r"decid(?:e|es|ed|ing)", None),
    (r"request(?:s|ing|ed)?", None),
    (r"call(?:s|ing|ed)?\s+upon", None),
    (r"invit(?:e|es|ing|ed)", None),
    (r"urg(?:e|es|ing|ed)", None),
    (r"encourag(?:e|es|ing|ed)", None),
    (r"support(?:s|ing|ed)?", None),
    (r"emphasiz(?:e|es|ing|ed)", None),
    (r"stress(?:es|ing|ed)?", None),
    (r"underlin(?:e|es|ing|ed)", None),
    (r"underscor(?:e|es|ing|ed)", None),
    (r"consider(?:s|ing|ed)?", None),
    (r"recommend(?:s|ing|ed)?", None),
    (r"recogniz(?:e|es|ing|ed)", None),
    (r"acknowledg(?:e|es|ing|ed)", None),
    (r"affirm(?:s|ing|ed)?", None),
    (r"confirm(?:s|ing|ed)?", None),
    (r"express(?:es|ing|ed)?", None),
    (r"guided\s+by", None),
    (r"enshrin(?:e|es|ed|ing)", None),
    (r"in\s+accordance\s+with", None),
    (r"pursuant\s+to", None),
    (r"taking\s+into\s+account", None),
    (r"bearing\s+in\s+mind", None),
]
# a word is tried against the verbs only if it starts with a letter one of them starts with
# (half the time of trying each alternative at every word)
_VERB_INITIALS = "".join(sorted({p[0].lower() for p, _ in _VERBS})) \
    if all(p[0].isalpha() for p, _ in _VERBS) else ""
_VERB_RE = re.compile(
    r"\b" + (f"(?=[{_VERB_INITIALS}])" if _VERB_INITIALS else "")
    + r"(?:" + "|".join(f"(?P<v{i}>{p})" for i, (p, _) in enumerate(_VERBS)) + r")\b", re.I
)
_CLAUSE_BREAK = re.compile(r";|:|\.\s+(?=[A-Z])|,\s+and\s+(?=[a-z]+ing\b)")
_ESTABLISHED_BEFORE = re.compile(
    r"\bestablish(?:ed|ing)\s+(?:by\s+the\s+Secretary-General\s+)?"
    r"(?:(?:pursuant|according)\s+to|by|under|in)\s+"
    r"(?:(?:the\s+)?(?:UN\s+|United\s+Nations\s+)?General\s+Assembly\s+)?(?:its\s+)?"
    r"(?:resolution|decision)s?"
    # the earlier items of a list: "as established in resolutions 73/266 and 73/27"
    r"(?:\s+\d{1,4}/\d{1,4}(?:\s+of\s+\d{1,2}\s+\w+\s+\d{4})?\s*(?:,\s*and|,|and))*\s*$",
    re.I,
)
_ESTABLISHED_AFTER = re.compile(
    r"^\s*(?:\([^)]{0,40}\)\s*)?,?\s*(?:which\s+|that\s+)?(?:has\s+)?establish(?:ed|es|ing)\b",
    re.I,
)
_REQUESTED_BEFORE = re.compile(
    r"\b(?:as\s+)?requested\s+(?:in|by)\s+(?:(?:the\s+)?General\s+Assembly\s+)?(?:in\s+)?"
    r"(?:its\s+)?(?:resolution|decision)s?\s*$",
    re.I,
)
_PASSIVE_BEFORE = re.compile(
    r"\b\w+ed\s+by\s+(?:consensus\s+)?(?:(?:through|in)\s+)?(?:(?:the\s+)?(?:UN\s+)?"
    r"General\s+Assembly\s+)?(?:(?:in|through)\s+)?(?:its\s+)?(?:consensus\s+)?"
    r"(?:resolution|decision)s?\s*$",
    re.I,
)
_LIST_GLUE = re.compile(
    r"^(?:\s|,|\band\b|\bas\s+well\s+as\b|\bits\b|\bof\b|\d{1,2}\s+\w+\s+\d{4}|"
    r"(?:General\s+Assembly\s+)?(?:resolution|decision|document)s?)*$",
    re.I,
)


class _Found:
    """The matches of one pattern in a text, in order, found from the start only as far as
    they are asked for."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.matches: list[re.Match[str]] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._rest: Iterator[re.Match[str]] | None = pattern.finditer(text)

    def before(self, at: int) -> None:
        """Find every match that starts before ``at`` (and perhaps the next one)."""
        starts, rest = self.starts, self._rest
        while rest is not None and (not starts or starts[-1] < at):
            m = next(rest, None)
            if m is None:
                self._rest = rest = None
            else:
                self.matches.append(m)
                starts.append(m.start())
                self.ends.append(m.end())


class ClauseIndex:
    """What :func:`relation_at` needs to know about a text: the clause breaks, the clause
    verbs and the relative pronouns, each as sorted positions, found in one pass over the
    text that goes only as far as the mentions asked about (the words after a paragraph's
    last mention are not read).

    A paragraph citing thousands of symbols is then read in linear time: each mention looks
    up its clause, its governing verb and any pronoun between them by bisection instead of
    rescanning the clause before it."""

    def __init__(self, text: str) -> None:
        self._breaks = _Found(_CLAUSE_BREAK, text)
        self._verbs = _Found(_VERB_RE, text)
        self._pronouns = _Found(_RELATIVE, text)

    def clause_start(self, at: int) -> int:
        """Where the clause holding ``text[at]`` starts: after the last break before it."""
        found = self._breaks
        found.before(at)
        k = bisect.bisect_left(found.starts, at)
        while k and found.ends[k - 1] > at:  # a break whose end runs past ``at``
            k -= 1
        return found.ends[k - 1] if k else 0

    def last_verb(self, lo: int, hi: int) -> re.Match[str] | None:
        """The last clause verb wholly inside ``[lo, hi)``."""
        found = self._verbs
        found.before(hi)  # every verb that ends by ``hi`` starts before it
        k = bisect.bisect_right(found.ends, hi)
        if k and found.starts[k - 1] >= lo:
            return found.matches[k - 1]
        return None

    def pronoun_between(self, lo: int, hi: int) -> bool:
        found = self._pronouns
        found.before(hi)
        k = bisect.bisect_left(found.starts, lo)
        return k < len(found.starts) and found.starts[k] < hi


# "as revised in", "as amended by"; not the participles that only say where the verb's own
# object is printed ("as contained in document A/79/214", "as issued in")
# a document named as the object's topic: a report/note/letter "on" or "of" something
_TOPIC_NOUN = re.compile(r"\b(?:report|reports|note|letter|statement)\s+(?:of|by|on)\b.*\b(?:on|of)"
                         r"\s+(?:the\s+)?(?:implementation|follow-up)\b", re.I)
# the mention is a short form after its keyword (not a document identifying the object)
_KEYWORD_BEFORE = re.compile(r"\b(?:resolution|decision)s?\s+(?:[\d/]+\s*(?:,|and)\s*)*$", re.I)
_AS_PARTICIPLE = re.compile(
    r"\bas\s+(?!(?:contained|reflected|issued|circulated|transmitted|presented|published|"
    r"set)\b)\w+ed\s+(?:in|by|through|under)\b", re.I)
_RELATIVE = re.compile(r"\b(?:who|which|whose)\b", re.I)


def relation_at(text: str, start: int, end: int,
                index: ClauseIndex | None = None) -> tuple[str, str | None]:
    """The relation with which ``text`` cites the mention at ``text[start:end]``, and the
    verb as written that decides it (None for a plain reference). ``index`` is the text's
    :class:`ClauseIndex`, built once by a caller with many mentions in one text.

    >>> relation_at("Recalling its resolution 75/240 of 31 December 2020,", 25, 31)
    ('recalls', 'Recalling')
    >>> t = "the group established pursuant to resolution 75/240 held its session"
    >>> relation_at(t, t.index("75/240"), t.index("75/240") + 6)
    ('cites as establishing act', 'established pursuant to')
    """
    if index is None:
        index = ClauseIndex(text)
    # the patterns read a bounded window on each side of the mention
    near = text[max(0, start - 160) : start]
    after = text[end : end + 200]
    after_date = re.sub(r"^\s*(?:of\s+)?\d{1,2}\s+\w+\s+\d{4,6}", "", after)
    m = _ESTABLISHED_BEFORE.search(near)
    if m:
        verb = re.sub(r"\s+", " ", m.group(0))
        return ESTABLISHING, re.split(r" (?:resolution|General|decision)", verb)[0].strip()
    m = _ESTABLISHED_AFTER.match(after_date)
    if m:
        return ESTABLISHING, re.sub(r"\s+", " ", m.group(0)).strip(" ,")
    if _REQUESTED_BEFORE.search(near[-120:]):
        # the cited act made the request the citing text answers
        return "responds to", "requested"
    if _PASSIVE_BEFORE.search(near[-120:]):
        return "refers to", None
    # the nearest clause verb before the mention, within the clause the mention stands in
    last = index.last_verb(index.clause_start(start), start)
    if last is None:
        return "refers to", None
    number = int(next(k for k, v in last.groupdict().items() if v)[1:])
    relation = _VERBS[number][1]
    verb = re.sub(r"\s+", " ", last.group(0))
    if relation is None:
        return "refers to", verb
    tail = text[last.end() : min(start, last.end() + 80)]
    # "Recalling further that ...": the verb's object is a proposition, not the document
    if re.match(r"\s*(?:also\s+|further\s+|moreover\s+|with\s+\w+\s+)?that\b", tail, re.I):
        return "refers to", verb
    # a passive participle ("endorsed by ...") does not make the citing text the agent
    if re.match(r"\s+by\b", tail) and relation not in ("takes note of",):
        return "refers to", verb
    # the verb must govern the mention: between them only its object noun phrase
    if index.pronoun_between(last.end(), start):
        return "refers to", verb
    # "Takes note of the report of the Secretary-General on the implementation of resolution
    # 79/7": the verb's object is the report; the resolution is only its topic
    between = text[max(last.end(), start - 200) : start]
    if _TOPIC_NOUN.search(between) and _KEYWORD_BEFORE.search(between):
        return "refers to", verb
    # "Welcomes the adoption of resolution 70/237, as revised in draft A/76/L.13/Rev.1": the
    # mention is the object of the participle, not of the clause verb
    if _AS_PARTICIPLE.search(text, max(last.end(), start - 120), start):
        return "refers to", verb
    return relation, verb


def _quote(text: str, mention: SymbolMention, lo: int) -> str:
    """The span as written: the list item with its keyword and date ("resolution 75/240 of
    31 December 2020")."""
    start = mention.start
    kw = re.search(r"(?:annex\s+\w+\s+(?:to|of)\s+)?(?:document|resolutions?|decisions?)\s*$",
                   text[max(lo, start - 40) : start], re.I)
    if kw:
        start = max(lo, start - 40) + kw.start()
    end = mention.end
    d = re.match(r"\s*,?\s*of\s+\d{1,2}\s+\w+\s+\d{4}", text[end:])
    if d:
        end += d.end()
    return re.sub(r"\s+", " ", text[start:end]).strip()


def _references_in(paragraph: Paragraph, own_symbol: str | None,
                   scanned: tuple[list[SymbolMention], list[Unresolved]],
                   unresolved: list[dict[str, str]] | None = None) -> Iterable[Reference]:
    """The references of one paragraph, from ``scanned``: :func:`scan_all` of its text."""
    body = paragraph.text
    mentions, vague = scanned
    if unresolved is not None:
        unresolved.extend({"paragraph": paragraph.number, "body": u.body,
                           "text": _unresolved_quote(body, u.start, u.end)} for u in vague)
    if not mentions:
        return
    index = ClauseIndex(body)
    for mention in mentions:
        if own_symbol and mention.symbol.symbol == own_symbol:
            continue
        relation, verb = relation_at(body, mention.start, mention.end, index)
        yield Reference(
            symbol=mention.symbol.symbol,
            relation=relation,
            paragraph=paragraph.number,
            kind=mention.symbol.kind,
            date=mention.date,
            verb=verb,
            quote=_quote(body, mention, 0),
            annex=mention.annex,
        )


def _unresolved_quote(text: str, start: int, end: int) -> str:
    """The words of an unresolved mention, from the body's name to the number."""
    head = re.search(r"(?:[A-Z][\w’'.-]*\s+(?:(?:on|of|and|for|the|to)\s+|[A-Z][\w’'.-]*\s+)*)?"
                     r"(?:resolution|decision)s?\b[^;:]{0,120}$", text[max(0, start - 160):start])
    lo = max(0, start - 160) + head.start() if head else start
    return re.sub(r"\s+", " ", text[lo:end]).strip()


_PRINCIPLES_WORD = re.compile(r"\bprinciples\b", re.I)


def _introduces_principles(text: str) -> bool:
    """A paragraph ending in a colon whose last sentence names "principles". Only that last
    sentence is searched: a search from every "principles" to the end would be quadratic."""
    body = text.rstrip()
    if not body.endswith(":"):
        return False
    cut = max(body.rfind("."), body.rfind(";"))
    return _PRINCIPLES_WORD.search(body, cut + 1) is not None
_CHAIR = re.compile(
    r"\bThe\s+Chair\s+of\s+the\s+(?P<body>[^.]{2,200}?)\s+is\s+"
    r"(?P<name>(?:H\.\s?E\.\s+)?(?:(?:Mr|Ms|Mrs|Dr)\.\s+)?[A-Z][^,.;]{2,100}?)\s*[,.;]"
)
_ADOPTS = re.compile(
    r"\badopt(?:ed|ing|s)\s+(?:its|the)\s+(?P<what>(?:[Ff]inal|[Aa]nnual|[Tt]hird|[Ss]econd|"
    r"[Ff]irst|[Pp]rogress|[Ss]ubstantive|\s)*[Rr]eport)\s+(?P<sym>" + SYMBOL_PATTERN.pattern
    + ")",
    re.I,
)
_ON_DATE = re.compile(r"\bon\s+(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z“‘\"])")


_MONTH_YEAR = (r"(?:(?:January|February|March|April|May|June|July|August|September|October|"
               r"November|December)\s+)?\d{4}")
_SESSION = re.compile(
    r"\b(?P<ord>[A-Z][a-z]+(?:[- ][a-z]+)?)\s+substantive\s+session\b"
    rf"(?:\s*\((?P<when>{_MONTH_YEAR})\))?")
_PLANNED = re.compile(r"\bwill\s+meet\s+for\s+(?P<n>\d{1,3}|[a-z]+(?:-[a-z]+)?)\s+"
                      r"(?:substantive\s+)?sessions\b")
_STARTS = re.compile(rf"\b(?:will\s+(?:start|begin)\s+its\s+work\s+(?:by|in)|starting\s+in|"
                     rf"from)\s+(?P<when>{_MONTH_YEAR})\b")
_FORMATS_INTRO = re.compile(r"\bwill\s+convene\s+in\s+(?:different|several|various)\s+formats")
_FORMAT_CLAUSE = re.compile(r",\s*(?:and\s+)?(?=(?:hold|work|convene|meet)\b)")


def _when(text: str) -> str | None:
    """'March 2026' -> '2026-03'; '2026' -> '2026'."""
    m = re.fullmatch(r"(?:([A-Z][a-z]+)\s+)?(\d{4})", text.strip())
    if not m:
        return None
    if not m.group(1):
        return m.group(2)
    iso = iso_date("1", m.group(1), m.group(2))
    return iso[:7] if iso else None


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else ordinal_number(text) if text else None


_CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
              "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def _body_facts(p: Paragraph) -> list[dict[str, str]]:
    """What a page says about a body: its sessions, how many it plans, when it starts work,
    the formats it convenes in. The body is named later, from the sentence (or the page)."""
    out: list[dict[str, str]] = []
    for m in _SESSION.finditer(p.text):
        n = ordinal_number(m.group("ord"))
        if n:
            fact = {"fact": "session", "number": str(n), "label": m.group(0).split("(")[0].strip(),
                    "paragraph": p.number, "subject": p.text}
            if m.group("when"):
                fact["when"] = _when(m.group("when")) or ""
            out.append(fact)
    sentences = _SENTENCE_BREAK.split(p.text)
    for k, sentence in enumerate(sentences):
        pm = _PLANNED.search(sentence)
        if pm:
            raw = pm.group("n")
            n = int(raw) if raw.isdigit() else _CARDINALS.get(raw.lower())
            if n:
                out.append({"fact": "planned sessions", "value": str(n), "subject": sentence,
                            "paragraph": p.number})
        sm = _STARTS.search(sentence)
        if sm and re.search(r"\bwill\b|\bstarting\b", sentence) and _when(sm.group("when")):
            out.append({"fact": "starts", "value": _when(sm.group("when")) or "",
                        "subject": sentence, "paragraph": p.number})
        if _FORMATS_INTRO.search(sentence):
            for follow in sentences[k + 1 : k + 3]:
                fm = re.match(r"\s*It\s+will\s+(?P<rest>.*?)\.?$", follow)
                if not fm:
                    break
                for clause in _FORMAT_CLAUSE.split(fm.group("rest")):
                    clause = " ".join(clause.split()).strip(" ,.")
                    if clause:
                        out.append({"fact": "format", "value": clause, "subject": sentence,
                                    "paragraph": p.number})
    return out


def _facts(paragraphs: list[Paragraph]) -> list[dict[str, str]]:
    """Statements about bodies and events a web page or news item makes, each with its
    paragraph: who chairs a body, which report was adopted on which day."""
    facts: list[dict[str, str]] = []
    for p in paragraphs:
        facts.extend(_body_facts(p))
        for m in _CHAIR.finditer(p.text):
            facts.append({"fact": "chair", "body": m.group("body").strip(),
                          "value": m.group("name").strip(), "paragraph": p.number})
        for sentence in _SENTENCE_BREAK.split(p.text):
            am = _ADOPTS.search(sentence)
            if not am:
                continue
            dm = _ON_DATE.search(sentence)
            date = None
            if dm:
                d = DATE_PATTERN.search(dm.group(1))
                date = iso_date(*d.groups()) if d else None
            fact = {"fact": "adopted", "symbol": parse(am.group("sym")).symbol,
                    "what": re.sub(r"\s+", " ", am.group("what")).strip(),
                    "subject": sentence.strip(), "paragraph": p.number}
            if date:
                fact["date"] = date
            facts.append(fact)
    return facts


def _principles(paragraphs: list[Paragraph]) -> list[Principle]:
    """Bulleted items under a paragraph that introduces "the following principles:"."""
    intro = {p.number for p in paragraphs if p.kind != "sub-item" and
             _introduces_principles(p.text)}
    out: list[Principle] = []
    for p in paragraphs:
        if p.kind == "sub-item" and p.parent in intro and "(b" in p.number:
            out.append(Principle(len(out) + 1, p.group, p.text, p.number))
    return out


def _draft_date(doc: Document) -> str | None:
    """A draft (A/C.1/80/L.20, A/80/L.9) is adopted by no one: its date is the one it was
    distributed on ("Distr.: Limited 13 October 2025")."""
    symbol = doc.metadata.get("symbol") or ""
    return doc.metadata.get("distributed") if re.search(r"/L\.\d", symbol) else None


def _document_kind(doc: Document, grammar_hint: str | None) -> str:
    kind = doc.metadata.get("kind")
    if kind:
        return kind
    symbol = doc.metadata.get("symbol")
    if symbol:
        return parse(symbol).kind
    return grammar_hint or "document"


def extract(doc: Document, reference: object | None = None) -> Extraction:
    """Run segmentation and extraction on one read document.

    ``reference`` (a :class:`normgraph.reference.ReferenceData`) drives the pillar, theme and
    norm tagging; without it those are left empty.
    """
    paragraphs, footnotes = segment(doc)
    own = doc.metadata.get("symbol")
    warnings: list[str] = []
    references: list[Reference] = []

    # the title from front matter may be fuller than the one printed in the text
    title = doc.metadata.get("title")
    title_span = doc.metadata.get("fm_title_span")
    for p in paragraphs:
        if p.kind == "title" and title and len(title) > len(p.text):
            p.text = title
            if title_span and title == doc.metadata.get("fm_title", "").rstrip(" :"):
                a, b = (int(x) for x in title_span.split(","))
                p.span = (a, b)
    # a record stating its title in a field of its own (iGov): the title paragraph is that field
    field_span = doc.metadata.get("title_span")
    if title and field_span and not any(p.kind == "title" for p in paragraphs):
        a, b = (int(x) for x in field_span.split(","))
        paragraphs.insert(0, Paragraph("title", "title", title, (a, b), 0))
        for ordinal, p in enumerate(paragraphs, start=1):
            p.ordinal = ordinal

    fn_by_number = {fn.number: fn for fn in footnotes}
    called: set[str] = set()
    unresolved: list[dict[str, str]] = []
    # the mentions of each paragraph, found once for its references and the self-citation test
    scans = {id(p): scan_all(p.text) for p in paragraphs}
    for p in paragraphs:
        if p.kind == "footnote":
            continue
        references.extend(_references_in(p, own, scans[id(p)], unresolved))
        host_index: ClauseIndex | None = None
        applied: set[tuple[str, str, str | None]] = set()
        for number, offset in p.calls:
            fn = fn_by_number.get(number)
            if fn is None:
                continue
            called.add(number)
            host_index = host_index or ClauseIndex(p.text)
            cited_as = _relation_at_call(p.text, offset, host_index)
            # a footnote read again under the same relation gives the same references: it is
            # read once per (footnote, relation, verb) of this paragraph, so a number that
            # recurs ("word1 word1 ...") costs a look-up per call, not a pass over the footnote
            if (number, *cited_as) in applied:
                continue
            applied.add((number, *cited_as))
            references.extend(_footnote_refs(p, fn, cited_as, own))
    for p in paragraphs:
        if p.kind == "footnote":
            # a called footnote's references went to its host above; its unresolved ones and
            # an uncalled footnote's references are read here
            sink: list[dict[str, str]] = []
            refs = list(_references_in(p, own, scans[id(p)], sink))
            unresolved.extend(sink)
            if p.number[2:] not in called:
                references.extend(refs)
    # a footnote naming the document itself says how it is recorded ("Decision 77/512 ...
    # becomes decision 77/512 A"): an editorial note, not a citation worth a warning; so is
    # one printed inline, as the iGov records print theirs ("(Footnote: ...)")
    if own and any(_names_itself(p, own, scans[id(p)][0]) for p in paragraphs
                   if p.kind not in ("title", "footnote")):
        warnings.append(f"the document cites its own symbol {own}; that mention is ignored")

    # one reference per (symbol, relation, paragraph); the first mention keeps its quote
    seen: set[tuple[str, str, str]] = set()
    unique: list[Reference] = []
    for r in references:
        key = (r.symbol, r.relation, r.paragraph)
        if key not in seen:
            seen.add(key)
            unique.append(r)

    extraction = Extraction(
        document=doc,
        symbol=own,
        kind=_document_kind(doc, None),
        title=title,
        date=doc.metadata.get("date") or _draft_date(doc),
        paragraphs=paragraphs,
        references=unique,
        principles=_principles(paragraphs),
        facts=(_facts(paragraphs) if not own else []) + report_facts(paragraphs)
        + session_facts(paragraphs) + committee_facts(paragraphs),
        warnings=warnings,
        unresolved=unresolved,
    )
    if reference is not None:
        _tag(extraction, reference)
    return extraction



_INLINE_FOOTNOTE = re.compile(r"\(\s*footnote:", re.I)


def _inline_footnotes(text: str) -> list[tuple[int, int]]:
    """The spans of inline footnotes, "(Footnote: ... (A/77/49) ...)", nested brackets
    counted: one pass over the text (a footnote's span is skipped once found)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while m := _INLINE_FOOTNOTE.search(text, pos):
        depth, end = 0, len(text)
        for i in range(m.start(), len(text)):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                end = i + 1
                break
        spans.append((m.start(), end))
        pos = end
    return spans


def _names_itself(p: Paragraph, own: str, found: list[SymbolMention]) -> bool:
    """Whether the paragraph cites the document's own symbol outside an inline footnote
    (``found``: the symbols mentioned in it)."""
    mentions = [m.start for m in found if m.symbol.symbol == own]
    if not mentions:
        return False
    spans = _inline_footnotes(p.text)
    starts = [s for s, _ in spans]
    for at in mentions:
        k = bisect.bisect_right(starts, at) - 1
        if k < 0 or spans[k][1] <= at:
            return True
    return False


def _relation_at_call(text: str, offset: int, index: ClauseIndex) -> tuple[str, str | None]:
    """The relation the host's clause gives at a footnote call (and its verb as written)."""
    # the call stands after the clause's closing punctuation ("...;2"): read the clause it
    # ends (a bounded step back: punctuation and spaces only)
    stop = max(0, offset - 200)
    while offset > stop and text[offset - 1] in ";,.: ":
        offset -= 1
    return relation_at(text, offset, offset, index)


def _footnote_refs(host: Paragraph, fn: Footnote, cited_as: tuple[str, str | None],
                   own: str | None) -> Iterable[Reference]:
    """References printed in a footnote belong to the paragraph that calls the footnote; the
    relation is ``cited_as``, the one the host's clause gives at the call."""
    relation, verb = cited_as
    # the symbols a footnote opens with ("A/70/174.", "S/PRST/2013/2; see ...") name the host
    # clause's object and take its relation; any after words of the footnote's own ("See
    # also decision 80/555") are references of the footnote, read in its own clause
    index = ClauseIndex(fn.text)
    # a bibliographic reference to the same document also only names it: "Official Records of
    # the General Assembly, Thirty-fourth Session, Supplement No. 45 (A/34/45)"
    biblio = _OFFICIAL_RECORDS.match(fn.text)
    leading: int | None = biblio.end() if biblio else 0  # where the opening symbols end
    for mention in scan(fn.text):
        if leading is not None and _NAMES_ONLY.fullmatch(fn.text, leading, mention.start):
            leading = mention.end
        else:
            leading = None
            relation, verb = relation_at(fn.text, mention.start, mention.end, index)
        if own and mention.symbol.symbol == own:
            continue
        yield Reference(mention.symbol.symbol, relation, host.number, mention.symbol.kind,
                        mention.date, verb, re.sub(r"\s+", " ", fn.text).strip()[:200],
                        mention.annex)


_OFFICIAL_RECORDS = re.compile(r"\s*Official\s+Records\s+of\s+the\s+[^()]{0,200}\(")
# what may stand in a footnote beside the symbols it names, for it to name only them
_NAMES_ONLY = re.compile(r"(?:\s|[,;.\-]|\band\b|\bAdd\.\d+|\bCorr\.\d+|\bRev\.\d+|\d{1,2})*")


def _tag(extraction: Extraction, reference: object) -> None:
    pillar_of_heading: dict[str, str | None] = {}
    for p in extraction.paragraphs:
        themes, norms = reference.tags_in(p.text)  # type: ignore[attr-defined]
        if themes:
            extraction.themes[p.number] = themes
        if norms:
            extraction.norms[p.number] = norms
        if p.heading:
            if p.heading not in pillar_of_heading:
                concept = reference.match_pillar(p.heading)  # type: ignore[attr-defined]
                pillar_of_heading[p.heading] = concept.key if concept else None
            key = pillar_of_heading[p.heading]
            if key:
                extraction.pillars[p.number] = key
