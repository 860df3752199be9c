"""Reference data: the curated concept schemes (norms, pillars, themes), the bodies and the
instrument facts that no source file states, each record with the source it comes from.

The data lives in ``data/reference/*.yaml``; this module loads and checks it and offers the
matchers the extractor uses to tag paragraphs (``tags_in``, ``match_pillar``).
A new theme or cue phrase is a data change, never a code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..read.catalog import SOURCE
from ..read.schema import (
    DATE,
    NUMBERED,
    TEXT,
    DataFileError,
    ListOf,
    Record,
    load_checked,
)
from ..read.symbols import SymbolError, parse
from ..resources import resource_dir
from .phrases import PhraseIndex, PhraseMatcher, stems

__all__ = [
    "Body",
    "CuratedLink",
    "Concept",
    "InstrumentFact",
    "ReferenceData",
    "ReferenceError",
    "Source",
    "load_reference",
]


class ReferenceError(ValueError):
    """A reference-data file is missing, malformed or names no source."""


@dataclass(frozen=True)
class Source:
    """Where a curated fact comes from: a document symbol and paragraph, or a source file."""

    symbol: str | None = None
    paragraph: str | None = None
    file: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Concept:
    key: str
    label: str
    notation: str | None = None
    definition: str | None = None
    note: str | None = None
    alt_labels: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    exact_match: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    #: the paragraphs whose printed text is the concept's wording (read at build time)
    wording: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Body:
    key: str
    label: str
    alt_labels: tuple[str, ...] = ()
    parent: str | None = None
    established_by: Source | None = None
    mandated_by: tuple[Source, ...] = ()
    ended_by: Source | None = None
    sources: tuple[Source, ...] = ()
    note: str | None = None
    #: the body this one became (its key) and the paragraph that states the transition
    became: tuple[str, Source] | None = None


@dataclass(frozen=True)
class CuratedLink:
    """A typed reference that a document not held in data/sources states (its paragraph is
    the source)."""

    relation: str
    target: str
    paragraph: str
    verb: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class InstrumentFact:
    symbol: str
    kind: str | None = None
    title: str | None = None
    date: str | None = None
    passed_by: str | None = None
    sources: tuple[Source, ...] = ()
    links: tuple[CuratedLink, ...] = ()


def _norm(text: str) -> str:
    """Lower-case, de-hyphenate line breaks, unify dashes and quotes, collapse spaces."""
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
    return " ".join(text.lower().split())


@dataclass
class ReferenceData:
    norms: list[Concept] = field(default_factory=list)
    pillars: list[Concept] = field(default_factory=list)
    themes: list[Concept] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)
    instruments: list[InstrumentFact] = field(default_factory=list)

    @cached_property
    def _theme_index(self) -> PhraseIndex:
        matchers = ((c.key, PhraseMatcher([c.label, *c.alt_labels, *c.cues]))
                    for c in self.themes)
        return PhraseIndex((key, m) for key, m in matchers if m)

    @cached_property
    def _norm_index(self) -> PhraseIndex:
        matchers = ((c.notation, PhraseMatcher(c.cues, loose=True)) for c in self.norms)
        return PhraseIndex((notation, m) for notation, m in matchers if m and notation)

    def tags_in(self, text: str) -> tuple[list[str], list[str]]:
        """(keys of the themes whose label, alternative label or cue occurs in ``text``,
        notations ("13(f)") of the norms whose cue a prescriptive sentence of it restates);
        see :mod:`normgraph.graph.phrases` for how a phrase is found."""
        words = stems(text)
        present = frozenset(words)
        return (self._theme_index.keys_in(text, words, present),
                self._norm_index.keys_in(text, words, present))

    def match_pillar(self, heading: str) -> Concept | None:
        """The pillar a section heading names ("Capacity-building", "International Law")."""
        h = _norm(re.sub(r"^\s*(?:[A-Z]|[IVX]+|\d+)\.\s+", "", heading))
        for c in self.pillars:
            for label in (c.label, *c.alt_labels):
                if _norm(label) == h:
                    return c
        return None

    def body(self, key: str) -> Body | None:
        return next((b for b in self.bodies if b.key == key), None)


# -- loading ---------------------------------------------------------------------------------------

def _source(raw: Any, where: str) -> Source:
    if isinstance(raw, str):
        raw = {"symbol": raw}
    if not isinstance(raw, dict):
        raise ReferenceError(f"{where}: a source must be a mapping or a symbol, got {raw!r}")
    symbol = raw.get("symbol")
    if symbol is not None:
        try:
            symbol = parse(str(symbol)).symbol
        except SymbolError as exc:
            raise ReferenceError(f"{where}: {exc}") from None
    file = raw.get("file")
    if not symbol and not file:
        raise ReferenceError(f"{where}: a source names neither a symbol nor a file")
    para = raw.get("paragraph")
    return Source(symbol, str(para) if para is not None else None,
                  str(file) if file else None, raw.get("note"))


def _sources(raw: Any, where: str, required: bool = True) -> tuple[Source, ...]:
    items = raw if isinstance(raw, list) else ([] if raw is None else [raw])
    if required and not items:
        raise ReferenceError(f"{where}: no source given (every curated record names its source)")
    return tuple(_source(s, where) for s in items)


def _strings(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    return tuple(str(x) for x in raw)


def _concepts(records: list[dict[str, Any]], file: str) -> list[Concept]:
    out = []
    keys = set()
    for i, r in enumerate(records):
        where = f"{file}: record {i + 1}"
        if not isinstance(r, dict) or "key" not in r or "label" not in r:
            raise ReferenceError(f"{where}: needs at least 'key' and 'label'")
        if r["key"] in keys:
            raise ReferenceError(f"{where}: duplicate key {r['key']!r}")
        keys.add(r["key"])
        out.append(Concept(
            key=str(r["key"]), label=str(r["label"]),
            notation=str(r["notation"]) if r.get("notation") else None,
            definition=r.get("definition"), note=r.get("note"),
            alt_labels=_strings(r.get("alt_labels")), cues=_strings(r.get("cues")),
            exact_match=_strings(r.get("exact_match")),
            sources=_sources(r.get("sources"), f"{where} ({r['key']})"),
            wording=_sources(r.get("wording"), f"{where} ({r['key']})", required=False)
            if r.get("wording") else (),
        ))
    return out


def _bodies(records: list[dict[str, Any]], file: str) -> list[Body]:
    out = []
    for i, r in enumerate(records):
        where = f"{file}: record {i + 1}"
        if not isinstance(r, dict) or "key" not in r or "label" not in r:
            raise ReferenceError(f"{where}: needs at least 'key' and 'label'")
        w = f"{where} ({r['key']})"
        out.append(Body(
            key=str(r["key"]), label=str(r["label"]), alt_labels=_strings(r.get("alt_labels")),
            parent=r.get("parent"),
            established_by=_source(r["established_by"], w) if r.get("established_by") else None,
            mandated_by=_sources(r.get("mandated_by"), w, required=False),
            ended_by=_source(r["ended_by"], w) if r.get("ended_by") else None,
            became=(str(r["became"]["body"]),
                    _source({k: v for k, v in r["became"].items() if k != "body"}, w))
            if r.get("became") else None,
            sources=_sources(r.get("sources"), w,
                             required=not (r.get("established_by") or r.get("mandated_by"))),
            note=r.get("note"),
        ))
    keys = {b.key for b in out}
    for b in out:
        if b.parent and b.parent not in keys:
            raise ReferenceError(f"{file}: body {b.key!r} names unknown parent {b.parent!r}")
        if b.became and b.became[0] not in keys:
            raise ReferenceError(f"{file}: body {b.key!r} became unknown body {b.became[0]!r}")
    return out


def _instruments(records: list[dict[str, Any]], file: str) -> list[InstrumentFact]:
    out = []
    for i, r in enumerate(records):
        where = f"{file}: record {i + 1}"
        if not isinstance(r, dict) or "symbol" not in r:
            raise ReferenceError(f"{where}: needs a 'symbol'")
        try:
            symbol = parse(str(r["symbol"])).symbol
        except SymbolError as exc:
            raise ReferenceError(f"{where}: {exc}") from None
        date = r.get("date")
        if date is not None:
            date = str(date)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                raise ReferenceError(f"{where}: date {date!r} is not YYYY-MM-DD")
        out.append(InstrumentFact(
            symbol=symbol, kind=r.get("kind"), title=r.get("title"), date=date,
            passed_by=r.get("passed_by"), sources=_sources(r.get("sources"), f"{where}"),
            links=tuple(_link(x, f"{where} ({symbol})") for x in r.get("links") or ()),
        ))
    return out


def _link(raw: Any, where: str) -> CuratedLink:
    from .vocab import RELATIONS

    if not isinstance(raw, dict) or not {"relation", "target", "paragraph"} <= set(raw):
        raise ReferenceError(f"{where}: a link needs 'relation', 'target' and 'paragraph'")
    if raw["relation"] not in RELATIONS:
        raise ReferenceError(f"{where}: unknown relation {raw['relation']!r} "
                             f"(one of {', '.join(RELATIONS)})")
    try:
        target = parse(str(raw["target"])).symbol
    except SymbolError as exc:
        raise ReferenceError(f"{where}: {exc}") from None
    return CuratedLink(raw["relation"], target, str(raw["paragraph"]), raw.get("verb"),
                       raw.get("note"))


_FILES = {
    "norms": _concepts,
    "pillars": _concepts,
    "themes": _concepts,
    "bodies": _bodies,
    "instruments": _instruments,
}


_SOURCES = ListOf((TEXT, SOURCE), single=True)  # a symbol, or a source record
_LABELS = ListOf(TEXT, single=True)
_CONCEPT = {"key": TEXT, "label": TEXT, "notation": TEXT, "definition": TEXT, "note": TEXT,
            "alt_labels": _LABELS, "cues": _LABELS, "exact_match": _LABELS,
            "sources": _SOURCES, "wording": _SOURCES}
#: what each reference file may hold: one list of records under the file's name
SCHEMAS = {name: Record({name: ListOf(Record(fields, frozenset(required), name[:-1]))})
           for name, fields, required in [
    ("norms", _CONCEPT, {"key", "label"}),
    ("pillars", _CONCEPT, {"key", "label"}),
    ("themes", _CONCEPT, {"key", "label"}),
    ("bodies", {**_CONCEPT, "parent": TEXT, "established_by": (TEXT, SOURCE),
                "mandated_by": ListOf((TEXT, SOURCE), single=True),
                "ended_by": (TEXT, SOURCE),
                "became": Record({"body": TEXT, "symbol": TEXT, "file": TEXT,
                                  "paragraph": NUMBERED, "note": TEXT},
                                 frozenset({"body", "paragraph"}), "succession")},
     {"key", "label"}),
    ("instruments", {"symbol": TEXT, "kind": TEXT, "title": TEXT, "date": DATE,
                     "passed_by": TEXT, "note": TEXT, "sources": _SOURCES,
                     "links": ListOf(Record({"target": TEXT, "relation": TEXT,
                                             "paragraph": NUMBERED, "verb": TEXT,
                                             "note": TEXT}, frozenset({"target", "relation",
                                                                       "paragraph"}),
                                            name="link"))}, {"symbol"}),
]}


def load_reference(directory: Path | str | None = None) -> ReferenceData:
    """Load ``norms``, ``pillars``, ``themes``, ``bodies`` and ``instruments`` YAML files from
    ``directory`` (default: the reference data shipped with the package). A missing file is
    an empty list; a malformed one raises :class:`ReferenceError` naming the file."""
    root = Path(directory) if directory is not None else resource_dir("reference")
    data = ReferenceData()
    for name, loader in _FILES.items():
        path = root / f"{name}.yaml"
        if not path.exists():
            continue
        try:
            raw = load_checked(path, SCHEMAS[name], name)
        except DataFileError as exc:
            raise ReferenceError(str(exc)) from None
        if raw is None:
            continue
        records = raw.get(name) if isinstance(raw, dict) else raw
        if not isinstance(records, list):
            raise ReferenceError(f"{path}: expected a list of records under '{name}'")
        setattr(data, name, loader(records, path.name))
    body_keys = {b.key for b in data.bodies}
    for fact in data.instruments:
        if fact.passed_by and fact.passed_by not in body_keys:
            raise ReferenceError(f"instruments.yaml: {fact.symbol} names unknown body "
                                 f"{fact.passed_by!r}")
    return data
