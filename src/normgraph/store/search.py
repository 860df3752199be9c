"""Full-text search over every paragraph: an SQLite FTS5 index (standard library) of the rows
of the canned ``paragraphs`` query.

For the local store the index is a file beside it (``search.sqlite``), made on first use and
made again whenever the dump changes (its fingerprint is kept in the index), written to a
temporary file and moved into place so a reader never sees half an index. For a remote
endpoint the same rows are fetched and indexed in memory, so both answer alike.

A query's words must all occur (FTS5 ``AND``), in the paragraph's text or in what it is filed
under (its themes' names, the norms it restates, the principle it states); ranking is FTS5's
BM25 with the text weighted above the filing. Words are quoted before they reach FTS5, so the
user's text is never FTS5 syntax.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalogue import run
from .terms import Selects, StoreError

__all__ = ["SearchFilters", "SEARCH_COLUMNS", "RANK_LIMIT", "search", "search_index"]

#: BM25 scores every matching paragraph before the best come out (about 5 µs each), so words
#: that most paragraphs hold would cost seconds on a large corpus: above this many matches the
#: hits come in the index's order (documents by symbol, paragraphs as printed), unranked, and
#: each hit says so (``ranked`` False)
RANK_LIMIT = 10_000

#: the columns of a search hit, in order
SEARCH_COLUMNS = ["document", "kind", "date", "paragraph", "matched", "snippet", "themes",
                  "norms", "states", "pillar", "iri"]

# snippet markers the text itself cannot hold (private-use code points), replaced on output
_OPEN, _CLOSE = "\ue000", "\ue001"
_VERSION = 2
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchFilters:
    """What a hit must be filed under; None leaves a filter off. ``kind`` is a document kind
    ("resolution", "report", "news item"), ``pillar``/``theme`` keys, ``norm`` a notation
    ("13(f)"), ``since``/``until`` ISO dates (inclusive; undated paragraphs are then left out)."""

    kind: str | None = None
    pillar: str | None = None
    theme: str | None = None
    norm: str | None = None
    since: str | None = None
    until: str | None = None


def _fingerprint(store: Selects) -> str | None:
    """What the local index must match (the dump's path, size and time), None for a remote
    store (indexed in memory on each use)."""
    dump = getattr(store, "dump", None)
    if dump is None:
        return None
    try:
        st = Path(dump).stat()
    except OSError as exc:
        raise StoreError(f"{dump}: {exc.strerror or exc}; run `normgraph build`") from None
    return json.dumps([_VERSION, str(dump), st.st_size, st.st_mtime_ns])


def _subjects(row: dict[str, Any]) -> str:
    """What a paragraph is filed under, as words: theme keys as phrases, norm and principle
    notations."""
    themes = (row.get("themes") or "").split()
    return " ; ".join([t.replace("-", " ") for t in themes]
                      + (row.get("norms") or "").split() + (row.get("states") or "").split())


def _ordinal(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _fill(db: sqlite3.Connection, store: Selects) -> None:
    db.execute("CREATE VIRTUAL TABLE paragraphs USING fts5(text, subjects, iri UNINDEXED, "
               "document UNINDEXED, kind UNINDEXED, date UNINDEXED, paragraph UNINDEXED, "
               "ordinal UNINDEXED, pillar UNINDEXED, themes UNINDEXED, norms UNINDEXED, "
               "states UNINDEXED, tokenize='porter unicode61')")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    rows = run(store, "paragraphs").rows
    db.executemany(
        "INSERT INTO paragraphs VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        ((r.get("text") or "", _subjects(r), r.get("para"), r.get("document"),
          (r.get("kind") or "").lower(), r.get("date"), r.get("paragraph"),
          _ordinal(r.get("ordinal")),
          r.get("pillar"), f" {r.get('themes') or ''} ", f" {r.get('norms') or ''} ",
          r.get("states")) for r in rows))
    # the text weighs more than the filing; `ORDER BY rank` then ranks by it
    db.execute("INSERT INTO paragraphs(paragraphs, rank) VALUES ('rank', 'bm25(1.0, 0.4)')")
    db.execute("INSERT INTO paragraphs(paragraphs) VALUES ('optimize')")


def search_index(store: Selects) -> sqlite3.Connection:
    """An open connection to the search index of ``store``, made first if missing or stale."""
    fingerprint = _fingerprint(store)
    if fingerprint is None:
        db = sqlite3.connect(":memory:")
        _fill(db, store)
        return db
    home = Path(store.home)  # type: ignore[attr-defined]
    path = home / "search.sqlite"
    if path.is_file():
        db = sqlite3.connect(path)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row and row[0] == fingerprint:
                return db
        except sqlite3.Error:
            pass  # an index of an older layout, or damaged: made again below
        db.close()
    store.store()  # type: ignore[attr-defined]  # builds the local store first if need be
    # a name of its own, as for links.json: threads of one process (the server's) may make
    # the index at once, and a shared pid-named file would be pulled from under one of them
    fd, tmp = tempfile.mkstemp(prefix="search.sqlite.", suffix=".tmp", dir=home)
    os.close(fd)
    db = sqlite3.connect(tmp)
    try:
        _fill(db, store)
        db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
        db.commit()
    except BaseException:
        db.close()
        os.unlink(tmp)
        raise
    db.close()
    os.replace(tmp, path)
    return sqlite3.connect(path)


def match_expression(text: str) -> str:
    """The FTS5 query for a user's text: each word quoted (never FTS5 syntax), all required.

    >>> match_expression('national "ownership" OR x*')
    '"national" "ownership" "or" "x"'
    """
    words = _WORD.findall(text.lower())
    return " ".join(f'"{w}"' for w in words)


def search(store: Selects, text: str, filters: SearchFilters | None = None,
           limit: int = 20, db: sqlite3.Connection | None = None) -> list[dict[str, Any]]:
    """Paragraphs matching every word of ``text``, best first (BM25; in index order, with
    ``ranked`` False, when more than :data:`RANK_LIMIT` paragraphs match), each with a snippet
    in which the hits are marked ``[like this]``; ``matched`` says whether the words were found
    in the text or only in what the paragraph is filed under ("filing")."""
    expression = match_expression(text)
    if not expression:
        raise ValueError(f"{text!r}: nothing to search for (no words)")
    f = filters or SearchFilters()
    where, args = ["paragraphs MATCH ?"], [expression]
    if f.kind:
        where.append("kind = ?")
        args.append(f.kind.lower())
    if f.pillar:
        where.append("pillar = ?")
        args.append(f.pillar)
    for column, value in (("themes", f.theme), ("norms", f.norm)):
        if value:
            where.append(f"instr({column}, ?) > 0")
            args.append(f" {value} ")
    if f.since:
        where.append("date >= ?")
        args.append(f.since)
    if f.until:
        where.append("date <= ?")
        args.append(f.until)
    connection = db or search_index(store)
    try:
        # counting the matches reads the index only: cheap beside scoring them
        matches = connection.execute("SELECT count(*) FROM paragraphs WHERE paragraphs MATCH ?",
                                     [expression]).fetchone()[0]
        ranked = matches <= RANK_LIMIT
        sql = ("SELECT rowid, document, kind, date, paragraph, "
               f"snippet(paragraphs, 0, '{_OPEN}', '{_CLOSE}', '…', 12), "
               "themes, norms, states, pillar, iri, text FROM paragraphs WHERE "
               + " AND ".join(where) + (" ORDER BY rank" if ranked else "") + " LIMIT ?")
        found = connection.execute(sql, [*args, limit]).fetchall()
        # which hits hold every word in their text, asked of these rows only (asking it of the
        # whole match set would cost as much as the search)
        ids = [row[0] for row in found]
        textual = {r[0] for r in connection.execute(
            "SELECT rowid FROM paragraphs WHERE paragraphs MATCH ? AND rowid IN "
            f"({','.join('?' * len(ids))})", [f"text : ({expression})", *ids])} if ids else set()
    finally:
        if db is None:
            connection.close()
    out = []
    for rowid, document, kind, date, paragraph, snippet, themes, norms, states, pillar, iri, \
            full in found:
        if rowid not in textual:  # found by its filing: the text's opening, with no words marked
            snippet = full if len(full) <= 90 else full[:90].rsplit(" ", 1)[0] + "…"
        out.append({
            "document": document, "kind": kind or None, "date": date, "paragraph": paragraph,
            "matched": "text" if rowid in textual else "filing",
            "snippet": snippet.replace(_OPEN, "[").replace(_CLOSE, "]"),
            "themes": themes.strip() or None, "norms": norms.strip() or None,
            "states": states, "pillar": pillar, "iri": iri, "ranked": ranked})
    return out
