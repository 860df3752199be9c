"""A fast validator for large graphs: the SHACL Core constraints that ``ontology/shapes.ttl``
uses, compiled into SPARQL queries that find the violating nodes, run on Oxigraph.

pySHACL validates a few thousand triples a second, which is fine for the shipped graph and far
too slow for a corpus of ten thousand documents. The shapes stay the single source of truth:
this module reads them and supports exactly the constructs they use (class and subjects-of
targets; ``sh:path`` a predicate IRI; ``minCount``, ``maxCount``, ``datatype``, ``nodeKind
sh:IRI``, ``pattern``, ``class``, ``in``, ``minInclusive``, ``uniqueLang``, ``or`` of class or
datatype alternatives; node-level ``class``/``or``; ``sh:sparql`` SELECT constraints;
``severity``, ``message``). A shape using anything else raises :class:`UnsupportedShape`, so
the two validators cannot silently disagree; the tests run both on every fixture and on the
shipped graph and compare their findings.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from ..graph.dump import ntriples_term
from .validate import Finding, Report, _short

__all__ = ["UnsupportedShape", "TurtleLoader", "DISK_FROM", "compile_shapes", "focus_updates",
           "validate_turtle", "validate_triples"]

TYPE_PATH = "?{v} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/" \
            "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{c}>"

_PROPERTY_KEYS = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH.pattern,
                  SH["class"], SH["in"], SH.minInclusive, SH.uniqueLang, SH["or"], SH.message,
                  SH.name, SH.description}
_NODE_KEYS = {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.property, SH.severity,
              SH["class"], SH["or"], SH.message, SH.sparql, URIRef(
                  "http://www.w3.org/2000/01/rdf-schema#label")}


class UnsupportedShape(ValueError):
    """The shapes use a SHACL construct this validator does not implement."""


def _n3(term: Any) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise UnsupportedShape(f"unexpected term {term!r} in the shapes")


def _alternatives(shapes: Graph, node: Any) -> list[str]:
    """SPARQL boolean tests for the members of an sh:or list, on ?v."""
    tests = []
    for alt in Collection(shapes, node):
        cls = shapes.value(alt, SH["class"])
        dt = shapes.value(alt, SH.datatype)
        extra = set(shapes.predicates(alt)) - {SH["class"], SH.datatype}
        if extra or (cls is None) == (dt is None):
            raise UnsupportedShape("sh:or members must each be one sh:class or sh:datatype")
        if cls is not None:
            tests.append("EXISTS { " + TYPE_PATH.format(v="v", c=cls) + " }")
        else:
            tests.append(f"(isLiteral(?v) && DATATYPE(?v) = <{dt}>)")
    return tests


#: the named graph where :func:`_run` materialises each shape's focus nodes once, so that the
#: constraint queries join with a stored set instead of re-deriving it (the type closure) each
#: time; the validated data sit in the default graph and never see it
FOCUS_GRAPH = "urn:x-normgraph:shacl-focus"
FOCUS_OF = "urn:x-normgraph:focus-of"


def focus_updates(shapes: Graph) -> list[str]:
    """SPARQL updates that store each node shape's focus nodes in :data:`FOCUS_GRAPH`."""
    out = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        out.append(f"INSERT {{ GRAPH <{FOCUS_GRAPH}> {{ ?this <{FOCUS_OF}> {_n3(shape)} }} }} "
                   f"WHERE {_focus_select(shapes, shape)}")
    return out


def _focus_select(shapes: Graph, shape: Any) -> str:
    targets = [TYPE_PATH.format(v="this", c=c) for c in shapes.objects(shape, SH.targetClass)]
    targets += [f"?this <{p}> [] " for p in shapes.objects(shape, SH.targetSubjectsOf)]
    if not targets:
        raise UnsupportedShape(f"{shape}: no sh:targetClass or sh:targetSubjectsOf")
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(
        "{ " + t + " }" for t in targets) + " } }"


