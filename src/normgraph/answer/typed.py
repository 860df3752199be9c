"""Canned queries answered as Python values, for notebooks and scripts: ``query("timeline")``
gives a list of dicts whose dates are :class:`datetime.date` and whose integers are ``int``.
Imports the stages above it.
"""

from __future__ import annotations

from typing import Any

from ..store.catalogue import run
from ..store.terms import Selects
from ..store.triplestore import open_store

__all__ = ["query"]


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
