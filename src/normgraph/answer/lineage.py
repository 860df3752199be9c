"""Lineage: the chain of instruments an instrument builds on (``up``) or that build on it
(``down``), each link with its relation and the paragraph that states it.

The links come from the local store's link index (the canned ``links`` query, kept beside the
store) or, on a remote endpoint, from the canned ``lineage`` / ``descendants`` queries; this
module walks them breadth-first from the root (to honour ``depth``) and renders the result as
a tree, a table, the stable JSON interface, CSV, Markdown, Graphviz DOT, Mermaid or Turtle.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from ..store.triplestore import Store, open_store
from .render import render_rows, shorten
from .resolve import full_symbol

__all__ = ["Instrument", "Link", "Lineage", "lineage", "FORMATS", "PLAIN", "render"]

FORMATS = ("tree", "table", "json", "csv", "md", "dot", "mermaid", "ttl")

#: the relation of a mention no clause verb types (a plain reference, or one printed only in
#: a footnote): the readable formats summarise these unless asked for all links
PLAIN = "refers to"


@dataclass(frozen=True)
class Instrument:
    """An instrument met on the way: its symbol, type, title and date of adoption."""

    symbol: str
    type: str | None = None
    title: str | None = None
    date: datetime.date | None = None


@dataclass(frozen=True)
class Link:
    """One typed reference: ``source`` cites ``target`` with ``relation`` in its paragraph
    ``paragraph`` (the ``ordinal``-th paragraph of the source), with the verb and the date of
    the cited instrument as the paragraph states them."""

    source: str  # the citing instrument's symbol
    relation: str
    target: str  # the cited instrument's symbol
    paragraph: str
    ordinal: int = 0
    verb: str | None = None
    cited_date: datetime.date | None = None


def _date(text: str | None) -> datetime.date | None:
    """An ISO date as the store gives it, or None (a malformed one is never guessed)."""
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _iso(date: datetime.date | None) -> str | None:
    return date.isoformat() if date else None


@dataclass
class Lineage:
    root: str
    direction: str
    instruments: dict[str, Instrument] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    depth: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The stable interface of ``normgraph lineage --format json``."""
        return {
            "root": self.root,
            "direction": self.direction,
            "instruments": [
                {"symbol": i.symbol, "type": i.type, "title": i.title, "date": _iso(i.date)}
                for i in sorted(self.instruments.values(),
                                key=lambda i: (self.depth.get(i.symbol, 0), i.symbol))
            ],
            "links": [
                {"from": lk.source, "relation": lk.relation, "to": lk.target,
                 "paragraph": lk.paragraph}
                for lk in self.links
            ],
        }


def lineage(store: Store | str, symbol: str | None = None, direction: str = "up",
            depth: int | None = None, relations: set[str] | None = None) -> Lineage:
    """The lineage of an instrument, the symbol written as a user writes it ('80/16',
    'A/RES/80/16', '77/512' for a decision). ``depth`` limits the number of links from the
    root; ``relations`` keeps only links of those relation names. ``store`` may be left out
    (``lineage("80/16")``): the local store over the default dump answers.

    The local store answers from its link index (the canned ``links`` query, kept beside the
    store); a remote endpoint runs the canned ``lineage`` or ``descendants`` query. Both give
    the same result (tested). Raises :class:`~normgraph.read.symbols.SymbolError` for a
    malformed symbol and :class:`~normgraph.answer.resolve.UnknownSymbol` for one the graph
    does not hold.

    >>> from normgraph import api
    >>> up = api.lineage("80/16", depth=1)                        # doctest: +SKIP
    >>> up.links[0].relation, up.instruments["A/RES/75/240"].date  # doctest: +SKIP
    ('recalls', datetime.date(2020, 12, 31))
    """
    if isinstance(store, str):
        symbol, store = store, open_store()
    if symbol is None:
        raise TypeError("lineage() needs a symbol")
    if direction not in ("up", "down"):
        raise ValueError("direction is 'up' or 'down'")
    symbol = full_symbol(store, symbol)
    index = getattr(store, "link_index", None)
    if callable(index):
        found = index()
        cards, links = _cards(found["instruments"]), found["links"]
    else:
        cards, links = _from_rows(store, symbol, direction)
    return _walk(symbol, direction, depth, relations, cards, links)


