"""What a query takes and gives, whichever store answers it: RDF terms to bind
(:class:`Term`), rows (:class:`Result`), the one error a store raises, and how a binding joins
a query (a ``VALUES`` block). No imports beyond the standard library, so the query catalogue
and every store share these without importing each other.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

__all__ = ["StoreError", "Term", "Result", "Selects", "bind_values", "in_group", "IRI",
           "python_value", "without_order"]

XSD = "http://www.w3.org/2001/XMLSchema#"
#: the XSD integer types (xsd:integer and the types derived from it)
_INTEGERS = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}


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
    """Rows of a SELECT query: each value the IRI or the literal's lexical form, or None.
    ``datatypes`` (when the store reported them) has, for each row, each literal's datatype
    IRI; :meth:`typed` turns the rows into Python values with it."""

    columns: list[str]
    rows: list[dict[str, str | None]] = field(default_factory=list)
    datatypes: list[dict[str, str | None]] = field(default_factory=list)

    def column(self, name: str) -> list[str | None]:
        """The values of one column, row by row."""
        return [r.get(name) for r in self.rows]

    def typed(self) -> list[dict[str, Any]]:
        """The rows with each literal as the Python value of its datatype (see
        :func:`python_value`); IRIs and plain strings stay strings.

        >>> Result(["d"], [{"d": "2020-12-31"}], [{"d": XSD + "date"}]).typed()
        [{'d': datetime.date(2020, 12, 31)}]
        """
        types = self.datatypes or [{} for _ in self.rows]
        return [{c: python_value(row.get(c), kinds.get(c)) for c in self.columns}
                for row, kinds in zip(self.rows, types, strict=True)]


def python_value(value: str | None, datatype: str | None) -> Any:
    """A literal's lexical form as the Python value of its XSD datatype: ``xsd:date`` as a
    :class:`datetime.date`, ``xsd:dateTime`` as a :class:`datetime.datetime`, the integer
    types as ``int``, ``xsd:decimal`` as :class:`~decimal.Decimal`, ``xsd:double`` and
    ``xsd:float`` as ``float``, ``xsd:boolean`` as ``bool``. Anything else, or a lexical form
    that is not valid for its datatype, stays the string it was (never a wrong value).

    >>> python_value("42", XSD + "integer"), python_value("x", XSD + "integer")
    (42, 'x')
    """
    if value is None or datatype is None:
        return value
    try:
        if datatype in _INTEGERS and re.fullmatch(r"[+-]?\d+", value):
            return int(value)
        if datatype == XSD + "date" and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            return datetime.date.fromisoformat(value)
        if datatype == XSD + "dateTime":
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if datatype == XSD + "decimal":
            return Decimal(value)
        if datatype in (XSD + "double", XSD + "float"):
            return float(value)
        if datatype == XSD + "boolean" and value in ("true", "false", "1", "0"):
            return value in ("true", "1")
    except (ValueError, InvalidOperation):
        pass
    return value


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
    return in_group(query, block)


def in_group(query: str, text: str) -> str:
    """The query with ``text`` (a ``VALUES`` block, a ``FILTER``: SPARQL text made by the
    caller, never raw user text) at the start of its outermost group."""
    m = re.search(r"\bWHERE\s*\{", query, re.IGNORECASE)
    if m is None:
        m = re.search(r"\{", query)
    if m is None:
        raise ValueError("the query has no group to bind parameters in")
    return query[: m.end()] + text + query[m.end():]


def without_order(query: str) -> str:
    """The query without its final ``ORDER BY`` (for a caller that sorts the rows itself);
    unchanged when it has none, or a ``LIMIT`` or ``OFFSET`` after it (which pick rows by
    that order)."""
    m = re.search(r"\}\s*ORDER\s+BY\b([^{}]*)$", query, re.IGNORECASE)
    if m is None or re.search(r"\b(?:LIMIT|OFFSET)\b", m.group(1), re.IGNORECASE):
        return query
    return query[: m.start() + 1] + "\n"
