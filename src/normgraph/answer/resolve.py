"""A symbol as a user types it ('80/16', 'a/res/80/16', '77/512') -> the canonical symbol a
store holds, asked of the store itself (the canned ``instrument`` and ``instruments`` queries),
so a query command never needs the graph in rdflib. Imports the stages above it.
"""

from __future__ import annotations

import difflib

from ..read.symbols import Symbol, SymbolError, parse
from ..store.catalogue import run
from ..store.terms import Selects

__all__ = ["UnknownSymbol", "candidates", "full_symbol"]


class UnknownSymbol(LookupError):
    """A symbol the graph does not hold; ``nearest`` are the closest known symbols."""

    def __init__(self, text: str, nearest: list[str]):
        hint = f"; nearest known: {', '.join(nearest)}" if nearest else ""
        super().__init__(f"unknown symbol {text!r}{hint}")
        self.nearest = nearest


def candidates(text: str) -> list[Symbol]:
    """What a typed symbol may stand for: the symbol as written ('80/16' is a resolution) and,
    where the numbers also fit a decision, the decision. Raises SymbolError when malformed."""
    out = [parse(text)]
    try:
        decision = parse(text, series="decision")
    except SymbolError:
        return out
    return out + [decision] if decision.symbol != out[0].symbol else out


def full_symbol(store: Selects, text: str) -> str:
    """The canonical symbol of the instrument ``text`` names, as ``store`` holds it.
    Raises SymbolError (malformed) or :class:`UnknownSymbol` (with the nearest known ones).

    >>> from normgraph import api
    >>> api.full_symbol(api.open_store(), "80/16")   # doctest: +SKIP
    'A/RES/80/16'
    """
    options = candidates(text)
    for option in options:
        card = run(store, "instrument", {"instrument": option.symbol}).rows
        if card and card[0].get("symbol"):
            return option.symbol
    known = [s for r in run(store, "instruments").rows if (s := r.get("symbol"))]
    nearest = difflib.get_close_matches(options[0].symbol, known, n=3, cutoff=0.5)
    raise UnknownSymbol(text, nearest)
