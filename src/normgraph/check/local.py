"""The SHACL Core constraints that read only a focus node's own triples, checked in Python on
each piece of a graph as it is loaded, instead of by queries on the whole store afterwards.

A constraint is *local* when its answer for a focus node depends on nothing but the node's own
triples (its types included) and the ontology's class hierarchy: counts, ``sh:datatype``,
``sh:nodeKind``, ``sh:pattern``, ``sh:in``, ``sh:minInclusive``, an ``sh:or`` of datatypes, and
a node shape's own ``sh:class``; and a value's class (``sh:class``, an ``sh:or`` of classes on
a property), read from the value's own types wherever its subject stands in the pieces. The
others (SPARQL constraints, ``sh:uniqueLang``) stay queries on the store:
:mod:`normgraph.check.shacl_sparql` compiles the shapes into both and decides which is which.

The rules give the same findings as the queries because they are the same tests: each value
test is the SPARQL expression the query would filter on, evaluated by Oxigraph on the value as
written (once per distinct value); only tests that read no more than a term's kind or
datatype are answered in Python. Each piece must hold whole subjects, which the caller
promises (a streamed build's pieces are whole subject blocks); that the class hierarchy was
known before the pieces that needed it is checked by :class:`LocalChecker`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..graph.dump import lexical_form, rendered_iri
from .validate import Finding

__all__ = ["Checks", "LocalChecker", "NodeRules", "RenderedTerms", "Rule"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"

#: distinct (test, value) answers kept before the cache starts again
CACHE_LIMIT = 200_000
#: values asked of Oxigraph in one query
BATCH = 1_000


class RenderedTerms:
    """What the dump's writer's rendered text of a term stands for (see
    :mod:`normgraph.graph.dump`): a predicate's IRI, an object's pyoxigraph term. A prefixed
    name is read with ``namespaces`` (prefix: namespace); ``<...>`` is an IRI; ``"..."``
    a literal, with ``@language`` or ``^^datatype``; a bare integer is an ``xsd:integer``.
    IRIs are remembered, up to :data:`CACHE_LIMIT` texts."""

    def __init__(self, namespaces: dict[str, str]) -> None:
        import pyoxigraph as ox

        self._ox = ox
        self._namespaces = namespaces
        self._iris: dict[str, str] = {}
        self._integer = ox.NamedNode(XSD_INTEGER)

    def iri(self, text: str) -> str:
        found = self._iris.get(text)
        if found is None:
            found = rendered_iri(text, self._namespaces)
            if len(self._iris) >= CACHE_LIMIT:
                self._iris.clear()
            self._iris[text] = found
        return found

    def term(self, text: str) -> Any:
        ox = self._ox
        if text.startswith('"'):
            end = text.rindex('"')
            value, rest = lexical_form(text[1:end]), text[end + 1 :]
            if rest.startswith("@"):
                return ox.Literal(value, language=rest[1:])
            if rest.startswith("^^"):
                return ox.Literal(value, datatype=ox.NamedNode(self.iri(rest[2:])))
            return ox.Literal(value)
        if text[:1].isdigit() or text[:1] in "+-":
            return ox.Literal(text, datatype=self._integer)
        return ox.NamedNode(self.iri(text))


@dataclass(frozen=True)
class Rule:
    """One constraint of a node shape: ``min``/``max`` (a count of the distinct values of
    ``predicate``), ``values`` (every value of ``predicate`` passes the test), ``classes``
    (every value of ``predicate`` is an instance of one of ``classes``, through the type
    closure of the value's own subject) or ``node`` (the focus node passes the test); its
    finding's severity, path and message.

    A term passes the test when it is an instance of one of ``classes`` (a focus node, through
    its type closure), or when SPARQL's ``FILTER(!(expr))`` drops it (bound as ``?v``: what
    the query finds is what fails). ``fast``, when given, answers the same in Python, for a
    test that reads only a term's kind or datatype."""

    kind: str
    severity: str
    path: str
    message: str
    predicate: str = ""
    count: int = 0
    classes: tuple[str, ...] = ()
    expr: str = ""
    fast: Callable[[Any], bool] | None = None


@dataclass(eq=False)
class NodeRules:
    """A node shape's targets and the rules checked here."""

    classes: frozenset[str]
    subjects_of: frozenset[str]
    rules: list[Rule] = field(default_factory=list)


class Checks(Protocol):
    """What validation on the store needs of whatever checked the pieces: its findings (which
    raise what it met), then the class hierarchy it knew."""

    def findings(self) -> set[Finding]: ...

    def below(self, cls: str) -> frozenset[str]: ...


