"""Graph: extractions + reference data -> an rdflib Dataset. The only module that writes
triples.

One named graph per source file (so provenance survives a merge) and one for the curated
reference data; the dump is their union. No blank nodes: every node has an IRI from
:mod:`normgraph.graph.vocab`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .. import __version__
from ..model import Extraction
from ..read.catalog import CatalogEntry
from ..read.symbols import SymbolError, parse
from ..resources import resource_dir
from .describe import describe
from .vocab import (
    CITO,
    ELI,
    NG,
    ORG,
    RELATION_SUPER,
    RELATIONS,
    base,
    body_iri,
    build_iri,
    change_iri,
    concept_iri,
    instrument_iri,
    literal,
    mint,
    minting,
    norm_iri,
    pillar_iri,
    principle_group_iri,
    principle_iri,
    publication_iri,
    report_iri,
    scheme_iri,
    slug,
    source_iri,
    terms,
    theme_iri,
)

# each term made once (see vocab.terms): the builder adds millions of triples to large corpora
CITO, DCTERMS, ELI, NG, ORG, PROV, RDF, RDFS, SKOS, XSD = (  # type: ignore[misc,assignment]
    terms(ns) for ns in (CITO, DCTERMS, ELI, NG, ORG, PROV, RDF, RDFS, SKOS, XSD))

__all__ = ["GraphInput", "Assembled", "assemble", "build_graphs", "build_dataset", "to_dataset",
           "graph_iri", "document_iri", "Builder", "start", "document_part", "finish",
           "wanted_wordings"]

DOCUMENT_TYPES = ("resolution", "decision", "report", "document", "web page", "news item")
SUBDIVISION_TYPES = ("title", "header", "preambular", "operative", "report-paragraph",
                     "sub-item", "footnote", "text")
_ORGANS = {"General Assembly": "general-assembly"}


def graph_iri(name: str) -> URIRef:
    """Named graph holding what one source file (or 'reference') contributes."""
    return mint(f"{base()}graph/{name}")


def document_iri(extraction: Extraction) -> URIRef:
    if extraction.symbol:
        return instrument_iri(extraction.symbol)
    return publication_iri(extraction.document.name.rsplit(".", 1)[0])


def part_iri(doc: URIRef, number: str) -> URIRef:
    return mint(f"{doc}/para/{_number_path(number)}")


@lru_cache(maxsize=4096)
def _number_path(number: str) -> str:
    """'2 (a)' -> '2/a': a paragraph's printed number as the tail of its IRI."""
    return "/".join(p for p in re.split(r"[\s()]+", number) if p)


@dataclass
class GraphInput:
    """Everything the graph is made from."""

    extractions: list[Extraction]
    reference: Any  # normgraph.reference.ReferenceData
    catalog: dict[str, CatalogEntry] = field(default_factory=dict)
    #: file name -> SHA-256 (hex) of the file's bytes as received
    digests: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Later:
    """A curated source that names another source file, while not every file's IRI is known
    (a document built on its own): the triple is kept in :attr:`Builder.pending` and made by
    :func:`finish`."""

    file: str
    paragraph: str | None


