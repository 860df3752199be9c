"""The link index (see :meth:`normgraph.store.triplestore.LocalStore.link_index`) made from a
streamed build's entries as they go past, instead of by asking the new store the canned
``instruments`` and ``links`` queries once it is loaded.

On RocksDB those two queries take a store's worth of lookups: at 100,000 documents, 55 s of
the build's wall time and about 134 s of CPU after everything else was done. Here each
subject's pairs are looked at once, while the dump is written (the build's own thread mostly
waits for the store's load then), and what the queries join is kept:

- every citation's citing, cited, characterization, verb and date;
- every subject's ``eli:id_local``, ``rdfs:label`` and ``skos:prefLabel``, and what an
  instrument's row needs;
- the ``eli:is_part_of``, ``eli:number`` and ``ng:ordinal`` of every subject, in a scratch
  file (paragraphs are most of the graph's subjects), read back for the citing paragraphs and
  their ancestors only.

The rows are the queries' rows, each solution once, as SPARQL evaluates them (the sequence
path of ``eli:type_document/skos:prefLabel`` keeps a label once per document type; the path
``eli:is_part_of+`` gives each ancestor once, the paragraph itself on a cycle). A literal is a
row's value as Oxigraph gives it back only where its written form is the canonical one:
strings, language-tagged strings, ``xsd:integer`` in canonical form and ``xsd:date`` without a
time zone (what the builder writes). Any other literal in those columns, or catalogue queries
other than the ones this module was written for, and :meth:`LinkEntries.index` answers
``None``: the build then asks the store, as before.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterable, Iterator
from itertools import product
from pathlib import Path
from typing import IO, Any

from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ..graph.dump import namespaces, rendered_iri, rendered_value
from ..graph.vocab import CITO, ELI, NG
from .catalogue import get_query
from .triplestore import ordered_index

__all__ = ["LinkEntries", "QUERIES_DIGEST"]

_ELI, _CITO, _NG, _XSD = str(ELI), str(CITO), str(NG), str(XSD)
_TYPE, _LABEL, _PREF = str(RDF.type), str(RDFS.label), str(SKOS.prefLabel)
_INSTRUMENT = str(NG.Instrument)

#: what each predicate is kept as: the citation's columns, the subject's names, the
#: instrument's columns, and (in the scratch file) the paragraph's place
_CITATION = {_CITO + "hasCitingEntity": 0, _CITO + "hasCitedEntity": 1,
             _CITO + "hasCitationCharacterization": 2, _NG + "verb": 3, _NG + "citedDate": 4}
_NAMES = {_ELI + "id_local": 0, _LABEL: 1, _PREF: 2}
_INSTRUMENT_COLUMNS = {_ELI + "type_document": 0, _ELI + "date_document": 1, _ELI + "title": 2}
_PLACE = {_ELI + "is_part_of": "p", _ELI + "number": "n", _NG + "ordinal": "o"}

#: sha256 of the ``instruments`` and ``links`` queries' texts this module evaluates
QUERIES_DIGEST = "76565554701c70f2442f28f0b91cd84b21e3dd93e19421c8566b74969d940373"

_CANONICAL_INTEGER = re.compile(r"0|-?[1-9][0-9]*")
_PLAIN_DATE = re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}")
_SHORT_INTEGER = re.compile(r"[+-]?[0-9]+")


class _Unsure(Exception):
    """A literal whose value Oxigraph may give back in another form than it is written."""


def queries_digest() -> str:
    """The digest of the catalogue's ``instruments`` and ``links`` queries, their comment
    lines left out."""
    text = "\x00".join(
        "\n".join(line for line in get_query(name).text.splitlines()
                  if not line.lstrip().startswith("#"))
        for name in ("instruments", "links"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class LinkEntries:
    """Collects what the link index needs from each subject's (predicate, object) pairs, as
    the dump's writer renders them (:func:`normgraph.graph.stream.write_entries` calls
    :meth:`add` once per subject, with all its pairs). Objects are kept as written and read
    only for the rows they end up in. ``scratch``: the folder of the paragraphs' scratch
    file."""

    def __init__(self, scratch: Path | None = None) -> None:
        self._iris: dict[str, str | None] = {}  # a predicate's rendered text -> its IRI
        self._types: dict[str, bool] = {}  # an rdf:type object -> whether ng:Instrument
        self._ns = namespaces()
        self._values: dict[str, str] = {}  # a rendered object -> its value (shared strings)
        #: per citation: its citing, cited and characterization objects, verbs, dates
        self._citations: list[tuple[Any, ...]] = []
        self._names: tuple[dict[str, Any], ...] = ({}, {}, {})  # id_local, label, prefLabel
        #: per instrument (typed ng:Instrument): its type_document, date and title objects
        self._instruments: dict[str, tuple[Any, ...]] = {}
        self._place: IO[str] = tempfile.TemporaryFile(
            "w+", encoding="utf-8", dir=scratch, prefix=".normgraph-links-")
        self.unsure: str | None = None  # why the index cannot be made here

    # -- while the dump is written ------------------------------------------------------------

    def add(self, subject: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Take what the index needs of ``subject``'s pairs (all of them, each once)."""
        iris = self._iris
        kept: dict[str, list[str]] | None = None
        for p, o in pairs:
            iri = iris.get(p, "")
            if iri == "":
                iri = iris[p] = _wanted(rendered_iri(p, self._ns))
            if iri is not None:
                if kept is None:
                    kept = {}
                kept.setdefault(iri, []).append(o)
        if kept is not None:
            self._keep(subject, kept)

    def _keep(self, subject: str, kept: dict[str, list[str]]) -> None:
        get = kept.get
        citing = get(_CITO + "hasCitingEntity")
        if citing:
            self._citations.append(tuple(_one(get(p)) for p in _CITATION))
        for p, column in _NAMES.items():
            if p in kept:
                self._names[column][subject] = _one(kept[p])
        typed = get(_TYPE)
        if typed and any(self._instrument(o) for o in typed):
            self._instruments[subject] = tuple(_one(get(p)) for p in _INSTRUMENT_COLUMNS)
        place = [f"{code}\t{o}" for p, code in _PLACE.items() for o in get(p, ())]
        if place:
            self._place.write(subject + "\t" + "\t".join(place) + "\n")

    def _instrument(self, text: str) -> bool:
        known = self._types.get(text)
        if known is None:
            known = self._types[text] = self._iri(text) == _INSTRUMENT
        return known

    # -- once it is written -------------------------------------------------------------------

    def index(self) -> dict[str, Any] | None:
        """The link index (``instruments`` and ``links``, as
        :func:`~normgraph.store.triplestore.link_index_of` gives them), or ``None`` where it
        cannot be made here (see :attr:`unsure`)."""
        if queries_digest() != QUERIES_DIGEST:
            self.unsure = "the catalogue's instruments and links queries are not the ones " \
                          "this index was written for"
            return None
        try:
            return ordered_index(list(self._instrument_rows()), list(self._link_rows()))
        except _Unsure as why:
            self.unsure = str(why)
            return None
        except OSError as exc:  # its scratch file
            self.unsure = f"the scratch file cannot be read back ({exc.strerror or exc})"
            return None

    def close(self) -> None:
        self._place.close()

    def _value(self, text: str) -> str:
        """The value of an object as Oxigraph gives it back (a literal's lexical form, an
        IRI's text), or :class:`_Unsure`."""
        known = self._values.get(text)
        if known is None:
            known = self._values[text] = _value_of(text, self._ns)
        return known

    def _values_of(self, held: Any) -> list[str]:
        return [self._value(text) for text in _many(held)]

    def _iri(self, text: str) -> str:
        """An object's IRI, or ``""`` for a literal (which nothing can join as a subject)."""
        if text.startswith('"') or _SHORT_INTEGER.fullmatch(text):
            return ""
        return rendered_iri(text, self._ns)

    def _iris_of(self, held: Any) -> list[str]:
        return [iri for iri in map(self._iri, _many(held)) if iri]

    def _instrument_rows(self) -> Iterator[list[str | None]]:
        ids, _, preferred = self._names
        for subject, (kinds, dates, titles) in self._instruments.items():
            symbols = self._values_of(ids.get(subject))
            if not symbols:
                continue
            # the sequence path: a label once per document type that has it
            types = [label for kind in self._iris_of(kinds)
                     for label in self._values_of(preferred.get(kind))]
            yield from (list(row) for row in product(
                symbols, _optional(types), _optional(self._values_of(dates)),
                _optional(self._values_of(titles))))

    def _link_rows(self) -> Iterator[list[str | None]]:
        ids, labels, _ = self._names
        citing = {para for c in self._citations for para in self._iris_of(c[0])}
        places = self._places(citing, everything=True)
        ancestors = self._ancestors(places, citing)
        for paras, cited, rels, verbs, dates in self._citations:
            targets = [(to, symbol) for to in self._iris_of(cited)
                       for symbol in self._values_of(ids.get(to))]
            relations = [label for rel in self._iris_of(rels)
                         for label in self._values_of(labels.get(rel))]
            if not targets or not relations:
                continue
            optional = (_optional(self._values_of(verbs)), _optional(self._values_of(dates)))
            for para in self._iris_of(paras):
                _, numbers, ordinals = places.get(para, ((), (), ()))
                froms = [symbol for f in ancestors.get(para, ())
                         for symbol in self._values_of(ids.get(f))]
                for symbol, number, ordinal, (_, to_symbol), relation, verb, date in product(
                        froms, numbers, ordinals, targets, relations, *optional):
                    yield [symbol, relation, to_symbol, number, ordinal, verb, date]

    def _places(self, wanted: set[str], everything: bool = False
                ) -> dict[str, tuple[list[str], list[str], list[str]]]:
        """The ``is_part_of`` (IRIs) of the subjects in ``wanted``, read from the scratch
        file; with ``everything``, their ``number`` and ``ordinal`` (values) too."""
        found: dict[str, tuple[list[str], list[str], list[str]]] = {}
        self._place.flush()
        self._place.seek(0)
        for line in self._place:
            subject, _, rest = line.partition("\t")
            if subject not in wanted:
                continue
            parents, numbers, ordinals = found.setdefault(subject, ([], [], []))
            fields = rest.rstrip("\n").split("\t")
            for code, text in zip(fields[::2], fields[1::2], strict=True):
                if code == "p":
                    iri = self._iri(text)
                    if iri:
                        parents.append(iri)
                elif everything:
                    (numbers if code == "n" else ordinals).append(self._value(text))
        return found

    def _ancestors(self, places: dict[str, tuple[list[str], list[str], list[str]]],
                   starts: set[str]) -> dict[str, list[str]]:
        """Each start's ancestors by one ``is_part_of`` or more, each once (``+``): the
        scratch file is read again for the parents not yet known, until none is left."""
        parents = {s: place[0] for s, place in places.items()}
        for s in starts:
            parents.setdefault(s, [])
        frontier = {p for s in starts for p in parents[s]} - parents.keys()
        while frontier:
            more = self._places(frontier)
            for s in frontier:
                parents[s] = more[s][0] if s in more else []
            frontier = {p for s in frontier for p in parents[s]} - parents.keys()
        out: dict[str, list[str]] = {}
        for start in starts:
            seen: dict[str, None] = {}
            todo = list(parents[start])
            while todo:
                node = todo.pop()
                if node not in seen:
                    seen[node] = None
                    todo.extend(parents[node])
            out[start] = list(seen)
        return out


