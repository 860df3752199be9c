"""The plain values that flow through the pass: read -> segment -> extract -> graph.

Each stage takes and returns these dataclasses, so each stage is testable alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Document:
    """A source as read: clean text plus the metadata it states about itself.

    ``metadata`` keys (all optional): symbol, kind, title, date (adoption, ISO), distributed
    (ISO), session, agenda_item, meeting, record_id, url, source_pdf, body.
    ``notes`` are warnings met while reading (e.g. an unclosed front matter).
    """

    path: str
    name: str
    text: str
    format: str
    metadata: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Paragraph:
    """One numbered, lettered or preambular unit of a document.

    ``number`` is as printed ("1", "2 (a)", "pp3", "fn2", "title", "header"); ``kind`` is
    one of preambular, operative, report, sub-item, footnote, title, header, heading-free
    text ("text"), principle; ``span`` is the character span in the cleaned text.
    """

    number: str
    kind: str
    text: str
    span: tuple[int, int]
    ordinal: int
    verb: str | None = None
    heading: str | None = None
    section: str | None = None
    parent: str | None = None
    group: str | None = None
    role: str | None = None  # recommendation | conclusion
    calls: list[tuple[str, int]] = field(default_factory=list)  # (footnote number, offset in text)


@dataclass(frozen=True)
class Reference:
    """A link stated in a paragraph: ``symbol`` cited with ``relation`` in ``paragraph``."""

    symbol: str
    relation: str
    paragraph: str
    kind: str
    date: str | None = None
    verb: str | None = None
    quote: str = ""
    annex: str | None = None


@dataclass
class Principle:
    index: int
    group: str | None
    text: str
    paragraph: str


@dataclass
class Extraction:
    """Everything found in one document."""

    document: Document
    symbol: str | None
    kind: str
    title: str | None
    date: str | None
    paragraphs: list[Paragraph]
    references: list[Reference]
    principles: list[Principle] = field(default_factory=list)
    themes: dict[str, list[str]] = field(default_factory=dict)  # paragraph -> theme keys
    norms: dict[str, list[str]] = field(default_factory=dict)  # paragraph -> norm notations
    pillars: dict[str, str] = field(default_factory=dict)  # paragraph -> pillar key
    facts: list[dict[str, str]] = field(default_factory=list)  # body/event facts
    warnings: list[str] = field(default_factory=list)
    #: numbered mentions whose series the grammar cannot decide ("Commission on ...
    #: resolution 25/2"): paragraph, body and text; kept out of the graph, never guessed
    unresolved: list[dict[str, str]] = field(default_factory=list)