def _cards(rows: list[list[str | None]]) -> dict[str, list[str | None]]:
    """symbol -> (symbol, type, date, title), preferring a row with a title."""
    cards: dict[str, list[str | None]] = {}
    for row in rows:
        if not row[0]:
            continue
        known = cards.get(row[0])
        if known is None or (known[3] is None and row[3] is not None):
            cards[row[0]] = row  # type: ignore[index]
    return cards


def _from_rows(store: Store, symbol: str, direction: str
               ) -> tuple[dict[str, list[str | None]], list[list[str | None]]]:
    from ..store.catalogue import run

    result = run(store, "lineage" if direction == "up" else "descendants", {"root": symbol})
    rows: list[list[str | None]] = []
    links: list[list[str | None]] = []
    for r in result.rows:
        for kind in ("from", "to"):
            rows.append([r[f"{kind}Symbol"], r.get(f"{kind}Type"), r.get(f"{kind}Date"),
                         r.get(f"{kind}Title")])
        links.append([r["fromSymbol"], r.get("relation"), r["toSymbol"], r["paragraph"],
                      r["ordinal"], r.get("verb"), r.get("citedDate")])
    cards = _cards(rows)
    if symbol not in cards:  # no links: the root's own card
        card = run(store, "instrument", {"instrument": symbol}).rows
        if card and card[0].get("symbol"):
            r = card[0]
            cards[symbol] = [symbol, r.get("type"), r.get("date"), r.get("title")]
    return cards, links


def _walk(symbol: str, direction: str, depth: int | None, relations: set[str] | None,
          cards: dict[str, list[str | None]], links: list[list[str | None]]) -> Lineage:
    """Breadth-first from the root along the links (cited ones ``up``, citing ones
    ``down``), so that each instrument sits at its shortest distance. ``links`` are rows of
    the ``links`` query's columns; only the ones walked become :class:`Link` objects."""
    def instrument(sym: str) -> Instrument:
        card = cards.get(sym)
        return Instrument(sym, card[1], card[3], _date(card[2])) if card else Instrument(sym)

    out = Lineage(symbol, direction)
    edges: dict[str, list[list[str | None]]] = defaultdict(list)
    end = 0 if direction == "up" else 2
    for row in links:
        if row[0] and row[2] and row[1] and not (relations and row[1] not in relations):
            edges[row[end]].append(row)  # type: ignore[index]
    out.instruments[symbol] = instrument(symbol)
    out.depth[symbol] = 0
    frontier = [symbol]
    seen_links: set[Link] = set()
    level = 0
    while frontier and (depth is None or level < depth):
        level += 1
        nxt: list[str] = []
        for node in frontier:
            # rows without a source, relation or target were left out of ``edges`` above
            walked = [Link(str(src), str(rel), str(dst), para or "", int(ordinal or 0), verb,
                           _date(cited))
                      for src, rel, dst, para, ordinal, verb, cited in edges.get(node, ())]
            for lk in sorted(walked, key=lambda x: (x.ordinal, x.target, x.source,
                                                     x.relation)):
                if lk in seen_links:
                    continue
                seen_links.add(lk)
                out.links.append(lk)
                other = lk.target if direction == "up" else lk.source
                if other not in out.depth:
                    out.depth[other] = level
                    out.instruments[other] = instrument(other)
                    nxt.append(other)
        frontier = nxt
    return out


# -- rendering ---------------------------------------------------------------------------------

def _describe(i: Instrument, width: int = 70) -> str:
    bits = [b for b in (i.type, _iso(i.date)) if b]
    head = f"{i.symbol}" + (f" ({', '.join(bits)})" if bits else "")
    return head + (f"  {shorten(i.title, width)}" if i.title else "")


def _grouped(lin: Lineage) -> dict[str, list[tuple[str, str, list[str]]]]:
    """For each node, the links out of it (up) or into it (down) as (relation, other,
    paragraphs), in the order the links came; one pass over the links."""
    groups: dict[str, dict[tuple[str, str], list[str]]] = {}
    up = lin.direction == "up"
    for lk in lin.links:
        node, other = (lk.source, lk.target) if up else (lk.target, lk.source)
        paras = groups.setdefault(node, {}).setdefault((lk.relation, other), [])
        if lk.paragraph not in paras:
            paras.append(lk.paragraph)
    return {node: [(rel, other, paras) for (rel, other), paras in by.items()]
            for node, by in groups.items()}


