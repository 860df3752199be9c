"""The citation network as a networkx graph, for the questions SPARQL answers badly: the
shortest chain between two instruments and which instruments are most influential
(the most built upon)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..store.triplestore import Store

__all__ = ["citation_network", "shortest_chain", "influence", "Step"]


@dataclass(frozen=True)
class Step:
    source: str
    relations: tuple[str, ...]
    target: str


def citation_network(store: Store) -> Any:
    """A networkx DiGraph: an edge from each citing instrument to each cited one, with the
    relation names on the edge (``relations``)."""
    import networkx as nx

    from ..store.catalogue import run

    g = nx.DiGraph()
    for r in run(store, "links").rows:
        a, rel, b = r["fromSymbol"], r["relation"], r["toSymbol"]
        if not a or not b or not rel:
            continue
        if g.has_edge(a, b):
            g[a][b]["relations"] = tuple(sorted({*g[a][b]["relations"], rel}))
        else:
            g.add_edge(a, b, relations=(rel,))
    return g


def shortest_chain(store: Store, source: str, target: str) -> list[Step] | None:
    """The shortest chain of references from ``source`` up to ``target`` (or None)."""
    import networkx as nx

    g = citation_network(store)
    if source not in g or target not in g:
        return None
    try:
        nodes = nx.shortest_path(g, source, target)
    except nx.NetworkXNoPath:
        return None
    return [Step(a, g[a][b]["relations"], b) for a, b in zip(nodes, nodes[1:], strict=False)]


def influence(store: Store, top: int = 10) -> list[dict[str, Any]]:
    """Instruments ranked by how many instruments build on them, directly or through others
    (their ancestors in the citation network), then by how many cite them directly."""
    import networkx as nx

    g = citation_network(store)
    rows = [{"symbol": node, "builds_on_it": len(nx.ancestors(g, node)),
             "cited_by": g.in_degree(node), "cites": g.out_degree(node)} for node in g]
    rows.sort(key=lambda r: (-r["builds_on_it"], -r["cited_by"], r["symbol"]))
    return rows[:top]
