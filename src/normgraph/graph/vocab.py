"""Namespaces and IRI minting: the one place that decides what a thing is called.

Every IRI in the graph is made here, from a normalised UN symbol or a curated key, under one
configurable base (``NORMGRAPH_BASE``, default ``https://w3id.org/normgraph/``).

>>> instrument_iri("A/RES/80/16")
rdflib.term.URIRef('https://w3id.org/normgraph/id/A/RES/80/16')
>>> paragraph_iri("A/RES/79/237", "2 (a)")
rdflib.term.URIRef('https://w3id.org/normgraph/id/A/RES/79/237/para/2/a')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD
from rdflib.term import Node

from ..config import DEFAULT_BASE, base  # noqa: F401  (part of this module's interface)

ELI = Namespace("http://data.europa.eu/eli/ontology#")
CITO = Namespace("http://purl.org/spar/cito/")
ORG = Namespace("http://www.w3.org/ns/org#")
#: the project's own terms (ontology/normgraph.ttl); fixed, not under the data base
NG = Namespace("https://w3id.org/normgraph/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/normgraph/ontology")

PREFIXES: dict[str, Namespace] = {
    "ng": NG,
    "eli": ELI,
    "cito": CITO,
    "org": ORG,
    "dcterms": Namespace(str(DCTERMS)),
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "void": Namespace(str(VOID)),
    "dcat": Namespace(str(DCAT)),
    "foaf": Namespace("http://xmlns.com/foaf/0.1/"),
}


# -- minting many terms at once ---------------------------------------------------------------
# Inside ``minting()`` (a graph build), the base is read once, and each IRI and literal is made
# once and shared: rdflib's constructors validate every value, and equal but distinct term
# objects make every set operation fall back to rdflib's Python-level comparisons. A process
# that builds one document after another (a streamed build's worker) keeps its terms in a
# :class:`Kept` table across the documents: most of a document's literals (ordinals, offsets,
# numbers, dates) and many of its IRIs are an earlier document's too.

_FIXED_BASE: str | None = None
_IRIS: dict[str, URIRef] | None = None
_LITERALS: dict[tuple[Any, Any, Any, Any], Literal] | None = None


class Kept:
    """Terms shared by every :func:`minting` block given this table, and whatever a writer
    memoises of them (``texts``, made with ``texts_with``, see :mod:`normgraph.graph.dump`),
    until they number ``limit``: the next block then starts an empty table, so a long-lived
    process's memory stays bounded."""

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self.iris: dict[str, URIRef] = {}
        self.literals: dict[tuple[Any, Any, Any, Any], Literal] = {}
        self.texts: dict[int, tuple[Any, str]] = {}
        self.texts_with: object = None

    def __len__(self) -> int:
        return len(self.iris) + len(self.literals)

    def clear(self) -> None:
        self.iris.clear()
        self.literals.clear()
        self.texts.clear()


@contextmanager
def minting(kept: Kept | None = None) -> Iterator[None]:
    """Fix the base and share term objects until the block ends (and, given ``kept``, with
    the other blocks given it)."""
    global _FIXED_BASE, _IRIS, _LITERALS
    if kept is None:
        kept = Kept()
    elif len(kept) >= kept.limit:
        kept.clear()
    saved = (_FIXED_BASE, _IRIS, _LITERALS)
    _FIXED_BASE, _IRIS, _LITERALS = base(), kept.iris, kept.literals
    try:
        yield
    finally:
        _FIXED_BASE, _IRIS, _LITERALS = saved


def _base() -> str:
    return _FIXED_BASE if _FIXED_BASE is not None else base()


# -- IRIs every consumer reads (RFC 3987) -----------------------------------------------------
# Every IRI is made by mint(), which percent-encodes (as UTF-8) what RFC 3987 allows nowhere in
# an IRI; a value placed inside one path segment (a file name) goes through iri_segment() first.
# The dump writers check each IRI against the grammar (check_iri) and refuse to write one
# that is not an absolute IRI, so no parser downstream meets a term it cannot read.

def _planes(first: int, last: int) -> str:
    return f"\\U{first:08X}-\\U{last:08X}"


# ucschar and iprivate of RFC 3987 section 2.2
_UCSCHAR = "\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF" + "".join(
    _planes(plane << 16, (plane << 16) + 0xFFFD) for plane in range(1, 14)) + _planes(
    0xE1000, 0xEFFFD)
