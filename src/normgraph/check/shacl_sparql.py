"""A fast validator for large graphs: the SHACL Core constraints that ``ontology/shapes.ttl``
uses, compiled into SPARQL queries that find the violating nodes, run on Oxigraph.

pySHACL validates a few thousand triples a second, which is fine for the shipped graph and far
too slow for a corpus of ten thousand documents. The shapes stay the single source of truth:
this module reads them and supports exactly these constructs: node shapes with class targets
(implicit ones too) and subjects-of targets; property shapes under ``sh:property`` with one
predicate ``sh:path``, each with any number of ``minCount``, ``maxCount``, ``datatype`` (the
lexical form checked as pySHACL checks it), ``nodeKind sh:IRI``, ``pattern``, ``class``, ``in``
(by term), ``minInclusive``, ``uniqueLang``, ``or`` of class or datatype alternatives, and their
own ``severity``; node-level ``class``/``or``; ``sh:sparql`` SELECT constraints with ``$this``
pre-bound, ``sh:prefixes`` and a ``?path``; ``sh:deactivated``, ``message``. Anything else
(a top-level property shape, a shape with targets not typed ``sh:NodeShape``, other targets,
paths or parameters, ``$currentShape``) raises :class:`UnsupportedShape`, so the two validators
cannot silently disagree; ``tests/check/core`` holds a SHACL Core case per feature, run on both.
The constraints that read only a focus node's own triples can also be checked piece by piece as
a graph loads (:class:`TurtleLoader` with a class hierarchy), with the same SPARQL tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, Namespace

from ..graph.dump import ntriples_term
from .local import Checks, LocalChecker, NodeRules, Rule
from .sparql_form import on_focus, prebind
from .validate import Finding, Report, _short

__all__ = ["UnsupportedShape", "TurtleLoader", "DISK_FROM", "SCRATCH_GRAPHS", "compile_shapes",
           "materialise_focus", "remove_scratch", "validate_turtle", "validate_triples"]

TYPE_PATH = "?{v} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/" \
            "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{c}>"

#: the classes at or below a class, when the whole class hierarchy is known beforehand
Below = Callable[[str], Iterable[str]]


def _is_a(v: str, c: Any, below: Below | None = None) -> str:
    """A pattern true when ``?v`` is an instance of class ``c``: through the data's
    ``rdfs:subClassOf*``, or, given ``below``, one of the classes it names (twice as fast on
    Oxigraph as the path: 3.0 s against 5.3 s for a paragraph's parent at 10,000 documents)."""
    return _is_any(v, [c], below)


def _is_any(v: str, classes: list[Any], below: Below | None = None) -> str:
    """A pattern true when ``?v`` is an instance of one of ``classes`` (see :func:`_is_a`):
    given ``below``, one type test for them all (an ``sh:or`` of classes at 10,000
    documents: 1.8 s against 2.6 s for one test a class)."""
    if below is None:
        return " UNION ".join("{ " + TYPE_PATH.format(v=v, c=c) + " }" for c in classes) \
            if len(classes) > 1 else TYPE_PATH.format(v=v, c=classes[0])
    named = sorted(set().union(*(set(below(str(c))) | {str(c)} for c in classes)))
    return (f"?{v} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?{v}_class "
            f"FILTER(?{v}_class IN ({', '.join(f'<{k}>' for k in named)}))")

XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL_CLASS = URIRef("http://www.w3.org/2002/07/owl#Class")

#: Oxigraph stores a literal of a datatype it interprets (XSD numbers, booleans, dates...) as
#: its value: ``"01"^^xsd:integer`` becomes ``"1"``, ``"5"^^xsd:int`` becomes
#: ``"5"^^xsd:integer``, and the two then are one triple. SHACL Core works on terms (sh:datatype,
#: sh:pattern, sh:in, counts), so the loaders also keep each such literal as written, under the
#: datatype ``LEXICAL + datatype`` that the store does not interpret, in the graph LEXICAL_GRAPH;
#: the core constraints read literal values from there, SPARQL constraints see the data as is
LEXICAL = "urn:x-normgraph:lexical:"
LEXICAL_GRAPH = "urn:x-normgraph:lexical-forms"

#: sh:datatype checks for the interpreted datatypes: the SPARQL cast that accepts exactly the
#: lexical space, and the value range of the derived integer types
_LEXICAL_SPACES: dict[str, tuple[str, int | None, int | None]] = {
    "integer": ("integer", None, None), "decimal": ("decimal", None, None),
    "double": ("double", None, None), "float": ("float", None, None),
    "boolean": ("boolean", None, None), "date": ("date", None, None),
    "dateTime": ("dateTime", None, None), "time": ("time", None, None),
    "duration": ("duration", None, None),
    "long": ("integer", -2**63, 2**63 - 1), "int": ("integer", -2**31, 2**31 - 1),
    "short": ("integer", -2**15, 2**15 - 1), "byte": ("integer", -2**7, 2**7 - 1),
    "unsignedLong": ("integer", 0, 2**64 - 1), "unsignedInt": ("integer", 0, 2**32 - 1),
    "unsignedShort": ("integer", 0, 2**16 - 1), "unsignedByte": ("integer", 0, 2**8 - 1),
    "nonNegativeInteger": ("integer", 0, None), "positiveInteger": ("integer", 1, None),
    "nonPositiveInteger": ("integer", None, 0), "negativeInteger": ("integer", None, -1),
}

_PROPERTY_KEYS = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH.pattern,
                  SH["class"], SH["in"], SH.minInclusive, SH.uniqueLang, SH["or"], SH.message,
                  SH.name, SH.description, SH.deactivated, SH.severity}