class LocalChecker:
    """Checks pieces of a graph against :class:`NodeRules`, gathering the findings.

    Each piece must hold every triple of each of its subjects (as a streamed build feeds its
    subject blocks). A focus node's classes are read through ``rdfs:subClassOf`` triples: those
    of ``hierarchy`` and those of the pieces, each known before the piece that holds it is
    checked; one that comes after a piece already checked is an error at :meth:`findings`."""

    def __init__(self, shapes: list[NodeRules], hierarchy: Iterable[tuple[str, str]],
                 lexical: Callable[[str], str | None]) -> None:
        import pyoxigraph as ox

        self._ox = ox
        self._shapes = [s for s in shapes if s.rules]
        #: the datatype under which a literal of a datatype is read as written (None: as is)
        self._lexical = lexical
        self._as_written: dict[str, Any] = {}  # a datatype: its lexical one, or False
        self._parents: dict[str, set[str]] = {}
        for child, parent in hierarchy:
            self._parents.setdefault(child, set()).add(parent)
        self._closure: dict[str, frozenset[str]] = {}
        self._applies: dict[tuple[str, ...],
                            tuple[set[str], set[NodeRules], list[Rule]]] = {}
        self._checked = False
        self._late: tuple[str, str] | None = None
        self._found: set[Finding] = set()
        #: for the rules on a value's class: the classes of each subject met (by its key, see
        #: _key), and the (rule, focus node) tests waiting for a value not met yet
        self._value_classes = any(r.kind == "classes" for s in self._shapes for r in s.rules)
        self._classes_of: dict[int, set[str]] = {}
        self._waiting: dict[int, list[tuple[Rule, str]]] = {}
        self._scratch = ox.Store()  # evaluates the value tests, holds nothing
        self._predicates: dict[str, str] = {}  # see check_entries
        self._values: dict[str, Any] = {}
        self._queries: dict[str, str] = {}
        self._answers: dict[tuple[str, Any], bool] = {}
        self._subjects_of = frozenset().union(*(s.subjects_of for s in self._shapes))
        self._by_predicate = [s for s in self._shapes if s.subjects_of]
        #: the predicates anything here reads: a triple of another is not even held
        self._read = frozenset({RDF_TYPE, SUBCLASS, *self._subjects_of,
                                *(r.predicate for s in self._shapes for r in s.rules)})
        #: the tests asked of Oxigraph: of the values of a predicate, and of focus nodes
        self._tests_of: dict[str, set[str]] = {}
        self._node_tests: set[str] = set()
        for shape in self._shapes:
            for r in shape.rules:
                if r.expr and r.fast is None and r.kind == "values":
                    self._tests_of.setdefault(r.predicate, set()).add(r.expr)
                elif r.expr and r.fast is None and r.kind == "node":
                    self._node_tests.add(r.expr)

    def check(self, quads: Iterable[Any]) -> None:
        """Check a piece: the triples (pyoxigraph quads) of whole subjects."""
        own: dict[Any, dict[str, list[Any]]] = {}  # each value as the constraints read it
        read, written = self._read, self._written
        for quad in quads:
            p = quad.predicate.value
            if p not in read:
                continue
            subject = quad.subject
            values = own.get(subject)
            if values is None:
                values = own[subject] = {}
            found = values.get(p)
            if found is None:
                values[p] = [written(quad.object)]
            else:
                found.append(written(quad.object))
            if p == SUBCLASS and isinstance(quad.object, self._ox.NamedNode):
                self._learn(subject.value, quad.object.value)
        self._check_own(own)

    def check_entries(self, text: str, terms: RenderedTerms) -> None:
        """Check a piece given as entries (:func:`normgraph.graph.dump.subject_entries`: a
        line a subject, whole), their terms as the dump's writer renders them: only the
        values of the predicates read here become terms, and no Turtle is parsed."""
        own: dict[Any, dict[str, list[Any]]] = {}
        named = self._ox.NamedNode
        # a predicate's text: its IRI if it is read here, else ""; a value's text: its term
        # as the constraints read it (both kept up to CACHE_LIMIT texts)
        predicates, values_of = self._predicates, self._values
        for line in text.split("\n"):
            if not line:
                continue
            parts = line.split("\t")
            values: dict[str, list[Any]] | None = None
            for shown, written in zip(parts[1::2], parts[2::2], strict=True):
                p = predicates.get(shown)
                if p is None:
                    p = terms.iri(shown)
                    p = predicates[shown] = p if p in self._read else ""
                if not p:
                    continue
                value = values_of.get(written)
                if value is None:
                    if len(values_of) >= CACHE_LIMIT:
                        values_of.clear()
                    value = values_of[written] = self._written(terms.term(written))
                if values is None:
                    values = own.setdefault(named(parts[0]), {})
                found = values.get(p)
                if found is None:
                    values[p] = [value]
                else:
                    found.append(value)
                if p == SUBCLASS and isinstance(value, named):
                    self._learn(parts[0], value.value)
        self._check_own(own)

    def _check_own(self, own: dict[Any, dict[str, list[Any]]]) -> None:
        """Check the subjects of a piece: each with its values, by predicate."""
        self._checked = True
        self._ask_together(own)
        # every subject's classes first: the rules on a value's class may read them
        checked: list[tuple[Any, dict[str, list[Any]], tuple[set[str], set[NodeRules],
                                                                list[Rule]]]] = []
        met = self._met if self._value_classes else None
        for subject, values in own.items():
            types = values.get(RDF_TYPE)
            if types is None and self._subjects_of.isdisjoint(values):
                continue
            applies = self._shapes_of(types or ())
            if met is not None and types is not None:
                met(subject, applies[0])
            checked.append((subject, values, applies))
        for subject, values, (classes, by_class, rules) in checked:
            more = [r for shape in self._by_predicate if shape not in by_class
                    and not shape.subjects_of.isdisjoint(values) for r in shape.rules]
            for rule in (rules + more) if more else rules:
                if not self._passes(rule, subject, values, classes):
                    self._found.add(Finding(rule.severity, str(subject.value), rule.path,
                                            rule.message))

    def _ask_together(self, own: dict[Any, dict[str, list[Any]]]) -> None:
        """Answer the piece's value tests ahead, one query per test for up to
        :data:`BATCH` values (``VALUES``) instead of one per value. Every value a test may
        be asked of is sent, whether or not its node's shapes ask it: a test's answer does
        not depend on who asks. A value a batch cannot carry (a blank node) is left to be
        asked alone, as is any batch Oxigraph refuses."""
        asked: dict[str, dict[Any, None]] = {}
        for subject, values in own.items():
            for expr in self._node_tests:
                asked.setdefault(expr, {})[subject] = None
            for p, found in values.items():
                for expr in self._tests_of.get(p, ()):
                    asked.setdefault(expr, {}).update(dict.fromkeys(found))
        answers = self._answers
        for expr, terms in asked.items():
            todo = [t for t in terms
                    if type(t) is not self._ox.BlankNode and (expr, t) not in answers]
            for at in range(0, len(todo), BATCH):
                chunk = todo[at : at + BATCH]
                rows = " ".join(f"({i} {t})" for i, t in enumerate(chunk))
                query = f"SELECT ?i WHERE {{ VALUES (?i ?v) {{ {rows} }} FILTER(!({expr})) }}"
                try:
                    solutions = self._scratch.query(query)
                except SyntaxError:
                    continue
                assert isinstance(solutions, self._ox.QuerySolutions)  # a SELECT's answer
                failing = {int(row[0].value) for row in solutions}
                if len(answers) + len(chunk) > CACHE_LIMIT:
                    answers.clear()
                for i, t in enumerate(chunk):
                    answers[(expr, t)] = i not in failing

    def _shapes_of(self, types: Iterable[Any]
                   ) -> tuple[set[str], set[NodeRules], list[Rule]]:
        """The classes a node of these types is, the shapes that target one of them, and
        their rules."""
        key = tuple(t.value for t in types if isinstance(t, self._ox.NamedNode))
        known = self._applies.get(key)
        if known is None:
            classes: set[str] = set()
            for t in key:
                classes |= self._ancestors(t)
            shapes = [s for s in self._shapes if not s.classes.isdisjoint(classes)]
            known = self._applies[key] = (classes, set(shapes),
                                          [r for s in shapes for r in s.rules])
        return known

    def findings(self) -> set[Finding]:
        """What the pieces broke. A value still waiting was never met as a subject with a
        type, so it is an instance of no class."""
        if self._late is not None:
            child, parent = self._late
            raise ValueError(f"<{child}> rdfs:subClassOf <{parent}> came after pieces already "
                             "checked without it: give the class hierarchy before the pieces")
        return self._found | {Finding(rule.severity, focus, rule.path, rule.message)
                              for waiting in self._waiting.values()
                              for rule, focus in waiting}

    def _key(self, term: Any) -> int | None:
        """What a subject or value is known by in the class table: a 64-bit hash of its IRI
        (pyoxigraph's, which reads the term's text without making a Python string) or of its
        blank node label, so that the table of a large graph's subjects holds no strings (two
        of a graph's IRIs sharing a hash, about one chance in five million for 2.6 million
        subjects, would let one be read with the other's classes); None for a literal, which
        is an instance of no class."""
        kind = type(term)
        if kind is self._ox.NamedNode:
            return hash(term)
        if kind is self._ox.BlankNode:
            return hash(("_:", term.value))
        return None

    def _met(self, subject: Any, classes: set[str]) -> None:
        """A typed subject met: its classes noted, and the tests waiting for it answered."""
        key = self._key(subject)
        if key is None:
            return
        self._classes_of[key] = classes
        for rule, focus in self._waiting.pop(key, ()):
            if classes.isdisjoint(rule.classes):
                self._found.add(Finding(rule.severity, focus, rule.path, rule.message))

    def _classes_pass(self, rule: Rule, subject: Any, found: Iterable[Any]) -> bool:
        """Whether every value is an instance of one of the rule's classes, as far as known:
        a value whose subject was not met yet waits for it (see :meth:`_met`)."""
        ok = True
        for value in found:
            key = self._key(value)
            if key is None:
                return False
            classes = self._classes_of.get(key)
            if classes is None:
                self._waiting.setdefault(key, []).append((rule, str(subject.value)))
            elif classes.isdisjoint(rule.classes):
                ok = False
        return ok

    def hierarchy(self) -> list[tuple[str, str]]:
        """The (class, superclass) pairs known: those given and those met in the pieces."""
        return sorted((c, p) for c, parents in self._parents.items() for p in parents)

    def below(self, cls: str) -> frozenset[str]:
        """``cls`` and every class known to be a subclass of it."""
        return frozenset(c for c in self._parents if cls in self._ancestors(c)) | {cls}

    def _learn(self, child: str, parent: str) -> None:
        known = self._parents.setdefault(child, set())
        if parent in known:
            return
        known.add(parent)
        self._closure.clear()
        self._applies.clear()
        if self._checked and self._late is None:
            self._late = (child, parent)

    def _ancestors(self, cls: str) -> frozenset[str]:
        """``cls`` and every class it is a subclass of."""
        found = self._closure.get(cls)
        if found is None:
            seen = {cls}
            todo = [cls]
            while todo:
                for parent in self._parents.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            found = self._closure[cls] = frozenset(seen)
        return found

    def _written(self, term: Any) -> Any:
        """A value as the constraints read it: a literal the store would keep by value, as
        written under its lexical datatype."""
        if type(term) is not self._ox.Literal:
            return term
        dt = term.datatype.value
        lexical: Any = self._as_written.get(dt)
        if lexical is None:
            name = self._lexical(dt)
            lexical = self._as_written[dt] = self._ox.NamedNode(name) if name else False
        return self._ox.Literal(term.value, datatype=lexical) if lexical else term

    def _passes(self, rule: Rule, subject: Any, values: dict[str, list[Any]],
                classes: set[str]) -> bool:
        kind = rule.kind
        if kind == "node":
            return self._test(rule, subject, classes)
        found = values.get(rule.predicate, ())
        if kind == "classes":
            return self._classes_pass(rule, subject, found)
        if kind == "values":  # a value is no focus node: only its test decides
            if not rule.expr:
                return not found
            if rule.fast is not None:
                return all(map(rule.fast, found))
            answers, expr = self._answers, rule.expr
            for term in found:
                answer = answers.get((expr, term))
                if answer is None:
                    answer = self._evaluate(expr, term)
                if not answer:
                    return False
            return True
        n = len(found)
        if kind == "max":  # the distinct values, counted only when there may be too many
            return n <= rule.count or len(set(found)) <= rule.count
        return n >= rule.count and (rule.count <= 1 or len(set(found)) >= rule.count)

    def _test(self, rule: Rule, term: Any, classes: set[str]) -> bool:
        if any(c in classes for c in rule.classes):
            return True
        if not rule.expr:
            return False
        if rule.fast is not None:
            return rule.fast(term)
        answer = self._answers.get((rule.expr, term))
        return self._evaluate(rule.expr, term) if answer is None else answer

    def _evaluate(self, expr: str, term: Any) -> bool:
        """Whether ``term`` passes the test ``expr``, asked of Oxigraph and remembered."""
        query = self._queries.get(expr)
        if query is None:  # what the store's query filters on, negated the same way
            query = self._queries[expr] = f"SELECT ?v WHERE {{ FILTER(!({expr})) }}"
        rows = self._scratch.query(query, substitutions={self._ox.Variable("v"): term})
        answer = not any(True for _ in rows)  # type: ignore[union-attr]
        if len(self._answers) >= CACHE_LIMIT:
            self._answers.clear()
        self._answers[(expr, term)] = answer
        return answer