_IPRIVATE = "\uE000-\uF8FF" + _planes(0xF0000, 0xFFFFD) + _planes(0x100000, 0x10FFFD)
_UNRESERVED = "A-Za-z0-9\\-._~" + _UCSCHAR
_SUB_DELIMS = "!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_IPCHAR = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_IRI_GRAMMAR = re.compile(
    r"[A-Za-z][A-Za-z0-9+\-.]*:"  # scheme
    r"(?://"  # authority, then a path of segments that may be empty
    rf"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?"
    rf"(?:\[[0-9A-Fa-f:.]+\]|\[v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~{_SUB_DELIMS}:]+\]"
    rf"|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)"
    rf"(?::[0-9]*)?(?:/{_IPCHAR}*)*"
    rf"|/?(?:{_IPCHAR}+(?:/{_IPCHAR}*)*)?)"  # or a path without authority
    rf"(?:\?(?:{_IPCHAR}|[/?{_IPRIVATE}])*)?"  # query
    rf"(?:#(?:{_IPCHAR}|[/?])*)?"  # fragment
)
# what may stand nowhere in an IRI, and a '%' that does not start a %XX escape
_NOWHERE = re.compile(f"[^{_UNRESERVED}{_SUB_DELIMS}:@/?#\\[\\]%{_IPRIVATE}]|%(?![0-9A-Fa-f]{{2}})")
# what may not stand inside one path segment (besides the above): the delimiters and '%'
_NOT_IN_SEGMENT = re.compile(f"[^{_UNRESERVED}{_SUB_DELIMS}:@]")


def _percent(m: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in m.group(0).encode("utf-8", "surrogatepass"))


def iri_segment(text: str) -> str:
    """``text`` as one path segment of an IRI: every character an IRI segment may not hold
    (``/ ? # [ ] %``, spaces, controls, ``<>"{}|\\^```...) percent-encoded as UTF-8, so the
    segment reads back as the text it was made from.

    >>> iri_segment("a b#1%zz.txt")
    'a%20b%231%25zz.txt'
    """
    return _NOT_IN_SEGMENT.sub(_percent, text)


def encode_iri(value: str) -> str:
    """``value`` with what RFC 3987 allows nowhere in an IRI percent-encoded (spaces,
    controls, ``<>"{}|\\^```, a ``%`` not followed by two hex digits); an escape already
    made (``%20``) and the delimiters ``/?#`` are kept.

    >>> encode_iri("https://example.org/a b/%zz")
    'https://example.org/a%20b/%25zz'
    """
    return _NOWHERE.sub(_percent, value) if _NOWHERE.search(value) else value


class IRIError(ValueError):
    """An IRI that RFC 3987 does not allow: the dump holding it is not written."""


def is_iri(value: str) -> bool:
    """Whether ``value`` is an absolute IRI by the grammar of RFC 3987."""
    return _IRI_GRAMMAR.fullmatch(value) is not None


def check_iri(value: str) -> str:
    """``value`` when it is an absolute IRI (RFC 3987); else :class:`IRIError`, one line."""
    if _IRI_GRAMMAR.fullmatch(value) is None:
        shown = value if len(value) <= 120 else value[:117] + "..."
        raise IRIError(f"{shown!r} is not a valid IRI (RFC 3987)")
    return value


def mint(value: str) -> URIRef:
    """The IRI ``value`` as a term, percent-encoded where RFC 3987 requires it (see
    :func:`encode_iri`); inside :func:`minting`, one object per IRI."""
    table = _IRIS
    if table is None:
        return URIRef(encode_iri(value))
    term = table.get(value)
    if term is None:
        term = table[value] = URIRef(encode_iri(value))
    return term


def literal(value: Any, datatype: URIRef | None = None, lang: str | None = None) -> Literal:
    """A literal (inside :func:`minting`, one object per value, datatype and language)."""
    table = _LITERALS
    if table is None:
        return Literal(value, datatype=datatype, lang=lang)
    # the type is part of the key: 1, 1.0 and True are equal in Python, not in RDF
    key = (type(value), value, datatype, lang)
    term = table.get(key)
    if term is None:
        term = table[key] = Literal(value, datatype=datatype, lang=lang)
    return term


class terms:  # noqa: N801  (used like a namespace)
    """A namespace whose terms are made once, on first use: ``terms(ELI).cites`` is the same
    object every time (rdflib's namespaces make and validate a new one on every access)."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return self._namespace[name]

    def __str__(self) -> str:
        return str(self._namespace)


def data_prefixes() -> dict[str, str]:
    """Prefixes for the data namespaces under the current base (used by the Turtle writer)."""
    b = _base()
    return {
        "id": b + "id/",
        "norm": b + "norm/",
        "pillar": b + "pillar/",
        "theme": b + "theme/",
        "body": b + "body/",
        "principle": b + "principle/",
        "scheme": b + "scheme/",
        "source": b + "source/",
    }


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case ASCII slug: 'Process and Purpose' -> 'process-and-purpose'."""
    return _SLUG.sub("-", text.lower()).strip("-")


def instrument_iri(symbol: str) -> URIRef:
    """IRI of an instrument from its normalised symbol (see :mod:`normgraph.read.symbols`)."""
    return mint(_base() + "id/" + symbol)