_NODE_KEYS = {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.property, SH.severity,
              SH["class"], SH["or"], SH.message, SH.sparql, SH.deactivated, RDFS.label,
              RDFS.comment, RDFS.subClassOf}
_SPARQL_KEYS = {RDF.type, SH.select, SH.message, SH.prefixes, SH.deactivated}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


class UnsupportedShape(ValueError):
    """The shapes use a SHACL construct this validator does not implement."""


def interpreted(datatype: str) -> bool:
    """Whether Oxigraph stores literals of ``datatype`` by value (see :data:`LEXICAL`)."""
    return datatype.startswith(XSD) and datatype != XSD + "string"


def _n3(term: Any) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        if term.datatype is not None and interpreted(str(term.datatype)):
            # compared as a term with the values kept as written
            return f"{_string(str(term))}^^<{LEXICAL}{term.datatype}>"
        return term.n3()
    raise UnsupportedShape(f"unexpected term {term!r} in the shapes")


def _string(text: str) -> str:
    return Literal(text).n3()


def _true(shapes: Graph, node: Any, key: URIRef) -> bool:
    return any(v == Literal(True) for v in shapes.objects(node, key))


def _values(p: str) -> str:
    """A pattern binding ``?v`` to each value of ``?this`` on predicate ``p``: IRIs, blank
    nodes and uninterpreted literals from the data, interpreted literals as written."""
    return (f"{{ ?this {p} ?v FILTER(!isLiteral(?v) || DATATYPE(?v) = <{XSD}string> || "
            f"!STRSTARTS(STR(DATATYPE(?v)), \"{XSD}\")) }} UNION "
            f"{{ GRAPH <{LEXICAL_GRAPH}> {{ ?this {p} ?v }} }}")


def _datatype_test(dt: Any) -> str:
    """True when ``?v`` (a value as written) is a well-formed literal of datatype ``dt``."""
    if not isinstance(dt, URIRef):
        raise UnsupportedShape(f"sh:datatype {dt!r} is not an IRI")
    if dt in (RDFS.Literal, RDFS.Datatype):
        raise UnsupportedShape(f"sh:datatype {dt} is not supported")
    if dt == RDF.langString:
        return "(isLiteral(?v) && LANG(?v) != \"\")"
    if not interpreted(str(dt)):  # xsd:string and datatypes outside XSD: as written
        return f"(isLiteral(?v) && DATATYPE(?v) = <{dt}>)"
    space = _LEXICAL_SPACES.get(str(dt)[len(XSD):])
    if space is None:
        raise UnsupportedShape(f"sh:datatype {dt}: its lexical space is not checked here")
    cast, low, high = space
    value = f"<{XSD}{cast}>(STR(?v))"
    tests = ["isLiteral(?v)", f"DATATYPE(?v) = <{LEXICAL}{dt}>",
             f"COALESCE(isLiteral({value}), false)"]
    if low is not None:
        tests.append(f"COALESCE({value} >= {low}, false)")
    if high is not None:
        tests.append(f"COALESCE({value} <= {high}, false)")
    return "(" + " && ".join(tests) + ")"


#: ``?v`` as the store's value again, for comparisons (sh:minInclusive)
_VALUE = (f"IF(STRSTARTS(STR(DATATYPE(?v)), \"{LEXICAL}\"), STRDT(STR(?v), "
          f"IRI(SUBSTR(STR(DATATYPE(?v)), {len(LEXICAL) + 1}))), ?v)")


def _alternative_parts(shapes: Graph, node: Any) -> list[tuple[str | None, str]]:
    """The members of an sh:or list: (a class, "") or (None, a SPARQL test on ?v)."""
    parts: list[tuple[str | None, str]] = []
    for alt in Collection(shapes, node):
        classes = list(shapes.objects(alt, SH["class"]))
        types = list(shapes.objects(alt, SH.datatype))
        extra = set(shapes.predicates(alt)) - {SH["class"], SH.datatype}
        if extra or len(classes) + len(types) != 1:
            raise UnsupportedShape("sh:or members must each be one sh:class or sh:datatype")
        parts.append((str(classes[0]), "") if classes else (None, _datatype_test(types[0])))
    return parts


