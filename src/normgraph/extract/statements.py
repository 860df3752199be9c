"""What the texts state about reports and sessions: which document contains which report of a
body, when the body adopted or considered it, and when a numbered session of a body was held.

UN texts name a report by what it is and whose it is, and give its document symbol beside:

* "the final report of the open-ended working group as contained in document A/80/257";
* "the final report adopted by the Open-ended Working Group on 12 March 2021 (See A/75/816)";
* "adopting its Final Report A/AC.292/2025/CRP.1";
* "on 11 July 2025, the open-ended working group considered its final report" (no symbol:
  the statement dates the report, whichever document contains it).

Each statement becomes a fact ``{"fact": "report", "what": "final report", "subject": text
naming the body or "", "paragraph", optional "symbol", "date", "event" (adopted |
considered)}``; the graph stage resolves the body and makes one work per (body, report) with
each document that contains it as a version. Nothing is inferred beyond the sentence.
"""

from __future__ import annotations

import re

from ..model import Paragraph
from ..read.readers import ordinal_number
from ..read.symbols import DATE_PATTERN, SYMBOL_PATTERN, iso_date, parse

__all__ = ["report_facts", "session_facts", "committee_facts"]

_WHAT = (r"(?P<what>(?:(?:first|second|third|fourth|fifth|sixth|annual|progress|final|"
         r"consensus|substantive)\s+){1,4}report)")
_SYM = r"(?P<sym>" + SYMBOL_PATTERN.pattern + ")"
_DATE = r"(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{4})"
_BODY = r"(?P<body>(?:[Oo]pen-ended|Group|group|[A-Z][\w-]*)[^;:()]{0,200}?)"

_STATEMENTS = [
    # "the final report of the open-ended working group as contained in document A/80/257"
    ("contained", re.compile(
        rf"\b(?:its|the)\s+{_WHAT}(?:\s+of\s+the\s+{_BODY})?\s+as\s+contained\s+in\s+"
        rf"document\s+{_SYM}", re.I)),
    # "the final report adopted by the Open-ended Working Group on 12 March 2021 (See A/75/816)"
    ("adopted", re.compile(
        rf"\b(?:its|the)\s+{_WHAT}\s+adopted\s+by\s+the\s+{_BODY}\s+on\s+{_DATE}\s*"
        rf"\(\s*(?:See\s+)?{_SYM}", re.I)),
    # "... by adopting its Final Report A/AC.292/2025/CRP.1" (the day stated elsewhere in the
    # sentence), "had adopted its final report on 6 June 2024 (See A/79/500)"
    ("adopted", re.compile(
        rf"\badopt(?:ed|ing|s)\s+its\s+{_WHAT}(?:\s+on\s+{_DATE})?\s*(?:\(\s*(?:See\s+)?)?"
        rf"{_SYM}", re.I)),
    # "on 12 July 2024, the open-ended working group considered its third annual progress report"
    ("considered", re.compile(
        rf"\bon\s+{_DATE},\s+the\s+{_BODY}\s+(?:had\s+)?considered\s+its\s+{_WHAT}", re.I)),
]
_ON_DATE = re.compile(r"\bon\s+(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")
# what every statement names (``_WHAT``): a paragraph without the word is not read further
_REPORT = re.compile(r"report", re.I)


def _iso(text: str | None) -> str | None:
    m = DATE_PATTERN.search(text or "")
    return iso_date(*m.groups()) if m else None


