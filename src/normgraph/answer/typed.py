"""Canned queries answered as Python values, for notebooks and scripts: ``query("timeline")``
gives a list of dicts whose dates are :class:`datetime.date` and whose integers are ``int``.
Imports the stages above it.
"""

from __future__ import annotations

import datetime
from typing import Any

from ..store.catalogue import run
from ..store.search import SearchFilters
from ..store.search import search as search_paragraphs
from ..store.terms import Selects
from ..store.triplestore import open_store

__all__ = ["query", "search"]


def query(name: str, store: Selects | None = None, **params: Any) -> list[dict[str, Any]]:
    """Run the canned query ``name`` (a file of ``queries/``, see ``normgraph queries``) and
    give its rows with typed values. Parameters are passed as keywords, written as on the
    command line (``root="80/16"``, ``norm="13(f)"``); a value that is not a string is
    written with ``str`` (a :class:`datetime.date` as its ISO form). ``store`` defaults to
    the local store over the default dump (the shipped one when there is no project).

    Raises :class:`~normgraph.store.catalogue.ParameterError` for an unknown query or a
    malformed parameter, :class:`~normgraph.store.terms.StoreError` when the store fails.

    >>> from normgraph import api
    >>> rows = api.query("lineage", root="80/16")         # doctest: +SKIP
    >>> rows[0]["ordinal"], rows[0]["citedDate"]           # doctest: +SKIP
    (3, datetime.date(2020, 12, 31))
    """
    raw = {key: value.isoformat() if hasattr(value, "isoformat") else str(value)
           for key, value in params.items()}
    return run(store if store is not None else open_store(), name, raw).typed()


def search(text: str, store: Selects | None = None, limit: int = 20,
           **filters: Any) -> list[dict[str, Any]]:
    """Paragraphs holding every word of ``text``, best first, as ``normgraph search`` ranks
    them (SQLite FTS5 beside the local store; rows of the endpoint indexed in memory for a
    remote one), each with its document, date (a :class:`datetime.date`), paragraph, the
    snippet with the hits ``[marked]``, and what matched. Filters are keywords, as on the
    command line: ``kind``, ``pillar``, ``theme``, ``norm``, ``since``, ``until`` (dates as
    ISO text or :class:`datetime.date`). ``store`` defaults to the local store over the
    default dump.

    >>> from normgraph import api
    >>> hits = api.search("national ownership")                  # doctest: +SKIP
    >>> [(h["document"], h["paragraph"], h["date"]) for h in hits]  # doctest: +SKIP
    [('A/75/816', '56 (b6)', datetime.date(2021, 3, 12))]
    """
    wanted = {key: value.isoformat() if hasattr(value, "isoformat") else value
              for key, value in filters.items()}
    rows = search_paragraphs(store if store is not None else open_store(), text,
                             SearchFilters(**wanted), limit=limit)
    for row in rows:
        if row.get("date"):
            row["date"] = datetime.date.fromisoformat(row["date"])
    return rows