def _alternatives(shapes: Graph, node: Any, below: Below | None = None) -> list[str]:
    """SPARQL boolean tests for the members of an sh:or list, on ?v: its classes in one
    ``EXISTS`` (one is an instance of some class or of none), then its other tests."""
    parts = _alternative_parts(shapes, node)
    classes = [c for c, _ in parts if c is not None]
    return (["EXISTS { " + _is_any("v", classes, below) + " }"] if classes else []) + \
        [test for c, test in parts if c is None]


def _or_rule(shapes: Graph, node: Any, kind: str, finding: tuple[str, str, str],
             predicate: str = "") -> Rule:
    """An sh:or as a rule of :mod:`normgraph.check.local`: its classes, and its other tests
    joined as the query joins them."""
    parts = _alternative_parts(shapes, node)
    tests = [test for c, test in parts if c is None]
    return Rule(kind, *finding, predicate=predicate,
                classes=tuple(c for c, _ in parts if c is not None),
                expr=" || ".join(tests) if tests else "")


def check_shapes_graph(shapes: Graph) -> None:
    """Refuse a shapes graph with a shape this validator would not see: a top-level
    ``sh:PropertyShape``, a node with targets or a path that is not where it is looked for
    (a target on a node not typed ``sh:NodeShape``, a path outside an ``sh:property``)."""
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape))
    for shape in shapes.subjects(RDF.type, SH.PropertyShape):
        raise UnsupportedShape(f"{shape}: a top-level sh:PropertyShape (use sh:property "
                               "of a sh:NodeShape)")
    for key in _TARGETS:
        for shape in shapes.subjects(key, None):
            if shape not in nodes:
                raise UnsupportedShape(f"{shape}: has {_short(key)} but is not typed "
                                       "sh:NodeShape")
    owned = set(shapes.objects(None, SH.property))
    for node in shapes.subjects(SH.path, None):
        if node not in owned:
            raise UnsupportedShape(f"{node}: a shape with sh:path outside sh:property")
    for node in owned:
        if (node, RDF.type, SH.PropertyShape) in shapes:
            continue
        if set(shapes.subjects(SH.property, node)) - nodes:
            raise UnsupportedShape(f"{node}: the sh:property of a node not typed sh:NodeShape")


#: the named graph where :func:`_run` materialises each shape's focus nodes once, so that the
#: constraint queries join with a stored set instead of re-deriving it (the type closure) each
#: time; the validated data sit in the default graph and never see it
FOCUS_GRAPH = "urn:x-normgraph:shacl-focus"
FOCUS_OF = "urn:x-normgraph:focus-of"


def _shapes(shapes: Graph) -> list[Any]:
    """The active node shapes, in a stable order."""
    return sorted((s for s in set(shapes.subjects(RDF.type, SH.NodeShape))
                   if not _true(shapes, s, SH.deactivated)), key=str)


#: focus nodes stored per transaction by :func:`materialise_focus`
FOCUS_BATCH = 100_000


def materialise_focus(store: Any, shapes: Graph, only: set[Any] | None = None) -> None:
    """Store each node shape's focus nodes (those ``only`` names, when given) in
    :data:`FOCUS_GRAPH`, :data:`FOCUS_BATCH` at a time. One update per shape held every node
    it inserts in memory until it committed: the paragraphs' shape of a 100,000-document
    graph took about 2.8 GB that way."""
    import pyoxigraph as ox

    graph, focus_of = ox.NamedNode(FOCUS_GRAPH), ox.NamedNode(FOCUS_OF)
    for shape in _shapes(shapes):
        if only is not None and shape not in only:
            continue
        node = ox.NamedNode(str(shape))
        batch = []
        # the focus nodes are read from the data's graph, the batches written to another
        for row in store.query(f"SELECT ?this WHERE {_focus_select(shapes, shape)}"):
            batch.append(ox.Quad(row[0], focus_of, node, graph))
            if len(batch) >= FOCUS_BATCH:
                store.extend(batch)
                batch = []
        if batch:
            store.extend(batch)
        # an on-disk store keeps what was written in RocksDB's write buffers until they are
        # flushed; flushed at once they hold no memory (10,000 documents: 552 -> 315 MB)
        store.flush()


def _targets(shapes: Graph, shape: Any) -> tuple[list[Any], list[Any]]:
    """A node shape's target classes (an implicit one too) and sh:targetSubjectsOf
    predicates."""
    classes = list(shapes.objects(shape, SH.targetClass))
    if any(shapes.triples((shape, RDF.type, c)) for c in (RDFS.Class, OWL_CLASS)):
        classes.append(shape)  # an implicit class target: the shape is also a class
    return classes, list(shapes.objects(shape, SH.targetSubjectsOf))


def _focus_select(shapes: Graph, shape: Any, below: Below | None = None) -> str:
    classes, subjects_of = _targets(shapes, shape)
    targets = [_is_a("this", c, below) for c in classes]
    targets += [f"?this <{p}> [] " for p in subjects_of]
    if not targets:
        raise UnsupportedShape(f"{shape}: no sh:targetClass or sh:targetSubjectsOf")
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(
        "{ " + t + " }" for t in targets) + " } }"