def _tree(lin: Lineage) -> str:
    lines = [_describe(lin.instruments[lin.root])]
    expanded = {lin.root}
    grouped = _grouped(lin)
    label_of: Callable[[str], str] = str
    if lin.direction != "up":
        # here, not above: the vocabulary module loads rdflib, which walks upwards never need
        from ..graph.vocab import inverse_label as label_of
    # depth first, with an explicit stack: a long chain must not exhaust Python's recursion
    stack: list[tuple[list[tuple[str, str, list[str]]], int, str]] = [
        (grouped.get(lin.root, []), 0, "")]
    while stack:
        items, n, prefix = stack.pop()
        if n >= len(items):
            continue
        stack.append((items, n + 1, prefix))
        rel, other, paras = items[n]
        last = n == len(items) - 1
        where = ("para " if len(paras) == 1 else "paras ") + ", ".join(paras)
        label = f"{label_of(rel)} "
        again = other in expanded and bool(grouped.get(other))
        lines.append(f"{prefix}{'└── ' if last else '├── '}{label}"
                     f"{_describe(lin.instruments[other], 50)}  [{where}]"
                     + ("  (see above)" if again else ""))
        if not again and other not in expanded:
            expanded.add(other)
            stack.append((grouped.get(other, []), 0, prefix + ("    " if last else "│   ")))
    if len(lines) == 1:
        lines.append("  (no links: the sources state none" +
                     (" from this instrument)" if lin.direction == "up" else " to it)"))
    return "\n".join(lines) + "\n"


def _rows(lin: Lineage) -> tuple[list[str], list[dict[str, object]]]:
    """One row per (from, relation, to), its paragraphs joined in the order they came."""
    cols = ["from", "relation", "to", "paragraphs", "to_type", "to_date", "to_title"]
    rows: list[dict[str, object]] = []
    for (source, relation, target), paras in _by_link(lin).items():
        t = lin.instruments.get(target, Instrument(target))
        rows.append({"from": source, "relation": relation, "to": target,
                     "paragraphs": ", ".join(paras), "to_type": t.type, "to_date": _iso(t.date),
                     "to_title": t.title})
    return cols, rows


def _by_link(lin: Lineage) -> dict[tuple[str, str, str], list[str]]:
    """(source, relation, target) -> the paragraphs stating it, in the order links came."""
    out: dict[tuple[str, str, str], list[str]] = {}
    for lk in lin.links:
        paras = out.setdefault((lk.source, lk.relation, lk.target), [])
        if lk.paragraph not in paras:
            paras.append(lk.paragraph)
    return out


def _dot_id(symbol: str) -> str:
    return '"' + symbol.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(lin: Lineage) -> str:
    """Graphviz DOT: instruments as boxes (symbol, type, date), one edge per pair of
    instruments labelled with each relation and its paragraphs (as the tree folds them); the
    root highlighted and ranked first, at the top, whichever the direction."""
    # "up": the root cites, its edges leave it, so top-to-bottom puts it first; "down": edges
    # come into it, so bottom-to-top does
    rankdir = "TB" if lin.direction == "up" else "BT"
    out = ["digraph lineage {", f'  rankdir="{rankdir}";',
           '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fb", '
           'fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9, color="#4a5a7a"];']
    for sym in sorted(lin.instruments, key=lambda s: (lin.depth.get(s, 0), s)):
        i = lin.instruments[sym]
        label = "\\n".join(x for x in (sym, i.type, _iso(i.date)) if x)
        extra = ', fillcolor="#ffe9a8", penwidth=2' if sym == lin.root else ""
        out.append(f'  {_dot_id(sym)} [label="{label}"{extra}];')
    pairs: dict[tuple[str, str], list[str]] = {}
    for (source, relation, target), paras in _by_link(lin).items():
        pairs.setdefault((source, target), []).append(f"{relation} ({', '.join(paras)})")
    for (source, target), labels in pairs.items():
        label = "\\n".join(labels)  # one line per relation, as DOT writes a line break
        out.append(f'  {_dot_id(source)} -> {_dot_id(target)} [label="{label}"];')
    out.append("}")
    return "\n".join(out) + "\n"