def compile_shapes(shapes: Graph, materialised: bool = False) -> list[tuple[str, str, str, str]]:
    """(query, severity, path, message) for every constraint; each query selects ?this.

    With ``materialised``, the queries read each shape's focus nodes from :data:`FOCUS_GRAPH`
    (filled by :func:`focus_updates`) instead of deriving them."""
    out: list[tuple[str, str, str, str]] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        extra = set(shapes.predicates(shape)) - _NODE_KEYS
        if extra:
            raise UnsupportedShape(f"{shape}: unsupported {sorted(map(str, extra))}")
        severity = str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        focus = _focus_select(shapes, shape)
        if materialised:
            focus = f"GRAPH <{FOCUS_GRAPH}> {{ ?this <{FOCUS_OF}> {_n3(shape)} }}"
        node_message = str(shapes.value(shape, SH.message) or "does not conform")
        # node-level value constraints: the focus node itself is the value
        if (shapes.value(shape, SH["class"]) is not None
                or shapes.value(shape, SH["or"]) is not None):
            tests = []
            if shapes.value(shape, SH["class"]) is not None:
                tests.append("EXISTS { " + TYPE_PATH.format(
                    v="v", c=shapes.value(shape, SH["class"])) + " }")
            if shapes.value(shape, SH["or"]) is not None:
                tests.append("(" + " || ".join(_alternatives(shapes, shapes.value(
                    shape, SH["or"]))) + ")")
            out.append((f"SELECT ?this WHERE {{ {focus} BIND(?this AS ?v) "
                        f"FILTER(!({' && '.join(tests)})) }}", severity, "", node_message))
        for sparql in shapes.objects(shape, SH.sparql):
            select = shapes.value(sparql, SH.select)
            message = str(shapes.value(sparql, SH.message) or node_message)
            if select is None:
                raise UnsupportedShape(f"{shape}: only sh:select SPARQL constraints")
            body = str(select).replace("$this", "?this")
            out.append(("FOCUS " + f"SELECT ?this WHERE {{ {focus} }}" + "\n" + body, severity, "",
                        message))
        for prop in shapes.objects(shape, SH.property):
            unknown = set(shapes.predicates(prop)) - _PROPERTY_KEYS
            if unknown:
                raise UnsupportedShape(f"{shape}: unsupported {sorted(map(str, unknown))}")
            path = shapes.value(prop, SH.path)
            if not isinstance(path, URIRef):
                raise UnsupportedShape(f"{shape}: only predicate paths are supported")
            message = str(shapes.value(prop, SH.message) or "does not conform")
            p = f"<{path}>"
            short = _short(path)

            def add(query: str, _sev: str = severity, _short: str = short,
                    _message: str = message) -> None:
                out.append((query, _sev, _short, _message))

            each = f"SELECT ?this WHERE {{ {focus} ?this {p} ?v . FILTER({{}}) }}"
            low = shapes.value(prop, SH.minCount)
            if low is not None:
                n = int(low)
                if n == 1:
                    add(f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {p} ?v }} }}")
                elif n > 1:
                    add(f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {p} ?v }} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})")
            high = shapes.value(prop, SH.maxCount)
            if high is not None:
                add(f"SELECT ?this WHERE {{ {focus} ?this {p} ?v }} GROUP BY ?this "
                    f"HAVING (COUNT(DISTINCT ?v) > {int(high)})")
            dt = shapes.value(prop, SH.datatype)
            if dt is not None:
                add(each.replace("{}", f"!isLiteral(?v) || DATATYPE(?v) != <{dt}>"))
            kind = shapes.value(prop, SH.nodeKind)
            if kind is not None:
                if kind != SH.IRI:
                    raise UnsupportedShape(f"{shape}: only sh:nodeKind sh:IRI")
                add(each.replace("{}", "!isIRI(?v)"))
            pattern = shapes.value(prop, SH.pattern)
            if pattern is not None:
                add(each.replace("{}", f"isBlank(?v) || !REGEX(STR(?v), {_n3(pattern)})"))
            cls = shapes.value(prop, SH["class"])
            if cls is not None:
                add(f"SELECT ?this WHERE {{ {focus} ?this {p} ?v . FILTER NOT EXISTS {{ "
                    + TYPE_PATH.format(v="v", c=cls) + " } }")
            members = shapes.value(prop, SH["in"])
            if members is not None:
                values = ", ".join(_n3(m) for m in Collection(shapes, members))
                add(each.replace("{}", f"?v NOT IN ({values})"))
            minimum = shapes.value(prop, SH.minInclusive)
            if minimum is not None:
                add(each.replace("{}", f"!(?v >= {_n3(minimum)})"))
            if shapes.value(prop, SH.uniqueLang) == Literal(True):
                add(f"SELECT ?this WHERE {{ {focus} ?this {p} ?v . FILTER(LANG(?v) != \"\") }} "
                    f"GROUP BY ?this (LANG(?v) AS ?l) HAVING (COUNT(?v) > 1)")
            alternatives = shapes.value(prop, SH["or"])
            if alternatives is not None:
                tests = " || ".join(_alternatives(shapes, alternatives))
                add(each.replace("{}", f"!({tests})"))
    return out


def validate_turtle(text: str, shapes: Graph | None = None) -> Report:
    """Validate a Turtle document that already holds the ontology (a normgraph dump)."""
    loader = TurtleLoader()
    try:
        loader.feed(text)
        return loader.finish(shapes)
    finally:
        loader.close()


#: from this many triples up, :class:`TurtleLoader` validates in a temporary on-disk store: an
#: in-memory Oxigraph store takes about 300 bytes a triple, which a 100,000-document corpus
#: (30 million triples) cannot afford beside the graph being written
DISK_FROM = 8_000_000