def _sparql_constraint(shapes: Graph, shape: Any, sparql: Any) -> str | None:
    """The SELECT text of a SPARQL-based constraint with its declared prefixes, None when it
    is deactivated."""
    unknown = set(shapes.predicates(sparql)) - _SPARQL_KEYS
    if unknown:
        raise UnsupportedShape(f"{shape}: unsupported {sorted(map(str, unknown))} in sh:sparql")
    if _true(shapes, sparql, SH.deactivated):
        return None
    select = shapes.value(sparql, SH.select)
    if select is None:
        raise UnsupportedShape(f"{shape}: only sh:select SPARQL constraints")
    body = str(select)
    for name in ("currentShape", "shapesGraph", "PATH"):
        if f"${name}" in body:
            raise UnsupportedShape(f"{shape}: ${name} in a SPARQL constraint is not supported")
    declarations = []
    for source in shapes.objects(sparql, SH.prefixes):
        for declare in shapes.objects(source, SH.declare):
            prefix = shapes.value(declare, SH.prefix)
            namespace = shapes.value(declare, SH.namespace)
            if prefix is None or namespace is None:
                raise UnsupportedShape(f"{shape}: an sh:declare without prefix or namespace")
            declarations.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(declarations)) + [body])


def compile_shapes(shapes: Graph, materialised: bool = False,
                   lexical: set[str] | None = None, bounded: bool = False,
                   local: list[NodeRules] | None = None, used: set[Any] | None = None,
                   below: Below | None = None) -> list[tuple[str, str, str, str]]:
    """(query, severity, path, message) for every constraint; each query selects ?this (a
    SPARQL-based constraint may also select ?path, the path of its results).

    With ``materialised``, the queries read each shape's focus nodes from :data:`FOCUS_GRAPH`
    (filled by :func:`materialise_focus`) instead of deriving them. ``lexical``, when known, names
    the predicates with values in :data:`LEXICAL_GRAPH`; the others are read from the data
    alone, which is faster. With ``bounded``, ``sh:maxCount 1`` finds a focus node with two
    different values instead of counting each node's values: about 1.5-2 times slower, but
    Oxigraph then holds no table of every focus node (60-70 MB a query at 10,000 documents,
    against 2-4 MB), so that the memory of a validation on disk does not grow with the
    graph.

    Given a ``local`` list, the constraints that read only a focus node's own triples go
    into it as rules for :class:`normgraph.check.local.LocalChecker` (one
    :class:`~normgraph.check.local.NodeRules` per node shape) instead of becoming queries.
    ``used`` receives the shapes that have queries. ``below``, given when the whole class
    hierarchy is known, names each class's subclasses for the class tests."""
    check_shapes_graph(shapes)
    out: list[tuple[str, str, str, str]] = []
    for shape in _shapes(shapes):
        extra = set(shapes.predicates(shape)) - _NODE_KEYS
        if extra:
            raise UnsupportedShape(f"{shape}: unsupported {sorted(map(str, extra))}")
        severity = _severity(shapes, shape)
        focus = _focus_select(shapes, shape, below)
        if materialised:
            focus = f"GRAPH <{FOCUS_GRAPH}> {{ ?this <{FOCUS_OF}> {_n3(shape)} }}"
        node_message = str(shapes.value(shape, SH.message) or "does not conform")
        rules: list[Rule] | None = None
        if local is not None:
            classes, subjects_of = _targets(shapes, shape)
            node = NodeRules(frozenset(map(str, classes)), frozenset(map(str, subjects_of)))
            local.append(node)
            rules = node.rules
        before = len(out)
        # node-level value constraints: the focus node itself is the value, each one on its own
        finding = (severity, "", node_message)
        if rules is not None:
            rules += [Rule("node", *finding, classes=(str(c),))
                      for c in shapes.objects(shape, SH["class"])]
            rules += [_or_rule(shapes, alt, "node", finding)
                      for alt in shapes.objects(shape, SH["or"])]
        else:
            tests = ["EXISTS { " + _is_a("v", c, below) + " }"
                     for c in shapes.objects(shape, SH["class"])]
            tests += ["(" + " || ".join(_alternatives(shapes, alt, below)) + ")"
                      for alt in shapes.objects(shape, SH["or"])]
            for test in tests:
                out.append((f"SELECT ?this WHERE {{ {focus} BIND(?this AS ?v) "
                            f"FILTER(!{test}) }}", severity, "", node_message))
        for sparql in shapes.objects(shape, SH.sparql):
            body = _sparql_constraint(shapes, shape, sparql)
            if body is None:
                continue
            message = str(shapes.value(sparql, SH.message) or node_message)
            # one query for every focus node where that is the pre-binding; else one a node
            joined = on_focus(body, "this", focus)
            out.append((joined or "FOCUS " + f"SELECT ?this WHERE {{ {focus} }}" + "\n" + body,
                        severity, "", message))
        for prop in shapes.objects(shape, SH.property):
            out.extend(_property(shapes, shape, prop, focus, lexical, bounded, rules, below))
        if used is not None and len(out) > before:
            used.add(shape)
    return out