def report_facts(paragraphs: list[Paragraph]) -> list[dict[str, str]]:
    """Every statement of the forms above, one fact each, with its paragraph."""
    facts: list[dict[str, str]] = []
    for p in paragraphs:
        if p.kind == "title" or not _REPORT.search(p.text):
            continue
        seen: set[tuple[str, str]] = set()
        for event, pattern in _STATEMENTS:
            for m in pattern.finditer(p.text):
                groups = m.groupdict()
                what = " ".join(groups["what"].lower().split())
                fact = {"fact": "report", "what": what, "paragraph": p.number,
                        "subject": " ".join((groups.get("body") or "").split())}
                if groups.get("sym"):
                    fact["symbol"] = parse(groups["sym"]).symbol
                date = _iso(groups.get("date"))
                if event != "contained":
                    if date is None:
                        # the day stated elsewhere in the same sentence ("on 11 July 2025 by
                        # adopting its Final Report ...")
                        sentence_start = p.text.rfind(". ", 0, m.start()) + 1
                        sentence_end = p.text.find(". ", m.end())
                        sentence = p.text[sentence_start:sentence_end if sentence_end > 0
                                          else len(p.text)]
                        dm = _ON_DATE.search(sentence)
                        date = _iso(dm.group(1)) if dm else None
                    if date:
                        fact["date"] = date
                        fact["event"] = event
                key = (fact.get("symbol", ""), fact.get("event", ""))
                if key in seen:
                    continue
                seen.add(key)
                facts.append(fact)
    return facts


# "at its fifth substantive session on 28 July 2023, the open-ended working group had ..."
# "its third and final substantive session had been convened from 8 to 12 March 2021"
# (a session "scheduled for" days, "cancelled" or that "could not take place" is not matched:
# only a session held on a stated day, or convened over stated days)
_HELD = re.compile(
    r"\bits\s+(?P<ord>[a-z]+(?:-[a-z]+)?)(?:\s+and\s+final)?\s+substantive\s+session"
    r"(?:,?\s+on\s+(?P<day>\d{1,2}\s+[A-Z][a-z]+\s+\d{4})"
    r"|\s+had\s+been\s+convened\s+from\s+\d{1,2}\s+to\s+(?P<last>\d{1,2}\s+[A-Z][a-z]+\s+\d{4}))",
    re.I)


def session_facts(paragraphs: list[Paragraph]) -> list[dict[str, str]]:
    """A numbered substantive session of a body, held on a stated day (``when`` that day) or
    convened over stated days (``when`` their month), with its paragraph; the body is the one
    the sentence or the document is about."""
    facts: list[dict[str, str]] = []
    for p in paragraphs:
        for m in _HELD.finditer(p.text):
            n = ordinal_number(m.group("ord"))
            if not n:
                continue
            when = _iso(m.group("day")) or (_iso(m.group("last")) or "")[:7]
            word = m.group("ord").lower()
            facts.append({"fact": "session", "number": str(n), "paragraph": p.number,
                          "label": f"{word[:1].upper()}{word[1:]} substantive session",
                          "subject": "", "when": when})
    return facts


# "[on the report of the First Committee (A/76/439, para. 7)]", "on the recommendation of the
# First Committee (A/75/394, para. 18)", "... of the First Committee, (Footnote: A/77/380,
# para.12.)"
_COMMITTEE = re.compile(
    r"\bon\s+the\s+(?:report|recommendation)\s+of\s+the\s+(?P<committee>(?:First|Second|Third|"
    r"Fourth|Fifth|Sixth)\s+Committee|Special\s+Political\s+and\s+Decolonization\s+Committee)"
    r"\s*,?\s*\(\s*(?:Footnote:\s*)?" + _SYM + r"(?:\s*,\s*paras?\.\s*(?P<para>\d{1,3}))?",
    re.I)


def committee_facts(paragraphs: list[Paragraph]) -> list[dict[str, str]]:
    """The committee report (and its paragraph) a resolution or decision was adopted on, as
    its header or opening states it; the first such statement of the document."""
    for p in paragraphs:
        m = _COMMITTEE.search(p.text)
        if m:
            fact = {"fact": "committee report", "paragraph": p.number,
                    "committee": " ".join(m.group("committee").split()),
                    "symbol": parse(m.group("sym")).symbol}
            if m.group("para"):
                fact["report_paragraph"] = m.group("para")
            return [fact]
    return []