def to_mermaid(lin: Lineage) -> str:
    ids = {sym: f"n{k}" for k, sym in enumerate(sorted(lin.instruments))}
    out = ["flowchart BT"]
    for sym, nid in ids.items():
        i = lin.instruments[sym]
        text = "<br/>".join(x for x in (sym, _iso(i.date)) if x).replace('"', "'")
        out.append(f'  {nid}["{text}"]')
    for source, relation, target in _by_link(lin):
        out.append(f"  {ids[source]} -->|{relation}| {ids[target]}")
    return "\n".join(out) + "\n"


def to_turtle(lin: Lineage) -> str:
    """The links as direct triples, plus each instrument's symbol, as Turtle."""
    from rdflib import Graph, Literal, URIRef

    from ..graph.dump import to_turtle as dump_turtle
    from ..graph.vocab import ELI, RELATIONS, instrument_iri

    g = Graph()
    for sym in lin.instruments:
        g.add((instrument_iri(sym), ELI.id_local, Literal(sym)))
    for lk in lin.links:
        prop = RELATIONS.get(lk.relation)
        if prop is not None:
            g.add((instrument_iri(lk.source), URIRef(prop), instrument_iri(lk.target)))
    return dump_turtle(g)


def typed_only(lin: Lineage) -> tuple[Lineage, Counter[str]]:
    """The lineage without its plain references (relation ``refers to``), walked again from
    the root so that nothing reached only through them stays; and how many (from, to) pairs
    were left out per citing instrument."""
    kept = Lineage(lin.root, lin.direction, links=[lk for lk in lin.links
                                                   if lk.relation != PLAIN])
    up = lin.direction == "up"
    onward: dict[str, list[str]] = defaultdict(list)
    for lk in kept.links:
        near, far = (lk.source, lk.target) if up else (lk.target, lk.source)
        onward[near].append(far)
    # one breadth-first walk; each instrument's depth is its distance over typed links only
    depth = {lin.root: 0}
    frontier = deque([lin.root])
    while frontier:
        near = frontier.popleft()
        for far in onward.get(near, ()):
            if far not in depth:
                depth[far] = depth[near] + 1
                frontier.append(far)
    reach = depth.keys()
    kept.links = [lk for lk in kept.links if (lk.source if up else lk.target) in reach]
    kept.instruments = {s: i for s, i in lin.instruments.items() if s in reach}
    kept.depth = {s: depth[s] for s in lin.depth if s in reach}
    left = Counter(lk.source if up else lk.target for lk in
                   {(lk.source, lk.target): lk for lk in lin.links
                    if lk.relation == PLAIN and (lk.source if up else lk.target) in reach
                    }.values())
    return kept, left


def _summary(left: Counter[str]) -> str:
    total = sum(left.values())
    if not total:
        return ""
    return (f"(+ {total} plain reference{'s' if total != 1 else ''} (refers to) from "
            f"{len(left)} instrument{'s' if len(left) != 1 else ''} not shown; "
            "--all lists them)\n")


def render(lin: Lineage, fmt: str = "tree", all_links: bool = True) -> str:
    """``lin`` in one of :data:`FORMATS`. With ``all_links`` false the readable formats
    (tree, table, md) leave plain references out and end with their count; JSON, CSV and the
    graph formats always carry every link, so that their interface does not depend on the
    option."""
    summary = ""
    if not all_links and fmt in ("tree", "table", "md"):
        lin, left = typed_only(lin)
        summary = _summary(left)
    if fmt == "tree":
        return _tree(lin) + summary
    if fmt == "json":
        return json.dumps(lin.as_json(), ensure_ascii=False, indent=2) + "\n"
    if fmt in ("table", "csv", "md"):
        cols, rows = _rows(lin)
        return render_rows(cols, rows, fmt) + summary
    if fmt == "dot":
        return to_dot(lin)
    if fmt == "mermaid":
        return to_mermaid(lin)
    if fmt == "ttl":
        return to_turtle(lin)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