def _severity(shapes: Graph, shape: Any) -> str:
    """A shape's own severity (a property shape does not take its node shape's)."""
    return str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]


def _ox_term(term: Any) -> Any:
    """A constant of the shapes as the value tests see it (interpreted literals as written,
    under their :data:`LEXICAL` datatype)."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None:
            return ox.Literal(str(term))
        dt = str(term.datatype)
        return ox.Literal(str(term), datatype=ox.NamedNode(lexical_datatype(dt) or dt))
    raise UnsupportedShape(f"unexpected term {term!r} in the shapes")


def _fast_test(shapes: Graph, key: URIRef, value: Any) -> Any:
    """The Python form of a value test that reads only a term's kind, datatype or identity
    (see :class:`normgraph.check.local.Rule`); None for the others."""
    import pyoxigraph as ox

    if key == SH.nodeKind:
        return lambda t: isinstance(t, ox.NamedNode)
    if key == SH["in"]:
        members = frozenset(_ox_term(m) for m in Collection(shapes, value))
        return lambda t: t in members
    if key == SH.datatype and value == RDF.langString:
        return lambda t: isinstance(t, ox.Literal) and bool(t.language)
    if key == SH.datatype and not interpreted(str(value)):
        name = str(value)  # an interpreted value, as written, has a LEXICAL datatype
        return lambda t: isinstance(t, ox.Literal) and t.datatype.value == name
    return None


def _property(shapes: Graph, shape: Any, prop: Any, focus: str,
              lexical: set[str] | None, bounded: bool = False,
              rules: list[Rule] | None = None, below: Below | None = None,
              ) -> list[tuple[str, str, str, str]]:
    """The queries of one property shape: one per constraint parameter value; with
    ``rules``, those of its constraints that read the focus node's own values go there."""
    unknown = set(shapes.predicates(prop)) - _PROPERTY_KEYS
    if unknown:
        raise UnsupportedShape(f"{shape}: unsupported {sorted(map(str, unknown))}")
    if _true(shapes, prop, SH.deactivated):
        return []
    paths = list(shapes.objects(prop, SH.path))
    if len(paths) != 1 or not isinstance(paths[0], URIRef):
        raise UnsupportedShape(f"{shape}: only one predicate path per property shape")
    message = str(shapes.value(prop, SH.message) or "does not conform")
    severity = _severity(shapes, prop)
    p = f"<{paths[0]}>"
    out: list[tuple[str, str, str, str]] = []
    found = _values(p) if lexical is None or str(paths[0]) in lexical else f"?this {p} ?v ."
    finding = (severity, _short(paths[0]), message)
    predicate = str(paths[0])

    def add(query: str) -> None:
        out.append((query, *finding))

    def test(key: URIRef, value: Any, expr: str) -> None:  # the values must pass ``expr``
        if rules is not None:
            rules.append(Rule("values", *finding, predicate=predicate, expr=expr,
                              fast=_fast_test(shapes, key, value)))
        else:
            add(f"SELECT ?this WHERE {{ {focus} {found} FILTER(!({expr})) }}")

    def values(key: URIRef) -> list[Any]:
        return list(shapes.objects(prop, key))

    for low in values(SH.minCount):
        n = int(low)
        if n and rules is not None:
            rules.append(Rule("min", *finding, predicate=predicate, count=n))
        elif n == 1:
            add(f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {p} ?v }} }}")
        elif n > 1:
            add(f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {found} }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})")
    for high in values(SH.maxCount):
        if rules is not None:
            rules.append(Rule("max", *finding, predicate=predicate, count=int(high)))
        elif bounded and int(high) == 1:  # two values that are not the same term
            other = found.replace("?v", "?w")  # the pattern's only variables: ?this, ?v
            add(f"SELECT DISTINCT ?this WHERE {{ {focus} {found} {other} "
                f"FILTER(!sameTerm(?v, ?w)) }}")
        else:
            add(f"SELECT ?this WHERE {{ {focus} {found} }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?v) > {int(high)})")
    for dt in values(SH.datatype):
        test(SH.datatype, dt, _datatype_test(dt))
    for kind in values(SH.nodeKind):
        if kind != SH.IRI:
            raise UnsupportedShape(f"{shape}: only sh:nodeKind sh:IRI")
        test(SH.nodeKind, kind, "isIRI(?v)")
    for pattern in values(SH.pattern):
        test(SH.pattern, pattern,
             f"!isBlank(?v) && REGEX(STR(?v), {_n3(Literal(str(pattern)))})")
    for cls in values(SH["class"]):  # a value's class: read from the value's own triples
        if rules is not None:
            rules.append(Rule("classes", *finding, predicate=predicate, classes=(str(cls),)))
        else:
            add(f"SELECT ?this WHERE {{ {focus} ?this {p} ?v . FILTER NOT EXISTS {{ "
                + _is_a("v", cls, below) + " } }")
    for members in values(SH["in"]):
        terms = [f"sameTerm(?v, {_n3(m)})" for m in Collection(shapes, members)]
        test(SH["in"], members, " || ".join(terms) or "false")
    for minimum in values(SH.minInclusive):
        if not isinstance(minimum, Literal):
            raise UnsupportedShape(f"{shape}: sh:minInclusive {minimum} is not a literal")
        test(SH.minInclusive, minimum, f"COALESCE({_VALUE} >= {minimum.n3()}, false)")
    if any(v == Literal(True) for v in values(SH.uniqueLang)):  # kept a query: rare, cheap
        add(f"SELECT ?this WHERE {{ {focus} ?this {p} ?v . FILTER(LANG(?v) != \"\") }} "
            f"GROUP BY ?this (LANG(?v) AS ?l) HAVING (COUNT(?v) > 1)")
    for alternatives in values(SH["or"]):
        parts = _alternative_parts(shapes, alternatives)
        if rules is not None and all(c is None for c, _ in parts):  # datatypes only
            test(SH["or"], alternatives, " || ".join(t for _, t in parts))
        elif rules is not None and all(c is not None for c, _ in parts):  # classes only
            rules.append(Rule("classes", *finding, predicate=predicate,
                              classes=tuple(c for c, _ in parts if c is not None)))
        else:  # a value's class: a query
            if rules is not None:
                raise UnsupportedShape(f"{shape}: an sh:or of classes and datatypes reads "
                                       "the store's values as written")
            add(f"SELECT ?this WHERE {{ {focus} {found} FILTER(!("
                + " || ".join(_alternatives(shapes, alternatives, below)) + ")) }")
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
    piece is loaded in a transaction, which is fastest; above it, or with ``disk``, the store
    is in a temporary directory, removed by :meth:`close`, and each piece is bulk-loaded into
    it. Given a ``store`` (the build's on-disk local query store), the pieces are bulk-loaded
    into it, piece by piece; its owner keeps it, and once :meth:`finish` (validation on that store,
    so that the graph is loaded once) or :meth:`end` (the load alone) returns, it holds
    exactly the triples fed: the validator's scratch graphs (:data:`SCRATCH_GRAPHS`) are
    removed. Without ``lexical`` the pieces are loaded as they are, with none of the
    validator's lexical forms: for a store that will be queried, not validated.

    Given the class ``hierarchy`` (the ontology: its ``rdfs:subClassOf`` triples) and pieces
    that each hold whole subjects, as a build streams them, the constraints on a focus node's
    own triples, and a value's class (read from the value's own subject, in whatever piece
    it stands), are checked in Python as each piece loads (:mod:`normgraph.check.local`), and
    :meth:`finish` queries the store for the others only (SPARQL constraints,
    ``sh:uniqueLang``), against the ``shapes`` given here. The store then needs no lexical
    forms. With ``apart`` (a :class:`normgraph.check.apart.CheckedApart`), that checking is
    done by a process of its own, and each piece is loaded from its text. At 10,000 documents
    the queries on disk took 66 s for every constraint, 14 s once the node's own triples were
    checked apart, and 2 s once the values' classes were too."""

    def __init__(self, prefixes: str = "", size: int = 0, store: Any = None,
                 lexical: bool = True, disk: bool = False,
                 hierarchy: Graph | None = None, shapes: Graph | None = None,
                 apart: Any = None) -> None:
        import queue
        import tempfile
        import threading

        import pyoxigraph as ox

        from .validate import load_shapes

        self._ox = ox
        self._tmp = None
        self._owned = store is not None
        self._lexical = lexical
        self._shapes = shapes
        self._local: LocalChecker | None = None
        self._apart = apart
        if apart is not None:  # checked in a process of its own (normgraph.check.apart)
            self._shapes = apart.shapes
        elif hierarchy is not None and lexical:
            self._shapes = shapes if shapes is not None else load_shapes()
            self._local = local_checker(self._shapes, hierarchy_pairs(hierarchy))
        if store is not None:  # a store the caller owns (the build's local query store)
            self.store = store
        elif disk or size >= DISK_FROM:
            self._tmp = tempfile.TemporaryDirectory(prefix="normgraph-validate-")
            self.store = ox.Store(self._tmp.name)
        else:
            self.store = ox.Store()
        self.prefixes = prefixes.encode("utf-8")
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        # an on-disk store takes each piece in a bulk load of its own: one bulk load of the
        # whole stream buffers up to about a gigabyte before it writes (Oxigraph's loader
        # default, not settable from Python), a piece at a time holds only that piece
        self._bulk = store is not None or self._tmp is not None
        target = self._bulk_each if self._bulk else self._load
        self._thread = threading.Thread(target=target, name="normgraph-load", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        self._each(self.store.extend)

    def _bulk_each(self) -> None:
        self._each(self.store.bulk_extend)

    def _each(self, add: Any) -> None:
        """Load each piece as it comes with ``add`` (the store's ``extend`` or
        ``bulk_extend``), checking it first when its local constraints are checked here; the
        first error is kept for :meth:`finish` or :meth:`end`."""
        while True:
            chunk = self._queue.get()
            if chunk is None:
                return
            if self._error is not None:
                continue  # drain: the producer must not block
            try:
                data = self.prefixes + chunk.encode("utf-8")
                if self._apart is not None:  # checked apart: loaded from the text as it is
                    load = self.store.bulk_load if self._bulk else self.store.load
                    load(data, format=self._ox.RdfFormat.TURTLE)
                    continue
                quads = self._ox.parse(data, format=self._ox.RdfFormat.TURTLE)
                if self._local is not None:  # its values as written; the store needs none
                    parsed = list(quads)
                    self._local.check(parsed)
                    add(parsed)
                else:
                    add(with_lexical_forms(quads) if self._lexical else quads)
            except BaseException as exc:  # reported by finish() or end()
                self._error = exc

    def feed(self, chunk: str, entries: str | None = None) -> None:
        """Load a piece (whole subject blocks of Turtle, without the ``@prefix`` lines); a
        checker apart reads the same subjects' ``entries`` instead, when given."""
        if self._apart is not None:
            self._apart.send(chunk, entries)
        self._queue.put(chunk)

    def _stop(self) -> None:
        """End the pieces and wait for the loading thread (idempotent)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def close(self) -> None:
        """Stop the loading thread, let go of the store and remove a temporary one
        (idempotent). A caller's on-disk store closes once its owner lets go of it too:
        RocksDB may still be writing in its folder until then."""
        self._stop()
        if self._apart is not None:
            self._apart.close()
        self.store = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def loaded(self) -> None:
        """Wait until every piece is loaded (idempotent); raise what the loading met."""
        self._stop()
        if self._error is not None:
            raise self._error

    def end(self) -> None:
        """Wait until every piece is loaded (raise what the loading met); a caller's store is
        left holding exactly the triples fed."""
        self.loaded()
        self._tidy()

    def finish(self, shapes: Graph | None = None) -> Report:
        """Wait for the load, then validate the store with the compiled shapes; a caller's
        store is left holding exactly the triples fed, whatever the validation met."""
        if not self._lexical:
            raise ValueError("a TurtleLoader made without lexical forms cannot validate")
        checks = self._apart if self._apart is not None else self._local
        if checks is not None and shapes is not None and shapes is not self._shapes:
            raise ValueError("a TurtleLoader that checks pieces as they load validates "
                             "against the shapes it was made with")
        self.loaded()
        try:
            # an on-disk store is validated in bounded memory
            return _run(self.store, shapes if checks is None else self._shapes,
                        bounded=self._owned or self._tmp is not None, local=checks)
        finally:
            self._tidy()

    def _tidy(self) -> None:
        if self._owned and self._lexical:  # without lexical forms, no scratch graph was made
            remove_scratch(self.store)


def hierarchy_pairs(hierarchy: Graph) -> list[tuple[str, str]]:
    """The (class, superclass) pairs of a graph's ``rdfs:subClassOf`` triples between IRIs."""
    return sorted((str(c), str(p)) for c, p in hierarchy.subject_objects(RDFS.subClassOf)
                  if isinstance(c, URIRef) and isinstance(p, URIRef))


def local_checker(shapes: Graph, pairs: Iterable[tuple[str, str]]) -> LocalChecker | None:
    """A :class:`~normgraph.check.local.LocalChecker` for the constraints of ``shapes`` that
    read a focus node's own triples (it also learns the class hierarchy, which the queries of
    the others then use); None when the shapes need the store's values as written (their
    queries then run on lexical forms, see :class:`TurtleLoader`)."""
    rules: list[NodeRules] = []
    try:
        compile_shapes(shapes, local=rules)
    except UnsupportedShape:
        return None
    return LocalChecker(rules, pairs, lexical_datatype)


def lexical_datatype(datatype: str) -> str | None:
    """The datatype under which the core constraints read a literal of ``datatype`` as
    written (:data:`LEXICAL`); None when the store keeps it as written."""
    return LEXICAL + datatype if interpreted(datatype) else None


def with_lexical_forms(quads: Iterable[Any]) -> Iterator[Any]:
    """The quads, each followed, when its object is a literal the store would keep as a value,
    by the same literal as written in :data:`LEXICAL_GRAPH`."""
    import pyoxigraph as ox

    graph = ox.NamedNode(LEXICAL_GRAPH)
    kept: dict[str, Any] = {}
    for quad in quads:
        yield quad
        term = quad.object
        if isinstance(term, ox.Literal) and interpreted(term.datatype.value):
            datatype = kept.get(term.datatype.value)
            if datatype is None:
                datatype = kept[term.datatype.value] = ox.NamedNode(LEXICAL + term.datatype.value)
            yield ox.Quad(quad.subject, quad.predicate, ox.Literal(term.value, datatype=datatype),
                          graph)


#: the graphs the validator adds to the store it runs on: a caller's store (the local query
#: store that users query) must not keep them, or ``GRAPH ?g`` patterns would see them
SCRATCH_GRAPHS = (LEXICAL_GRAPH, FOCUS_GRAPH)


#: quads removed per transaction by :func:`remove_scratch`
REMOVE_BATCH = 100_000


def remove_scratch(store: Any) -> None:
    """Remove the validator's scratch graphs (:data:`SCRATCH_GRAPHS`) from ``store``.

    A batch of :data:`REMOVE_BATCH` quads at a time: one transaction holds every removal in
    memory until it commits (an on-disk store of 10,000 documents: 930 MB and 18.7 s for its
    550,000 lexical forms in one, 570 MB and 10.8 s in batches)."""
    import pyoxigraph as ox

    for name in SCRATCH_GRAPHS:
        quads = f"GRAPH <{name}> {{ ?s ?p ?o }}"
        while store.query(f"ASK {{ {quads} }}"):
            store.update(f"DELETE {{ {quads} }} WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ {quads} }} "
                         f"LIMIT {REMOVE_BATCH} }} }}")
            store.flush()  # the write buffers, emptied (see _run)
        store.remove_graph(ox.NamedNode(name))  # the graph's name, now that it is empty


def _run(store: Any, shapes: Graph | None, bounded: bool = False,
         local: Checks | None = None) -> Report:
    """Validate ``store``; with ``local``, which checked the constraints that read a focus
    node's own triples as the pieces loaded, only the others are queries."""
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph as ox

    from .validate import load_shapes

    shapes = shapes if shapes is not None else load_shapes()
    # the values as written are read from where they are: a store fed beside a LocalChecker
    # holds none, and its queries need none
    lexical = set() if local is not None else {row["p"].value for row in store.query(
        f"SELECT DISTINCT ?p WHERE {{ GRAPH <{LEXICAL_GRAPH}> {{ ?s ?p ?o }} }}")}
    used: set[Any] = set()
    # what the pieces held; this fails unless the LocalChecker knew the whole class
    # hierarchy before it checked them, which the class tests then use too
    found_locally = local.findings() if local is not None else set()
    below = local.below if local is not None else None
    # the focus nodes are stored once for the many queries of every constraint; for the few
    # left beside a LocalChecker, whose class tests need no rdfs:subClassOf* path, finding
    # them in each query is faster than storing them (10,000 documents: 16 s against 25 s)
    stored = local is None
    queries = compile_shapes(shapes, materialised=stored, lexical=lexical, bounded=bounded,
                             local=[] if local is not None else None, used=used, below=below)
    if stored:
        materialise_focus(store, shapes, used)

    def violations(query: str) -> list[tuple[str, str | None]]:
        """(focus node, the ?path a SPARQL constraint selects, if any) of each result."""
        if query.startswith("FOCUS "):  # a SPARQL constraint, evaluated on the focus nodes
            # SHACL pre-binds $this: each focus node is put in the query's text in its place
            # (Oxigraph's own substitutions filter the unbound results: 1,000 times slower)
            focus_query, body = query[len("FOCUS "):].split("\n", 1)
            out: list[tuple[str, str | None]] = []
            for node in [row["this"] for row in store.query(focus_query)]:
                if isinstance(node, ox.BlankNode):  # a label in a query is a variable
                    rows = store.query(body, substitutions={ox.Variable("this"): node})
                else:
                    rows = store.query(prebind(body, "this", str(node)))
                out.extend(_results(rows, node))
            return out
        return _results(store.query(query))

    # Oxigraph evaluates queries without the GIL: two at a time use two cores
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(violations, (q for q, *_ in queries)))
    findings = {Finding(severity, node, path if found_path is None else found_path, message)
                for (_q, severity, path, message), nodes in zip(queries, found, strict=True)
                for node, found_path in nodes}
    findings |= found_locally
    return Report(sorted(findings, key=lambda f: (f.severity != "Violation", f.focus, f.path,
                                                  f.message)))


