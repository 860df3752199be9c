"""Reader for decision records of the UN iGov decisions database (JSON).

A record states its metadata in fields: ``ED_DecisionNumber`` ("75/564", "77/512 A and B"),
``ED_Title``, ``ED_Session`` ("75th session of the General Assembly"), ``ED_AgendaItem``,
``ED_Plenary_Committee`` / ``ED_OriginatingBody`` (the committee whose report it was adopted
on, or "Plenary"), ``ED_Meeting`` (one entry per meeting: ``ED_Number`` "62nd plenary
meeting", ``ED_Date`` the day as a UTC timestamp of New York midnight), ``ED_Division`` ("GA")
and the text in ``ED_DecisionText``, footnotes inline as ``(Footnote: ...)``.

Like every reader, this one keeps offsets true to the source: the document's text is the
record's own bytes with everything but the decision text overwritten by spaces, and each JSON
escape inside the decision text (``\\n``, ``\\t``, ``\\u2013``) replaced by the character it
stands for, the characters it frees becoming spaces after the next whitespace (so no word is
split). Every paragraph therefore starts at its offset in the file; where escapes stand in a
paragraph's last line its end falls as many characters early. The title's span in
the file is kept too (``title_span``), so the title paragraph cites the characters it came from.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .symbols import SymbolError, parse

__all__ = ["IGovError", "is_igov", "igov_text", "igov_metadata"]

#: the field holding the decision's text; the one field whose content the text keeps
TEXT_FIELD = "ED_DecisionText"
_ORGANS = {"GA": "General Assembly", "SC": "Security Council"}
_SESSION = re.compile(r"^\s*(\d{1,3})(?:st|nd|rd|th)\s+session\b", re.I)
_NUMBER = re.compile(r"^\s*(?P<n>\d{1,3}/\d{3,4})(?P<parts>(?:\s*(?:[A-Z]|and|,))*)\s*$")


class IGovError(ValueError):
    """A record that has the iGov shape but cannot be used; the message is one line."""


def is_igov(text: str) -> bool:
    """True when ``text`` is a JSON object with the iGov decision fields."""
    head = text.lstrip()
    return head.startswith("{") and '"ED_DecisionNumber"' in text and f'"{TEXT_FIELD}"' in text


def _string_spans(text: str) -> dict[str, tuple[int, int]]:
    """Top-level string fields of a JSON object -> the span of their content (between the
    quotes) in the raw text. Nested objects are skipped by the decoder."""
    decoder = json.JSONDecoder()
    spans: dict[str, tuple[int, int]] = {}
    i = text.index("{") + 1
    key_re = re.compile(r'\s*"((?:[^"\\]|\\.)*)"\s*:\s*')
    while True:
        m = key_re.match(text, i)
        if not m:
            break
        key = json.loads(f'"{m.group(1)}"')
        start = m.end()
        _, end = decoder.raw_decode(text, start)
        if text[start] == '"':
            spans[key] = (start + 1, end - 1)
        sep = re.compile(r"\s*,").match(text, end)
        if not sep:
            break
        i = sep.end()
    return spans


_ESCAPE = re.compile(r'\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])')


def _unescape_in_place(raw: str) -> str:
    """A JSON string's raw content -> its value at the same length: each escape becomes the
    character it stands for, and the characters it frees become spaces put after the next
    whitespace, so no word is split ("2021\\u20132025" stays "2021–2025") and every line
    and paragraph starts at its offset in the file."""
    out: list[str] = []
    owed = 0

    def put(chars: str) -> None:
        nonlocal owed
        for ch in chars:
            out.append(ch)
            if owed and ch.isspace():
                out.append(" " * owed)
                owed = 0

    pos = 0
    for m in _ESCAPE.finditer(raw):
        put(raw[pos:m.start()])
        char = json.loads(f'"{m.group(0)}"')
        owed += len(m.group(0)) - len(char)
        put(char)
        pos = m.end()
    put(raw[pos:])
    out.append(" " * owed)
    return "".join(out)


def igov_text(text: str) -> tuple[str, dict[str, Any], dict[str, tuple[int, int]]]:
    """The record as (text, fields, spans): the source with only the decision text left
    visible (same length as the source), the parsed fields, and each string field's span.
    Raises :class:`IGovError`."""
    try:
        fields = json.loads(text)
        spans = _string_spans(text)
    except (ValueError, IndexError) as exc:
        raise IGovError(f"not valid JSON ({str(exc).splitlines()[0]})") from None
    if not isinstance(fields, dict) or TEXT_FIELD not in spans:
        raise IGovError(f"an iGov record without a {TEXT_FIELD} text")
    a, b = spans[TEXT_FIELD]
    body = _unescape_in_place(text[a:b])
    out = re.sub(r"[^\n]", " ", text[:a]) + body + re.sub(r"[^\n]", " ", text[b:])
    return out, fields, spans


def _is_day(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _clean(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def igov_metadata(fields: dict[str, Any], spans: dict[str, tuple[int, int]],
                  notes: list[str]) -> dict[str, str]:
    """The metadata the record's fields state: symbol, kind, title (and its span), date (the
    first meeting's), session, agenda item, meeting(s), organ, committee."""
    meta: dict[str, str] = {"kind": "decision", "record_format": "igov"}
    number = _clean(fields.get("ED_DecisionNumber"))
    m = _NUMBER.match(number)
    if not m:
        raise IGovError(f"ED_DecisionNumber {number!r} is not a decision number")
    try:
        meta["symbol"] = parse(m.group("n"), series="decision").symbol
    except SymbolError as exc:
        raise IGovError(f"ED_DecisionNumber: {exc}") from None
    if m.group("parts").strip():
        meta["parts"] = _clean(m.group("parts"))
    title = _clean(fields.get("ED_Title"))
    if title:
        meta["title"] = title
        if "ED_Title" in spans:
            start, end = spans["ED_Title"]
            meta["title_span"] = f"{start},{end}"
    organ = _ORGANS.get(_clean(fields.get("ED_Division")))
    if organ:
        meta["organ"] = organ
    session = _SESSION.match(_clean(fields.get("ED_Session")))
    if session:
        meta["session"] = str(int(session.group(1)))
    agenda = _clean(fields.get("ED_AgendaItem"))
    if agenda:
        meta["agenda_item"] = agenda
    committee = _clean(fields.get("ED_Plenary_Committee") or fields.get("ED_OriginatingBody"))
    if committee and committee.lower() != "plenary":
        meta["committee"] = committee
    meetings = fields.get("ED_Meeting") or []
    held: list[tuple[str, str]] = []  # (day, meeting as the field names it)
    for meeting in meetings if isinstance(meetings, list) else []:
        if not isinstance(meeting, dict):
            continue
        day = _clean(meeting.get("ED_Date"))[:10]
        if not _is_day(day):
            notes.append(f"ED_Meeting date {meeting.get('ED_Date')!r} is not a date; ignored")
            day = ""
        held.append((day, _clean(meeting.get("ED_Number"))))
    held.sort(key=lambda m: (m[0] == "", m[0]))
    days = [d for d, _ in held if d]
    if days:
        # the first meeting adopted the decision (or its part A); later parts are dated in
        # their own meeting entries, kept in ``meeting_dates``
        meta["date"] = days[0]
        meta["meeting_dates"] = ", ".join(days)
    names = [n for _, n in held if n]
    if names:
        meta["meeting"] = "; ".join(names)
    return meta
