"""What a query takes and gives, whichever store answers it: RDF terms to bind
(:class:`Term`), rows (:class:`Result`), the one error a store raises, and how a binding joins
a query (a ``VALUES`` block). No imports beyond the standard library, so the query catalogue
and every store share these without importing each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["StoreError", "Term", "Result", "Selects", "bind_values", "IRI"]


class StoreError(RuntimeError):
    """A store could not answer: one line for the user."""


@dataclass(frozen=True)
class Term:
    """An RDF term to bind to a query variable: an IRI, or a literal with a datatype."""

    value: str
    kind: str = "iri"  # "iri" | "literal"
    datatype: str | None = None

    def __post_init__(self) -> None:
        if self.kind == "iri" and not IRI.fullmatch(self.value):
            raise ValueError(f"not a valid IRI: {self.value[:80]!r}")
        if self.kind not in ("iri", "literal"):
            raise ValueError(f"unknown term kind {self.kind!r}")
        if self.datatype is not None and not IRI.fullmatch(self.datatype):
            raise ValueError(f"not a valid datatype IRI: {self.datatype!r}")

    def sparql(self) -> str:
        """The term in SPARQL syntax (IRIs were validated; literals are escaped)."""
        if self.kind == "iri":
            return f"<{self.value}>"
        escaped = (self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                   .replace("\r", "\\r"))
        return f'"{escaped}"' + (f"^^<{self.datatype}>" if self.datatype else "")


# an absolute IRI without the characters SPARQL forbids inside <...>
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")


@dataclass
class Result:
    """Rows of a SELECT query: each value the IRI or the literal's lexical form, or None."""

    columns: list[str]
    rows: list[dict[str, str | None]] = field(default_factory=list)

    def column(self, name: str) -> list[str | None]:
        return [r.get(name) for r in self.rows]


class Selects(Protocol):
    """Anything that answers a SPARQL query with bound parameters: the local store or a
    remote endpoint."""

    def select(self, query: str, params: dict[str, Term] | None = None) -> Result: ...


def bind_values(query: str, params: dict[str, Term]) -> str:
    """The query with a ``VALUES`` block for ``params`` at the start of its outermost group.
    Values are serialised RDF terms (see :class:`Term`), never raw user text."""
    if not params:
        return query
    for name in params:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"not a variable name: {name!r}")
    names = sorted(params)
    block = (" VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
             + " ".join(params[n].sparql() for n in names) + ") } ")
    m = re.search(r"\bWHERE\s*\{", query, re.IGNORECASE)
    if m is None:
        m = re.search(r"\{", query)
    if m is None:
        raise ValueError("the query has no group to bind parameters in")
    return query[: m.end()] + block + query[m.end():]