def _results(rows: Any, node: Any = None) -> list[tuple[str, str | None]]:
    """(focus node, the ?path a SPARQL constraint selects, if any) of each solution: the
    node is ``node`` (a pre-bound query) or each solution's ``?this``."""
    import pyoxigraph as ox

    named = {v.value for v in rows.variables}
    out: list[tuple[str, str | None]] = []
    for row in rows:
        path = row["path"] if "path" in named else None
        out.append((str((node if node is not None else row["this"]).value),
                    _short(URIRef(path.value)) if isinstance(path, ox.NamedNode) else None))
    return out


def _nt(term: Any) -> str:
    """A term in N-Triples; blank nodes too (a graph to validate may have them, unlike the
    dump)."""
    if isinstance(term, BNode):
        return "_:b" + "".join(c if c.isalnum() else f"_{ord(c):x}" for c in str(term))
    return ntriples_term(term)


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
            store.extend(with_lexical_forms(ox.parse("\n".join(chunk).encode("utf-8"),
                                                     format=ox.RdfFormat.N_TRIPLES)))
            chunk.clear()

    for source in (triples, ontology):
        for s, p, o in source:
            chunk.append(f"{_nt(s)} {_nt(p)} {_nt(o)} .")
            if len(chunk) >= 200_000:
                flush()
    flush()
    return _run(store, shapes)