class TurtleLoader:
    """Validation fed while the dump is written: Turtle pieces (each with its own ``@prefix``
    lines, or after :func:`normgraph.dump.prefix_lines`) are loaded into Oxigraph on a
    background thread (Oxigraph releases the GIL), then :meth:`finish` runs the compiled
    shapes.

    Up to :data:`DISK_FROM` triples (``size``, when known) the store is in memory and each
    piece is loaded in a transaction, which is fastest; above it, the pieces stream into one
    ``bulk_load`` of a store in a temporary directory, removed by :meth:`close`. Given a
    ``store``, the pieces are bulk-loaded into it (its owner keeps it; :meth:`end` waits for
    the load without validating)."""

    def __init__(self, prefixes: str = "", size: int = 0, store: Any = None) -> None:
        import queue
        import tempfile
        import threading

        import pyoxigraph as ox

        self._ox = ox
        self._tmp = None
        if store is not None:  # a store the caller owns (the build's local query store)
            self.store = store
        elif size >= DISK_FROM:
            self._tmp = tempfile.TemporaryDirectory(prefix="normgraph-validate-")
            self.store = ox.Store(self._tmp.name)
        else:
            self.store = ox.Store()
        self.prefixes = prefixes.encode("utf-8")
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        target = self._load if self._tmp is None and store is None else self._bulk_load
        self._thread = threading.Thread(target=target, name="normgraph-load", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        while True:
            chunk = self._queue.get()
            if chunk is None:
                return
            if self._error is not None:
                continue  # drain: the producer must not block
            try:
                self.store.load(self.prefixes + chunk.encode("utf-8"),
                                format=self._ox.RdfFormat.TURTLE)
            except BaseException as exc:  # reported by finish()
                self._error = exc

    def _bulk_load(self) -> None:
        stream = _QueueStream(self._queue, self.prefixes)
        try:
            self.store.bulk_load(stream, format=self._ox.RdfFormat.TURTLE)
        except BaseException as exc:  # reported by finish()
            self._error = exc
        stream.drain()

    def feed(self, chunk: str) -> None:
        self._queue.put(chunk)

    def _stop(self) -> None:
        """End the pieces and wait for the loading thread (idempotent)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def close(self) -> None:
        """Stop the loading thread and remove a temporary store (idempotent)."""
        self._stop()
        if self._tmp is not None:
            self.store = None
            self._tmp.cleanup()
            self._tmp = None

    def end(self) -> None:
        """Wait until every piece is loaded; raise what the loading met."""
        self._stop()
        if self._error is not None:
            raise self._error

    def finish(self, shapes: Graph | None = None) -> Report:
        self.end()
        return _run(self.store, shapes)


class _QueueStream(io.RawIOBase):
    """The pieces put on a queue (ended by ``None``) as one binary stream: the prefixes, then
    each piece in turn."""

    def __init__(self, pieces: Any, head: bytes) -> None:
        self._pieces = pieces
        self._buffer = memoryview(head)
        self._ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer and not self._ended:
            piece = self._pieces.get()
            if piece is None:
                self._ended = True
            else:
                self._buffer = memoryview(piece.encode("utf-8"))
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n

    def drain(self) -> None:
        """Take the rest of the pieces, so that the producer never blocks."""
        while not self._ended:
            self._ended = self._pieces.get() is None


def _run(store: Any, shapes: Graph | None) -> Report:
    from concurrent.futures import ThreadPoolExecutor

    from .validate import load_shapes

    shapes = shapes if shapes is not None else load_shapes()
    for update in focus_updates(shapes):
        store.update(update)

    def violations(query: str) -> list[str]:
        if query.startswith("FOCUS "):  # a SPARQL constraint, evaluated on the focus nodes
            focus_query, body = query[len("FOCUS "):].split("\n", 1)
            focus = {row["this"] for row in store.query(focus_query)}
            return [str(row["this"].value) for row in store.query(body) if row["this"] in focus]
        return [str(row["this"].value) for row in store.query(query)]

    queries = compile_shapes(shapes, materialised=True)
    # Oxigraph evaluates queries without the GIL: two at a time use two cores
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(violations, (q for q, *_ in queries)))
    findings = {Finding(severity, node, path, message)
                for (_q, severity, path, message), nodes in zip(queries, found, strict=True)
                for node in nodes}
    return Report(sorted(findings, key=lambda f: (f.severity != "Violation", f.focus, f.path,
                                                  f.message)))


def validate_triples(triples: Iterable[tuple[Any, Any, Any]], shapes: Graph | None = None,
                     ontology: Graph | None = None) -> Report:
    """Validate the triples (plus the ontology's subclass axioms) on an in-memory Oxigraph."""
    import pyoxigraph as ox

    from .validate import load_ontology

    ontology = ontology if ontology is not None else load_ontology()
    store = ox.Store()
    chunk: list[str] = []

    def flush() -> None:
        if chunk:
            store.load("\n".join(chunk).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            chunk.clear()

    for source in (triples, ontology):
        for s, p, o in source:
            chunk.append(f"{ntriples_term(s)} {ntriples_term(p)} {ntriples_term(o)} .")
            if len(chunk) >= 200_000:
                flush()
    flush()
    return _run(store, shapes)