def _wanted(iri: str) -> str | None:
    return iri if iri in _CITATION or iri in _NAMES or iri in _INSTRUMENT_COLUMNS or \
        iri in _PLACE or iri == _TYPE else None


def _one(values: list[str] | None) -> Any:
    """One object as itself, several as a tuple, none as ``None`` (most columns hold one:
    less memory than a list each)."""
    if not values:
        return None
    return values[0] if len(values) == 1 else tuple(values)


def _optional(values: list[str]) -> list[str | None]:
    """An OPTIONAL pattern's values: none found is one row with the column unbound."""
    return [*values] if values else [None]


def _many(held: Any) -> tuple[str, ...]:
    if held is None:
        return ()
    return (held,) if isinstance(held, str) else held


def _value_of(text: str, ns: dict[str, str]) -> str:
    """The value of an object's rendered text (:func:`rendered_value`), or :class:`_Unsure`
    where Oxigraph may give the literal back in another form than it is written."""
    if text.startswith('"'):
        tail = text[text.rindex('"') + 1 :]
        if tail.startswith("^^"):
            datatype = rendered_iri(tail[2:], ns)
            lexical = rendered_value(text, ns)
            if not (datatype == _XSD + "string" or (
                    datatype == _XSD + "integer" and _CANONICAL_INTEGER.fullmatch(lexical)) or (
                    datatype == _XSD + "date" and _PLAIN_DATE.fullmatch(lexical))):
                raise _Unsure(f"a literal of {datatype} ({lexical[:40]!r}) that Oxigraph may "
                              f"write back in another form")
    elif _SHORT_INTEGER.fullmatch(text) and not _CANONICAL_INTEGER.fullmatch(text):
        raise _Unsure(f"an integer written {text[:40]!r}, not in canonical form")
    return rendered_value(text, ns)
