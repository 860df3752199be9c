"""The citation network as a networkx graph, for the questions SPARQL answers badly: the
shortest chain between two instruments and which instruments are most influential
(the most built upon).

The network has one edge from each citing instrument to each instrument it cites, whatever
the relation or the number of paragraphs stating it: the same count as the ``most-cited``
query's ``instruments`` column (instruments citing it in a paragraph)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..store.triplestore import Store

__all__ = ["citation_network", "shortest_chain", "influence", "pagerank", "Step", "DAMPING"]

#: PageRank's damping factor: the chance that a reader follows a citation rather than
#: jumping to any instrument (the usual 0.85)
DAMPING = 0.85


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


def pagerank(g: Any, damping: float = DAMPING, tolerance: float = 1e-10,
             max_iterations: int = 200) -> dict[str, float]:
    """PageRank over the citation network: an instrument ranks high when instruments that
    rank high cite it. A plain power iteration (networkx's own needs numpy and scipy); an
    instrument citing nothing passes its rank to every instrument evenly. The ranks sum to 1.

    >>> import networkx as nx
    >>> r = pagerank(nx.DiGraph([("a", "c"), ("b", "c")]))
    >>> round(r["c"], 3), round(r["a"], 3)
    (0.574, 0.213)
    """
    nodes = list(g)
    n = len(nodes)
    if n == 0:
        return {}
    rank = dict.fromkeys(nodes, 1.0 / n)
    out_degree = {v: g.out_degree(v) for v in nodes}
    for _ in range(max_iterations):
        dangling = sum(rank[v] for v in nodes if out_degree[v] == 0)
        base = (1.0 - damping) / n + damping * dangling / n
        new = dict.fromkeys(nodes, base)
        for v in nodes:
            if out_degree[v]:
                share = damping * rank[v] / out_degree[v]
                for w in g.successors(v):
                    new[w] += share
        change = sum(abs(new[v] - rank[v]) for v in nodes)
        rank = new
        if change < tolerance * n:
            break
    return rank


def influence(store: Store, top: int = 10) -> list[dict[str, Any]]:
    """Instruments ranked by PageRank over the citation network (see :func:`pagerank`), with
    how many instruments build on each, directly or through others (its ancestors), how many
    cite it directly (as ``most-cited`` counts them) and how many it cites."""
    import networkx as nx

    g = citation_network(store)
    ranks = pagerank(g)
    rows = [{"symbol": node, "pagerank": round(ranks[node], 4),
             "builds_on_it": len(nx.ancestors(g, node)), "cited_by": g.in_degree(node),
             "cites": g.out_degree(node)} for node in g]
    rows.sort(key=lambda r: (-r["pagerank"], -r["cited_by"], r["symbol"]))
    return rows[:top]