def _para_key(iri: URIRef) -> int:
    """A paragraph's IRI as 8 bytes (what a builder keeps of every paragraph it holds)."""
    return int.from_bytes(hashlib.blake2b(iri.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "big")


class Builder:
    """The graph being made: triples by named graph, and what the whole graph needs from
    each part (cited instruments, stub paragraphs, wordings...).

    A source file's document is built by a builder of its own (:func:`document_part`, in a
    worker process for large corpora), which the builder that made the reference data
    (:func:`start`) takes in with :meth:`absorb`, in file-name order; :func:`finish` then adds
    what only the whole corpus decides."""

    def __init__(self, wanted: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.graphs: dict[str, set[tuple[URIRef, URIRef, Any]]] = defaultdict(set)
        self.current = "reference"
        self.warnings: list[str] = []
        # symbol -> {"date": {iso: [where]}, "kind": str}
        self.cited: dict[str, dict[str, Any]] = {}
        #: held documents whose own text (or catalog record) dates them
        self.dated: set[str] = set()
        # paragraphs named by curated sources: added at the end unless a held document has them
        self.stubs: dict[URIRef, set[tuple[URIRef, URIRef, Any]]] = defaultdict(set)
        #: every paragraph a held document has (see _para_key)
        self.paragraphs: set[int] = set()
        #: (symbol, paragraph) pairs the reference data words a norm by, and those held
        self.wanted = wanted
        self.wordings: dict[tuple[str, str], tuple[URIRef, Any]] = {}
        #: whether ``files`` names every source file (else a curated source naming another
        #: file waits in ``pending``: graph, subject, predicate, the source)
        self.complete = True
        self.pending: list[tuple[str, URIRef, URIRef, _Later]] = []

    def absorb(self, part: Builder) -> None:
        """Take in what a document's own builder made (parts are absorbed in file-name order,
        so the result is what one builder taking the documents in that order makes)."""
        for name, triples in part.graphs.items():
            self.graphs[name] |= triples
        for symbol, info in part.cited.items():
            mine = self.cited.get(symbol)
            if mine is None:
                self.cited[symbol] = info
                continue
            if not mine.get("kind_fixed"):
                mine["kind"] = info["kind"]
            if info.get("kind_fixed"):
                mine["kind_fixed"] = True
            for date, where in info["dates"].items():
                mine["dates"][date].extend(where)
        self.dated |= part.dated
        for iri, stub in part.stubs.items():
            self.stubs[iri] |= stub
        self.paragraphs |= part.paragraphs
        self.warnings.extend(part.warnings)
        self.wordings.update(part.wordings)
        self.pending.extend(part.pending)

    def clear_triples(self) -> None:
        """Let go of every triple made so far, the current graph's included (a worker's part
        travels to the parent without them: they went into its rendered entries)."""
        self.graphs.clear()
        self.current = self._current  # the set being added to is a new, empty one too

    @property
    def current(self) -> str:
        """The named graph (a source file's name, 'reference' or 'ontology') being written."""
        return self._current

    @current.setter
    def current(self, name: str) -> None:
        self._current = name
        self._triples = self.graphs[name]

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        if o is not None:
            if o.__class__ is _Later:
                self.pending.append((self._current, s, p, o))
                return
            self._triples.add((s, p, o))

    def label(self, text: str) -> Literal:
        return literal(" ".join(text.split()), lang="en")

    # -- schemes ------------------------------------------------------------------------------
    def scheme(self, name: str, label: str) -> URIRef:
        iri = scheme_iri(name)
        self.add(iri, RDF.type, SKOS.ConceptScheme)
        self.add(iri, SKOS.prefLabel, self.label(label))
        return iri

    def concept(self, scheme: str, key: str) -> URIRef:
        iri = concept_iri(scheme, key)
        self.add(iri, RDF.type, SKOS.Concept)
        self.add(iri, SKOS.inScheme, scheme_iri(scheme))
        self.add(iri, SKOS.prefLabel, self.label(key))
        return iri

    # -- instruments ----------------------------------------------------------------------------
    def instrument(self, symbol: str, kind: str | None = None) -> URIRef:
        iri = instrument_iri(symbol)
        if kind is None:
            try:
                kind = parse(symbol).kind
            except SymbolError:
                kind = "document"
        self.add(iri, RDF.type, NG.Instrument)
        self.add(iri, RDF.type, ELI.LegalResource)
        self.add(iri, ELI.id_local, literal(symbol))
        self.add(iri, RDFS.label, literal(symbol))
        self.add(iri, RDFS.seeAlso, mint("https://undocs.org/" + symbol))
        self.cited.setdefault(symbol, {"dates": defaultdict(list), "kind": kind})
        if not self.cited[symbol].get("kind_fixed"):
            self.cited[symbol]["kind"] = kind
        return iri

    def source_ref(self, src: Any, files: dict[str, URIRef]) -> URIRef:
        """IRI of what a curated record names as its source (a :class:`_Later` for another
        source file while ``files`` is not complete)."""
        symbol = getattr(src, "symbol", None) if not isinstance(src, dict) else src.get("symbol")
        para = getattr(src, "paragraph", None) if not isinstance(src, dict) else src.get(
            "paragraph")
        file = getattr(src, "file", None) if not isinstance(src, dict) else src.get("file")
        if symbol:
            sym = parse(str(symbol)).symbol
            doc = self.instrument(sym)
            if para:
                return self.stub_paragraph(doc, str(para))
            return doc
        if file and file in files:
            return part_iri(files[file], str(para)) if para else files[file]
        if file and not self.complete:
            return cast(URIRef, _Later(str(file), str(para) if para else None))
        if file:
            return source_iri(str(file))
        raise ValueError(f"source {src!r} names neither a symbol nor a file")

    def stub_paragraph(self, doc: URIRef, number: str) -> URIRef:
        """A paragraph of a document the corpus may not hold, named by a curated source."""
        parts = [p for p in re.split(r"[\s()]+", number) if p]
        parent = doc
        iri = doc
        for depth, part in enumerate(parts):
            iri = mint(f"{parent if depth else doc}/para/{part}" if depth == 0
                         else f"{parent}/{part}")
            shown = parts[0] + "".join(f" ({p})" for p in parts[1 : depth + 1])
            self.stubs[iri].update({
                (iri, RDF.type, NG.Paragraph),
                (iri, ELI.is_part_of, parent),
                (parent, ELI.has_part, iri),
                (iri, ELI.number, literal(shown)),
                (iri, NG.ordinal, literal(_ordinal_of(part), datatype=XSD.integer)),
            })
            parent = iri
        return iri


def _ordinal_of(part: str) -> int:
    """Sort key of a printed number for a paragraph the corpus does not hold: '13' -> 13,
    'f' -> 6, 'ii' -> 2 (roman), 'pp3' -> 3."""
    if part.isdigit():
        return int(part)
    m = re.fullmatch(r"[a-z]{1,3}(\d+)", part)
    if m:
        return int(m.group(1))
    romans = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8,
              "ix": 9, "x": 10}
    if part in romans and part not in ("i", "v", "x"):
        return romans[part]
    if len(part) == 1 and part.isalpha():
        return ord(part.lower()) - 96
    if re.fullmatch(r"\d+\.\d+", part):
        return int(part.split(".")[1])
    return 1


@dataclass
class Assembled:
    """The graph as plain sets of triples per named graph, their union, and the warnings met
    (conflicting dates, unknown bodies...)."""

    named: dict[URIRef, set[tuple[Any, Any, Any]]]
    triples: set[tuple[Any, Any, Any]]
    warnings: list[str]


def build_graphs(data: GraphInput) -> tuple[dict[URIRef, set[tuple[Any, Any, Any]]],
                                            list[str]]:
    """Build the graph as plain sets of triples per named graph (one per source file, plus
    'reference', 'ontology' and 'dataset'); returns them with the warnings met."""
    built = assemble(data)
    return built.named, built.warnings


def assemble(data: GraphInput) -> Assembled:
    """Build the named graphs and their union (computed once: large corpora have millions of
    triples)."""
    with minting():
        return _assemble(data)


def _assemble(data: GraphInput) -> Assembled:
    ref = data.reference
    files: dict[str, URIRef] = {e.document.name: document_iri(e) for e in data.extractions}
    b = start(ref, files)
    for e in sorted(data.extractions, key=lambda x: x.document.name):
        name = e.document.name
        b.absorb(document_part(e, data.catalog.get(name), data.digests.get(name), ref, files,
                               b.wanted))
    finish(b, ref, files)

    graph_names = _graph_names(b.graphs)
    named = {graph_iri(graph_names[name]): triples for name, triples in b.graphs.items()}
    # the dataset's own description (VoID, DCAT), computed from everything else
    union: set[tuple[Any, Any, Any]] = set()
    for triples in named.values():
        union |= triples
    description = describe(union)
    named[graph_iri("dataset")] = description
    union |= description
    return Assembled(named, union, b.warnings)


def wanted_wordings(ref: Any) -> frozenset[tuple[str, str]]:
    """The (symbol, paragraph) pairs whose held text words a norm (see :func:`_wordings`)."""
    return frozenset((parse(str(src.symbol)).symbol, str(src.paragraph))
                     for c in getattr(ref, "norms", ()) for src in (c.wording or ()))


def start(ref: Any, files: dict[str, URIRef] | None = None) -> Builder:
    """A builder holding the schemes, the ontology, the reference data and the build
    activity: what the graph holds before any source file. ``files`` (file name -> the
    IRI of its document) names every source file; without it a curated source naming a file
    waits for :func:`finish`."""
    b = Builder(wanted_wordings(ref))
    b.complete = files is not None
    files = files or {}

    # -- controlled schemes -------------------------------------------------------------------
    b.scheme("document-type", "Document types")
    for k in DOCUMENT_TYPES:
        b.concept("document-type", k)
    b.scheme("subdivision-type", "Subdivision types")
    for k in SUBDIVISION_TYPES:
        b.concept("subdivision-type", k)

    # -- the ontology travels with the data, so a dump is self-describing --------------------
    b.current = "ontology"
    for s, p, o in ontology_graph():
        # the ontology's subjects include blank nodes (restrictions, lists): triples as parsed
        b.add(cast(URIRef, s), cast(URIRef, p), o)

    # -- reference data ---------------------------------------------------------------------------
    _reference(b, ref, files)

    # -- the build that made the graph ----------------------------------------------------------
    activity = build_iri(__version__)
    b.add(activity, RDF.type, PROV.Activity)
    b.add(activity, RDFS.label, literal(f"normgraph {__version__} build"))
    return b


def document_part(e: Extraction, entry: CatalogEntry | None, digest: str | None, ref: Any,
                  files: dict[str, URIRef] | None,
                  wanted: frozenset[tuple[str, str]] = frozenset()) -> Builder:
    """What one source file adds to the graph, made by a builder of its own. Without
    ``files`` (a worker that sees one document), a curated source naming another file waits
    in the part's ``pending`` for :func:`finish`."""
    b = Builder(wanted)
    b.complete = files is not None
    own = files if files is not None else {e.document.name: document_iri(e)}
    b.current = e.document.name
    _document(b, e, entry, digest, build_iri(__version__), ref, own)
    return b


def finish(b: Builder, ref: Any, files: dict[str, URIRef]) -> None:
    """What only the whole corpus decides, added once every part is absorbed: the norms'
    wordings, the kind and date of every instrument cited, the stub paragraphs no held
    document has, and the curated sources that name a source file (``files`` names them
    all now)."""
    # -- concepts worded as a shipped text prints them ----------------------------------------
    b.current = "reference"
    _wordings(b, ref)

    # -- dates of instruments no own text dates: what the citing texts state -------------------
    b.current = "reference"
    for symbol, info in sorted(b.cited.items()):
        iri = instrument_iri(symbol)
        kind = info["kind"]
        b.add(iri, ELI.type_document, concept_iri("document-type", kind))
        if symbol in b.dated or info.get("date_fixed"):
            continue
        _date_from_citations(b, symbol, iri, info["dates"])

    for iri, stub in b.stubs.items():
        if _para_key(iri) not in b.paragraphs:
            b.graphs["reference"].update(stub)

    pending, b.pending, b.complete = b.pending, [], True
    for graph, s, p, later in pending:
        b.current = graph
        target = files.get(later.file)
        b.add(s, p, source_iri(later.file) if target is None else
              part_iri(target, later.paragraph) if later.paragraph else target)


_OWN_GRAPHS = ("reference", "ontology", "dataset")


def _graph_names(names: Iterable[str]) -> dict[str, str]:
    """The named graph of each source file: the slug of its name, unless another file (or
    one of the build's own graphs) has the same slug, or the slug is empty: then the slug and
    a digest of the name, so that no file's triples replace another's."""
    names = list(names)
    keys = {name: slug(name) for name in names if name not in _OWN_GRAPHS}
    shared = Counter(keys.values())
    out = {name: name for name in names if name in _OWN_GRAPHS}
    for name, key in keys.items():
        if key and key not in _OWN_GRAPHS and shared[key] == 1:
            out[name] = key
        else:
            digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
            out[name] = f"{key}-{digest}" if key else digest
    return out


def to_dataset(named: dict[URIRef, set[tuple[Any, Any, Any]]]) -> Dataset:
    """The named graphs as an rdflib Dataset."""
    ds = Dataset()
    for name, triples in named.items():
        g = ds.graph(name)
        for t in triples:
            g.add(t)
    return ds


def build_dataset(data: GraphInput) -> tuple[Dataset, list[str]]:
    """Build the graph as an rdflib Dataset (one named graph per source file, plus
    'reference' and 'ontology'); returns it with the warnings met."""
    named, warnings = build_graphs(data)
    return to_dataset(named), warnings


def _document(b: Builder, e: Extraction, entry: CatalogEntry | None, digest: str | None,
              activity: URIRef, ref: Any, files: dict[str, URIRef]) -> None:
    doc = files[e.document.name]
    src = source_iri(e.document.name)
    b.add(src, RDF.type, PROV.Entity)
    b.add(src, DCTERMS.title, literal(e.document.name))
    if digest is not None:
        b.add(src, NG.sha256, literal(digest))
    b.add(activity, PROV.used, src)
    if entry and entry.origin_url:
        # the file as the third-party store holds it, pinned to the commit it was copied from
        b.add(src, DCTERMS.source, mint(entry.origin_url))
        if entry.origin.get("field"):
            b.add(src, RDFS.comment, literal(
                f"the field {entry.origin['field']!r} of {entry.origin['path']}", lang="en"))
    kind = (entry.kind if entry else None) or e.kind
    if kind not in DOCUMENT_TYPES:
        kind = "document"
    meta = e.document.metadata
    if e.symbol:
        b.instrument(e.symbol, kind)
        b.cited[e.symbol]["kind_fixed"] = True
        title = (entry.title if entry and entry.title else None) or e.title
        b.add(doc, ELI.title, b.label(title) if title else None)
        date = (entry.date if entry and entry.date else None) or e.date
        if date:
            b.add(doc, ELI.date_document, literal(date, datatype=XSD.date))
            b.dated.add(e.symbol)
        if meta.get("distributed"):
            b.add(doc, ELI.date_publication, literal(meta["distributed"], datatype=XSD.date))
        organ = _ORGANS.get(meta.get("organ", ""))
        passed_by = (entry.passed_by if entry else None) or organ
        if passed_by:
            b.add(doc, ELI.passed_by, body_iri(passed_by))
        if meta.get("session"):
            b.add(doc, NG.session, literal(int(meta["session"]), datatype=XSD.integer))
        b.add(doc, NG.agendaItem, literal(meta["agenda_item"]) if meta.get("agenda_item") else None)
        b.add(doc, NG.meeting, literal(meta["meeting"]) if meta.get("meeting") else None)
        if meta.get("record_id", "").isdigit():
            b.add(doc, DCTERMS.source,
                  mint(f"https://digitallibrary.un.org/record/{meta['record_id']}"))
    else:
        b.add(doc, RDF.type, NG.Publication)
        b.add(doc, RDF.type, ELI.Work)
        b.add(doc, ELI.type_document, concept_iri("document-type", kind))
        first = next((p.text for p in e.paragraphs if p.text), e.document.name)
        title = (entry.title if entry and entry.title else None) or first
        b.add(doc, DCTERMS.title, b.label(title[:300]))
        b.add(doc, RDFS.label, b.label(title[:300]))
        if entry and entry.about:
            b.add(doc, DCTERMS.subject, body_iri(entry.about))
    if entry and entry.url:
        b.add(doc, DCTERMS.source, mint(entry.url))
    b.add(doc, PROV.wasDerivedFrom, src)
    if entry:
        for s in entry.sources:
            b.add(doc, PROV.wasDerivedFrom, b.source_ref(s, files))

    is_legal = bool(e.symbol)
    for p in e.paragraphs:
        piri = part_iri(doc, p.number)
        parent = part_iri(doc, p.parent) if p.parent else doc
        b.paragraphs.add(_para_key(piri))
        if e.symbol and (e.symbol, p.number) in b.wanted:
            b.wordings[(e.symbol, p.number)] = (doc, p)
        b.add(piri, RDF.type, NG.Paragraph)
        b.add(piri, RDF.type, ELI.LegalResourceSubdivision if is_legal else ELI.WorkSubdivision)
        b.add(piri, ELI.is_part_of, parent)
        b.add(parent, ELI.has_part, piri)
        b.add(piri, ELI.number, literal(p.number))
        b.add(piri, NG.ordinal, literal(p.ordinal, datatype=XSD.integer))
        b.add(piri, ELI.type_subdivision, concept_iri("subdivision-type", p.kind))
        b.add(piri, NG.text, literal(p.text) if p.text else None)
        b.add(piri, NG.verb, literal(p.verb) if p.verb else None)
        heading = " / ".join(x for x in (p.section, p.heading) if x)
        b.add(piri, NG.heading, literal(heading) if heading else None)
        b.add(piri, NG.charStart, literal(p.span[0], datatype=XSD.integer))
        b.add(piri, NG.charEnd, literal(p.span[1], datatype=XSD.integer))
        b.add(piri, PROV.wasDerivedFrom, src)
        if p.role == "recommendation":
            b.add(piri, RDF.type, NG.Recommendation)
        elif p.role == "conclusion":
            b.add(piri, RDF.type, NG.Conclusion)
        pillar = e.pillars.get(p.number)
        if pillar:
            b.add(piri, NG.addressesPillar, pillar_iri(pillar))
        for t in e.themes.get(p.number, ()):
            b.add(piri, ELI.is_about, theme_iri(t))
        for n in e.norms.get(p.number, ()):
            b.add(piri, NG.restatesNorm, norm_iri(n))

    # -- references: the direct triple and the qualified citation ------------------------------
    counters: dict[str, int] = defaultdict(int)
    for r in e.references:
        cited = b.instrument(r.symbol)
        if r.date:
            b.cited[r.symbol]["dates"][r.date].append(f"{e.document.name} {r.paragraph}")
        prop = RELATIONS[r.relation]
        b.add(doc, prop, cited)
        b.add(doc, RELATION_SUPER[r.relation], cited)
        counters[r.paragraph] += 1
        c = mint(f"{part_iri(doc, r.paragraph)}/ref/{counters[r.paragraph]}")
        b.add(c, RDF.type, CITO.Citation)
        b.add(c, CITO.hasCitingEntity, part_iri(doc, r.paragraph))
        b.add(c, CITO.hasCitedEntity, cited)
        b.add(c, CITO.hasCitationCharacterization, prop)
        b.add(c, NG.verb, literal(r.verb) if r.verb else None)
        b.add(c, NG.quote, literal(r.quote) if r.quote else None)
        if r.date:
            b.add(c, NG.citedDate, literal(r.date, datatype=XSD.date))
        b.add(c, NG.annex, literal(r.annex) if r.annex else None)
        b.add(c, PROV.wasDerivedFrom, src)

    # -- principles
    if e.principles and e.symbol:
        for pr in e.principles:
            c = principle_iri(e.symbol, pr.index)
            para = part_iri(doc, pr.paragraph)
            b.add(c, RDF.type, SKOS.Concept)
            b.add(c, RDF.type, NG.Principle)
            b.add(c, SKOS.inScheme, scheme_iri("principles"))
            parent_no = pr.paragraph.split()[0]
            b.add(c, SKOS.notation, literal(f"{parent_no}.{pr.index}"))
            b.add(c, SKOS.prefLabel, b.label(_short_label(pr.text)))
            b.add(c, SKOS.definition, literal(pr.text, lang="en"))
            b.add(c, PROV.hadPrimarySource, para)
            b.add(para, ELI.is_about, c)
            if pr.group:
                g = principle_group_iri(e.symbol, pr.group)
                b.add(g, RDF.type, SKOS.Collection)
                b.add(g, SKOS.prefLabel, b.label(pr.group))
                b.add(g, SKOS.member, c)
                b.add(g, PROV.hadPrimarySource, part_iri(doc, parent_no))
        b.current = "reference"
        b.scheme("principles", "Principles stated in the instruments")
        b.current = e.document.name

    # -- facts stated by the texts about bodies, events and reports
    about = (entry.about if entry else None) or _resolve_body(ref, e.title or "", None)
    for fact in e.facts:
        para = part_iri(doc, fact["paragraph"])
        if fact["fact"] == "report":
            body = _resolve_body(ref, fact["subject"], about) if fact["subject"] else about
            _report(b, fact, body, para, f"{e.document.name} {fact['paragraph']}", ref)
            continue
        if fact["fact"] == "committee report":
            if e.symbol:
                report = b.instrument(fact["symbol"], "report")
                target = b.stub_paragraph(report, fact["report_paragraph"]) \
                    if fact.get("report_paragraph") else report
                b.add(doc, NG.adoptedOnReportOf, target)
                committee = _resolve_body(ref, fact["committee"], None)
                b.add(report, ELI.passed_by, body_iri(committee) if committee else None)
                b.add(report, PROV.wasDerivedFrom, para)
            continue
        if fact["fact"] == "chair":
            body = _resolve_body(ref, fact["body"], entry.about if entry else None)
            if body:
                b.add(body_iri(body), NG.chairName, literal(fact["value"]))
                b.add(body_iri(body), PROV.wasDerivedFrom, para)
            else:
                b.warnings.append(f"{e.document.name} {fact['paragraph']}: no known body "
                                  f"matches {fact['body']!r}; chair not recorded")
        elif fact["fact"] in ("session", "planned sessions", "starts", "format"):
            body = _resolve_body(ref, fact["subject"], about)
            if not body:
                b.warnings.append(f"{e.document.name} {fact['paragraph']}: no known body for "
                                  f"a {fact['fact']} statement; not recorded")
                continue
            biri = body_iri(body)
            b.add(biri, PROV.wasDerivedFrom, para)
            if fact["fact"] == "session":
                sess = mint(f"{biri}/session/{fact['number']}")
                b.add(sess, RDF.type, NG.Session)
                b.add(sess, NG.sessionOf, biri)
                b.add(sess, NG.sessionNumber, literal(int(fact["number"]), datatype=XSD.integer))
                b.add(sess, RDFS.label, b.label(fact["label"]))
                b.add(sess, PROV.wasDerivedFrom, para)
                if fact.get("when"):
                    b.add(sess, DCTERMS.date, _period(fact["when"]))
            elif fact["fact"] == "planned sessions":
                b.add(biri, NG.plannedSessions, literal(int(fact["value"]), datatype=XSD.integer))
            elif fact["fact"] == "starts":
                b.add(biri, NG.startsBy, _period(fact["value"]))
            else:
                b.add(biri, NG.meetingFormat, literal(fact["value"], lang="en"))
        elif fact["fact"] == "adopted":
            inst = b.instrument(fact["symbol"])
            body = _resolve_body(ref, fact["subject"], None)
            if body:
                b.add(inst, ELI.passed_by, body_iri(body))
            if fact.get("date"):
                b.cited[fact["symbol"]]["dates"][fact["date"]].append(
                    f"{e.document.name} {fact['paragraph']}")
            b.add(inst, PROV.wasDerivedFrom, para)


def _date_from_citations(b: Builder, symbol: str, iri: URIRef,
                         dates: dict[str, list[str]]) -> None:
    """eli:date_document of an instrument from the dates citing paragraphs give it.

    One date: recorded. Several: the date stated by strictly more paragraphs than any other
    is recorded, and an rdfs:comment on the instrument says which paragraphs state which date
    (the dissenting statements also stay as ng:citedDate on their citations); a tie records
    no date. Either way the build warns, naming the paragraphs."""
    if not dates:
        return
    support = sorted(((len(set(w)), d) for d, w in dates.items()), key=lambda x: (-x[0], x[1]))
    where = "; ".join(f"{d} ({', '.join(sorted(set(w)))})" for d, w in sorted(dates.items()))
    if len(support) == 1 or support[0][0] > support[1][0]:
        chosen = support[0][1]
        b.add(iri, ELI.date_document, literal(chosen, datatype=XSD.date))
        if len(support) > 1:
            b.add(iri, RDFS.comment, literal(
                f"Sources disagree on the date; {chosen} is the date most of them state. "
                f"Statements: {where}.", lang="en"))
            b.warnings.append(f"{symbol}: sources state different dates; recorded {chosen}, "
                              f"which most state: {where}")
        return
    b.add(iri, RDFS.comment, literal(
        f"Sources disagree on the date, none more often than another; no date recorded. "
        f"Statements: {where}.", lang="en"))
    b.warnings.append(f"{symbol}: sources state different dates, none recorded: {where}")


def _report(b: Builder, fact: dict[str, str], body: str | None, para: URIRef,
            where: str, ref: Any) -> None:
    """A report of a body as a work (dcterms:hasVersion each document containing it), with
    the day the body adopted or considered it."""
    if body is None:
        b.warnings.append(f"{where}: no known body for the {fact['what']}; not recorded")
        return
    work = report_iri(body, fact["what"])
    label = next((x.label for x in getattr(ref, "bodies", ()) if x.key == body), body)
    b.add(work, RDF.type, ELI.Work)
    b.add(work, RDF.type, NG.Report)
    b.add(work, RDFS.label, b.label(f"{fact['what'][:1].upper()}{fact['what'][1:]} of the {label}"))
    b.add(work, DCTERMS.creator, body_iri(body))
    b.add(work, PROV.wasDerivedFrom, para)
    if fact.get("symbol"):
        inst = b.instrument(fact["symbol"])
        b.add(inst, DCTERMS.isVersionOf, work)
        b.add(work, DCTERMS.hasVersion, inst)
        b.add(inst, ELI.passed_by, body_iri(body))
    if fact.get("date"):
        prop = NG.adoptedOn if fact.get("event") == "adopted" else NG.consideredOn
        b.add(work, prop, literal(fact["date"], datatype=XSD.date))
        if fact.get("symbol") and fact.get("event") == "adopted":
            # the document the body adopted that day is dated by it
            b.cited[fact["symbol"]]["dates"][fact["date"]].append(where)


def _period(value: str) -> Literal:
    """'2023-07-28' as xsd:date, '2026-03' as xsd:gYearMonth, '2026' as xsd:gYear."""
    kind = {10: XSD.date, 7: XSD.gYearMonth}.get(len(value), XSD.gYear)
    return literal(value, datatype=kind)


def _short_label(text: str) -> str:
    words = text.split()
    return " ".join(words[:12]).rstrip(",;.") + ("…" if len(words) > 12 else "")


def _resolve_body(ref: Any, text: str, default: str | None) -> str | None:
    """The body a phrase names, by the labels of the reference data: the one named first
    (the sentence's subject), the longest label at that place; an abbreviation alone ("OEWG")
    means the body the document is about."""
    norm = " ".join(text.replace("\u2013", "-").lower().split())
    best: tuple[int, int, str] | None = None
    for body in getattr(ref, "bodies", ()):
        for label in (body.label, *body.alt_labels):
            lab = " ".join(label.replace("\u2013", "-").lower().split())
            if len(lab) <= 6:
                continue
            at = norm.find(lab)
            if at >= 0 and (best is None or (at, -len(lab)) < (best[0], -best[1])):
                best = (at, len(lab), body.key)
    if best:
        return best[2]
    return default


def _reference(b: Builder, ref: Any, files: dict[str, URIRef]) -> None:
    b.current = "reference"
    schemes = (("norms", "Norms of responsible State behaviour (A/70/174, paragraph 13)",
                ref.norms, norm_iri, NG.Norm),
               ("pillars", "Pillars of the framework for responsible State behaviour",
                ref.pillars, pillar_iri, NG.Pillar),
               ("themes", "Themes", ref.themes, theme_iri, NG.Theme))
    for name, label, concepts, make_iri, cls in schemes:
        scheme = b.scheme(name, label)
        for c in concepts:
            iri = make_iri(c.notation if name == "norms" else c.key)
            b.add(iri, RDF.type, SKOS.Concept)
            b.add(iri, RDF.type, cls)
            b.add(iri, SKOS.inScheme, scheme)
            b.add(iri, SKOS.prefLabel, b.label(c.label))
            b.add(iri, SKOS.notation, literal(c.notation) if c.notation else None)
            b.add(iri, SKOS.definition, literal(c.definition, lang="en") if c.definition else None)
            b.add(iri, SKOS.note, literal(c.note, lang="en") if c.note else None)
            for alt in c.alt_labels:
                b.add(iri, SKOS.altLabel, b.label(alt))
            for cue in c.cues:
                b.add(iri, SKOS.hiddenLabel, literal(cue, lang="en"))
            for m in c.exact_match:
                b.add(iri, SKOS.exactMatch, mint(m))
            for i, s in enumerate(c.sources):
                target = b.source_ref(s, files)
                b.add(iri, PROV.hadPrimarySource if i == 0 else PROV.wasDerivedFrom, target)
            if name == "norms":
                b.add(scheme, SKOS.hasTopConcept, iri)

    for body in ref.bodies:
        iri = body_iri(body.key)
        b.add(iri, RDF.type, ORG.Organization)
        b.add(iri, SKOS.prefLabel, b.label(body.label))
        for alt in body.alt_labels:
            b.add(iri, SKOS.altLabel, b.label(alt))
        if body.parent:
            b.add(iri, ORG.subOrganizationOf, body_iri(body.parent))
        for prop, src in ((NG.establishedBy, body.established_by), (NG.endedBy, body.ended_by)):
            if src is not None:
                target = b.source_ref(src, files)
                b.add(iri, prop, instrument_iri(parse(src.symbol).symbol) if src.symbol
                      else target)
                b.add(iri, PROV.wasDerivedFrom, target)
        for src in body.mandated_by:
            target = b.source_ref(src, files)
            if src.symbol:
                b.add(iri, NG.mandatedBy, instrument_iri(parse(src.symbol).symbol))
            b.add(iri, PROV.wasDerivedFrom, target)
        for src in body.sources:
            b.add(iri, PROV.wasDerivedFrom, b.source_ref(src, files))
        if body.became:
            # W3C ORG's change event: "a smooth and seamless transition from the open-ended
            # working group to the Global Mechanism" (80/16, para 2) reads both ways
            key, src = body.became
            change, successor = change_iri(body.key, key), body_iri(key)
            b.add(change, RDF.type, ORG.ChangeEvent)
            b.add(change, RDFS.label, literal(f"{body.key} became {key}"))
            b.add(change, ORG.originalOrganization, iri)
            b.add(change, ORG.resultingOrganization, successor)
            b.add(iri, ORG.changedBy, change)
            b.add(successor, ORG.resultedFrom, change)
            b.add(change, PROV.wasDerivedFrom, b.source_ref(src, files))

    for fact in getattr(ref, "instruments", ()):
        iri = b.instrument(fact.symbol, fact.kind)
        if fact.kind:
            b.cited[fact.symbol]["kind_fixed"] = True
        b.add(iri, ELI.title, b.label(fact.title) if fact.title else None)
        if fact.date:
            b.cited[fact.symbol]["dates"][fact.date].append("data/reference/instruments.yaml")
        if fact.passed_by:
            b.add(iri, ELI.passed_by, body_iri(fact.passed_by))
        for s in fact.sources:
            b.add(iri, PROV.wasDerivedFrom, b.source_ref(s, files))
        for k, link in enumerate(fact.links, start=1):
            cited = b.instrument(link.target)
            para = b.stub_paragraph(iri, link.paragraph)
            b.add(iri, RELATIONS[link.relation], cited)
            b.add(iri, RELATION_SUPER[link.relation], cited)
            c = mint(f"{para}/ref/c{k}")
            b.add(c, RDF.type, CITO.Citation)
            b.add(c, CITO.hasCitingEntity, para)
            b.add(c, CITO.hasCitedEntity, cited)
            b.add(c, CITO.hasCitationCharacterization, RELATIONS[link.relation])
            b.add(c, NG.verb, literal(link.verb) if link.verb else None)
            b.add(c, RDFS.comment, literal(link.note, lang="en") if link.note else None)
            b.add(c, PROV.wasDerivedFrom, para)


def _wordings(b: Builder, ref: Any) -> None:
    """skos:definition of each norm from the paragraph(s) its reference record names as its
    wording (read from the held text, never from the YAML), with ng:wordingFrom to each
    paragraph and a skos:note saying that the norm-to-rule mapping is normgraph's."""
    held = b.wordings
    for c in getattr(ref, "norms", ()):
        if not c.wording:
            continue
        found = []
        for src in c.wording:
            symbol = parse(str(src.symbol)).symbol
            hit = held.get((symbol, str(src.paragraph)))
            if hit is None:
                b.warnings.append(f"norm {c.notation}: its wording, {symbol} paragraph "
                                  f"{src.paragraph}, is not among the sources; no definition")
                break
            found.append((symbol, hit[0], hit[1]))
        else:
            iri = norm_iri(c.notation)
            b.add(iri, SKOS.definition, literal(" ".join(p.text for _, _, p in found), lang="en"))
            for _, doc, p in found:
                b.add(iri, NG.wordingFrom, part_iri(doc, p.number))
            where = " and ".join(f"{symbol} paragraph {p.number}" for symbol, _, p in found)
            b.add(iri, SKOS.note, literal(
                f"The definition is the wording of {where}. That this is norm {c.notation} of "
                "A/70/174 is normgraph's mapping by content; neither document states it.",
                lang="en"))


def ontology_graph() -> Graph:
    """The normgraph ontology (ontology/normgraph.ttl) as a graph."""
    return Graph().parse(resource_dir("ontology") / "normgraph.ttl", format="turtle")


def union_graph(ds: Dataset) -> Graph:
    """All named graphs of the dataset as one graph (what the Turtle dump holds)."""
    g = Graph()
    for t in ds.quads((None, None, None, None)):
        g.add(t[:3])
    return g


def triples_of(ds: Dataset) -> Iterable[tuple[Any, Any, Any]]:
    seen = set()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        if (s, p, o) not in seen:
            seen.add((s, p, o))
            yield s, p, o


_ = OWL  # the ontology module declares OWL terms; kept for prefix binding