def paragraph_iri(symbol: str, number: str) -> URIRef:
    """IRI of a paragraph from its number as printed: '56' -> /para/56, '2 (a)' -> /para/2/a,
    'pp3' -> /para/pp3, 'fn2' -> /para/fn2, '56 (b3)' -> /para/56/b3."""
    parts = [p for p in re.split(r"[\s()]+", number) if p]
    return mint(f"{instrument_iri(symbol)}/para/" + "/".join(parts))


def citation_iri(symbol: str, number: str, index: int) -> URIRef:
    """IRI of the qualified citation node for the index-th reference stated in a paragraph."""
    return mint(f"{paragraph_iri(symbol, number)}/ref/{index}")


def source_iri(filename: str) -> URIRef:
    """IRI of a source file as received (a prov:Entity): the file name is one path segment,
    percent-encoded (``a b#1.txt`` -> ``.../source/a%20b%231.txt``)."""
    return mint(_base() + "source/" + iri_segment(filename))


def publication_iri(key: str) -> URIRef:
    """IRI of a document without a UN symbol (web page, news item), from its catalog key."""
    return mint(_base() + "id/doc/" + slug(key))


def norm_iri(notation: str) -> URIRef:
    """'13(f)' -> .../norm/13f"""
    return mint(_base() + "norm/" + re.sub(r"[^0-9a-z]", "", notation.lower()))


def pillar_iri(key: str) -> URIRef:
    return mint(_base() + "pillar/" + slug(key))


def theme_iri(key: str) -> URIRef:
    return mint(_base() + "theme/" + slug(key))


def report_iri(body: str, what: str) -> URIRef:
    """A report of a body as a work, whatever documents contain it: ('oewg-2021-2025',
    'final report') -> .../body/oewg-2021-2025/report/final-report"""
    return mint(_base() + "body/" + slug(body) + "/report/" + slug(what))


def body_iri(key: str) -> URIRef:
    return mint(_base() + "body/" + slug(key))


def change_iri(key: str, became: str) -> URIRef:
    """The change of one body into another (an org:ChangeEvent)."""
    return mint(_base() + "body/" + slug(key) + "/became/" + slug(became))


def principle_iri(symbol: str, index: int) -> URIRef:
    """A capacity-building (or other) principle stated in a document: .../principle/A/75/816/3"""
    return mint(f"{_base()}principle/{symbol}/{index}")


def principle_group_iri(symbol: str, label: str) -> URIRef:
    return mint(f"{_base()}principle/{symbol}/group/{slug(label)}")


def scheme_iri(name: str) -> URIRef:
    """Concept schemes: norms, pillars, themes, principles, document-type, subdivision-type,
    relation."""
    return mint(_base() + "scheme/" + name)


def concept_iri(scheme: str, key: str) -> URIRef:
    """A concept of one of the small controlled schemes (document types, subdivision types)."""
    return mint(f"{_base()}scheme/{scheme}/{slug(key)}")


def build_iri(version: str) -> URIRef:
    return mint(f"{_base()}build/{version}")


def dataset_iri() -> URIRef:
    return mint(_base() + "dataset")


#: relation name (the lower-case verb used in the JSON interface) -> property in the graph.
#: Every property is declared rdfs:subPropertyOf eli:cites in ontology/normgraph.ttl, except
#: 'cites as establishing act' which sits under eli:based_on ("established pursuant to").
RELATIONS: dict[str, URIRef] = {
    "recalls": NG.recalls,
    "reaffirms": NG.reaffirms,
    "welcomes": NG.welcomes,
    "endorses": NG.endorses,
    "takes note of": NG.takesNoteOf,
    "notes": NG.notes,
    "cites as establishing act": NG.citesEstablishingAct,
    "responds to": NG.requests,
    "decides to include in the agenda": NG.includesInAgenda,
    "refers to": NG.refersTo,
}

#: the super-property materialised beside each relation, so lineage is one property path
RELATION_SUPER: dict[str, URIRef] = {
    name: (ELI.based_on if name == "cites as establishing act" else ELI.cites)
    for name in RELATIONS
}

#: keyed by any term (a predicate read back from a graph is typed as a Node)
RELATION_BY_PROPERTY: dict[Node, str] = {prop: name for name, prop in RELATIONS.items()}

#: how each relation reads from the cited instrument back to the citing one, for walks
#: downwards ("A/RES/73/27 recalled by A/RES/75/240"); the ontology states the same pairs as
#: ng:inverseLabel (a test keeps them equal)
RELATION_INVERSE: dict[str, str] = {
    "recalls": "recalled by",
    "reaffirms": "reaffirmed by",
    "welcomes": "welcomed by",
    "endorses": "endorsed by",
    "takes note of": "taken note of by",
    "notes": "noted by",
    "cites as establishing act": "cited as establishing act by",
    "responds to": "responded to by",
    "decides to include in the agenda": "included in the agenda by",
    "refers to": "referred to by",
}


def inverse_label(relation: str) -> str:
    """The relation read from the cited side: 'recalls' -> 'recalled by'."""
    return RELATION_INVERSE.get(relation, f"{relation} (inverse)")
