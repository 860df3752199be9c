"""Where queries run: the persistent local store (Oxigraph, through pyoxigraph) or a remote
SPARQL endpoint (through SPARQLWrapper). Both return the same :class:`Result`: columns and
rows of plain strings, so a command prints the same thing whichever store answered.

The local store lives in the user's cache folder (see :func:`normgraph.config.cache_dir`) and is
rebuilt from the Turtle dump when the dump changes (its size or modification time differ from
the stamp), so a query command never re-parses the dump. This module does not import rdflib:
query commands stay fast.

Parameters are never pasted into a query's text by string formatting: each value is validated
and serialised as one RDF term (:class:`Term`) in a ``VALUES`` block at the start of the query's
outermost group, which the engine joins with the rest, the same way for the local store and for
a remote endpoint (whose protocol has no other binding mechanism). Oxigraph's own variable
substitution was measured 3.5 times slower: it filters the results after evaluating the query.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..config import cache_dir
from .catalogue import get_query
from .terms import IRI, Result, StoreError, Term, bind_values

__all__ = [
    "Term",
    "Result",
    "StoreError",
    "LocalStore",
    "RemoteStore",
    "open_store",
    "push",
]

# -- the local store --------------------------------------------------------------------------

#: the columns of the canned ``links`` query, as the link index keeps them
LINK_COLUMNS = ("fromSymbol", "relation", "toSymbol", "paragraph", "ordinal", "verb",
                "citedDate")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _value(term: Any) -> str | None:
    if term is None:
        return None
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


class LocalStore:
    """The dump loaded into an on-disk Oxigraph store, reused while the dump is unchanged."""

    def __init__(self, dump: Path, cache: Path | None = None) -> None:
        self.dump = Path(dump).resolve()
        key = hashlib.sha1(str(self.dump).encode()).hexdigest()[:16]
        self.home = (cache or cache_dir()) / f"store-{key}"
        self._store: Any = None
        self._index: dict[str, Any] | None = None

    def _fingerprint(self) -> dict[str, Any]:
        try:
            st = self.dump.stat()
        except OSError as exc:
            raise StoreError(f"{self.dump}: {exc.strerror or exc}; run `normgraph build`") \
                from None
        return {"dump": str(self.dump), "size": st.st_size, "mtime_ns": st.st_mtime_ns}

    def _stamp(self) -> dict[str, Any] | None:
        return _read_json(self.home / "stamp.json")

    def fresh(self) -> bool:
        """Whether the store on disk matches the dump."""
        return self._stamp() == self._fingerprint() and (self.home / "db").is_dir()

    def _rebuild(self) -> None:
        import pyoxigraph as ox

        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.home / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.fresh():  # another process rebuilt it while we waited
                return
            fingerprint = self._fingerprint()
            tmp = Path(tempfile.mkdtemp(prefix="db.", dir=self.home))
            try:
                store = ox.Store(str(tmp / "db"))
                try:
                    store.bulk_load(path=str(self.dump), format=ox.RdfFormat.TURTLE)
                except (SyntaxError, ValueError, OSError) as exc:
                    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                    raise StoreError(f"{self.dump}: cannot be loaded ({first})") from None
                store.flush()
                del store
                old = self.home / "db"
                trash = self.home / f"old.{os.getpid()}"
                if old.exists():
                    os.replace(old, trash)
                os.replace(tmp / "db", old)
                shutil.rmtree(trash, ignore_errors=True)
                (self.home / "links.json").unlink(missing_ok=True)  # made from the old dump
                stamp = self.home / "stamp.json.tmp"
                stamp.write_text(json.dumps(fingerprint), encoding="utf-8")
                os.replace(stamp, self.home / "stamp.json")
            finally:
                shutil.rmtree(tmp, ignore_errors=True)

    def indexed(self) -> bool:
        """Whether the store and its link index are ready (no rebuild on the next call)."""
        return self.fresh() and (self.home / "links.json").is_file()

    def link_index(self) -> dict[str, Any]:
        """The citation network as plain lists (``instruments``: symbol, type, date, title;
        ``links``: the columns of the canned ``links`` query), derived from the store by the
        ``instruments`` and ``links`` queries on first use and kept beside it until the dump
        changes. ``normgraph lineage`` walks it instead of running a transitive query: on a
        large corpus that query touches most of the graph."""
        path = self.home / "links.json"
        fingerprint = self._fingerprint()
        if self._index is not None and self._index["fingerprint"] == fingerprint:
            return self._index
        index = _read_json(path)
        if index is not None and index.get("fingerprint") == fingerprint:
            self._index = index
            return index
        index = {"fingerprint": fingerprint}
        for name, columns in (("instruments", ("symbol", "type", "date", "title")),
                              ("links", LINK_COLUMNS)):
            # select() opens the store, rebuilding it first if the dump changed
            rows = self.select(get_query(name).text).rows
            index[name] = [[r.get(c) for c in columns] for r in rows]
        # a name of its own: threads of one process (the server's) may write it at once
        fd, name = tempfile.mkstemp(prefix="links.json.", suffix=".tmp", dir=self.home)
        os.close(fd)
        tmp = Path(name)
        tmp.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")),
                       encoding="utf-8")
        os.replace(tmp, path)
        self._index = index
        return index

    def store(self) -> Any:
        """The open pyoxigraph store, rebuilt first when the dump changed."""
        if self._store is None:
            import pyoxigraph as ox

            if not self.fresh():
                self._rebuild()
            try:
                self._store = ox.Store.read_only(str(self.home / "db"))
            except OSError as exc:
                raise StoreError(f"{self.home}: cannot open the local store ({exc})") from None
        return self._store

    def select(self, query: str, params: dict[str, Term] | None = None) -> Result:

        try:
            text = bind_values(query, params or {})
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        try:
            solutions = self.store().query(text)
        except SyntaxError as exc:
            raise StoreError(f"the query is not valid SPARQL: {_first(exc)}") from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise StoreError(f"the query failed: {_first(exc)}") from None
        if isinstance(solutions, bool) or type(solutions).__name__ == "QueryBoolean":
            return Result(["ask"], [{"ask": "true" if solutions else "false"}])
        if not hasattr(solutions, "variables"):
            rows = [{"subject": _value(t.subject), "predicate": _value(t.predicate),
                     "object": _value(t.object)} for t in solutions]
            return Result(["subject", "predicate", "object"], rows)
        columns = [v.value for v in solutions.variables]
        rows = [{c: _value(s[c]) for c in columns} for s in solutions]
        return Result(columns, rows)


# -- a remote endpoint ------------------------------------------------------------------------

class RemoteStore:
    """A SPARQL 1.1 Protocol query endpoint (e.g. Oxigraph's ``/query``)."""

    def __init__(self, endpoint: str, timeout: float = 30.0) -> None:
        if not re.match(r"https?://[^\s/]+", endpoint):
            raise StoreError(f"{endpoint!r} is not an http(s) endpoint URL")
        self.endpoint = endpoint
        self.timeout = timeout

    def select(self, query: str, params: dict[str, Term] | None = None) -> Result:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        text = bind_values(query, params or {})
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setTimeout(int(max(1, self.timeout)))
        client.setQuery(text)
        try:
            raw = client.query().convert()
        except Exception as exc:  # network, HTTP and parsing faults: one line each
            raise StoreError(f"{self.endpoint}: {_describe(exc)}") from None
        if not isinstance(raw, dict):
            raise StoreError(f"{self.endpoint}: the answer is not SPARQL JSON results")
        if "boolean" in raw:
            return Result(["ask"], [{"ask": "true" if raw["boolean"] else "false"}])
        try:
            columns = list(raw["head"]["vars"])
            rows = [{c: (b[c]["value"] if c in b else None) for c in columns}
                    for b in raw["results"]["bindings"]]
        except (KeyError, TypeError):
            raise StoreError(f"{self.endpoint}: malformed SPARQL JSON results") from None
        return Result(columns, rows)


def _first(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _describe(exc: BaseException) -> str:
    import socket
    import urllib.error

    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    reason = getattr(exc, "reason", None)
    if isinstance(exc, (TimeoutError, socket.timeout)) or isinstance(reason, socket.timeout) \
            or "timed out" in str(exc):
        return "timed out"
    if isinstance(exc, urllib.error.URLError):
        why = _first(reason) if isinstance(reason, BaseException) else reason
        return f"cannot connect ({why})"
    if isinstance(exc, ConnectionError):
        return f"connection failed ({_first(exc)})"
    name = type(exc).__name__
    if name in ("EndPointInternalError",):
        return "HTTP 500 internal error"
    if name in ("QueryBadFormed",):
        return "the endpoint rejected the query as malformed"
    if name in ("EndPointNotFound",):
        return "HTTP 404 not found"
    if isinstance(exc, ValueError):
        return f"malformed answer ({_first(exc)})"
    return _first(exc)


Store = LocalStore | RemoteStore


def open_store(dump: Path | None = None, endpoint: str | None = None,
               timeout: float = 30.0) -> Store:
    """The remote endpoint when one is given, else the local store over ``dump``."""
    if endpoint:
        return RemoteStore(endpoint, timeout)
    if dump is None:
        from ..resources import default_dump

        dump = default_dump()
    return LocalStore(dump)


def push(dump: Path, endpoint: str, graph: str | None = None, timeout: float = 60.0) -> int:
    """Load ``dump`` into a store over the SPARQL 1.1 Graph Store Protocol: an HTTP PUT that
    replaces the named graph ``graph`` (or the default graph), so repeating a push cannot
    duplicate triples. Returns the HTTP status."""
    import urllib.error
    import urllib.parse
    import urllib.request

    if not re.match(r"https?://[^\s/]+", endpoint):
        raise StoreError(f"{endpoint!r} is not an http(s) Graph Store URL")
    if graph is not None and not IRI.fullmatch(graph):
        raise StoreError(f"{graph[:80]!r} is not a valid graph IRI")
    try:
        data = Path(dump).read_bytes()
    except OSError as exc:
        raise StoreError(f"{dump}: {exc.strerror or exc}") from None
    query = urllib.parse.urlencode({"graph": graph} if graph else {"default": ""})
    sep = "&" if "?" in endpoint else "?"
    request = urllib.request.Request(f"{endpoint}{sep}{query}", data=data, method="PUT",
                                     headers={"Content-Type": "text/turtle"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except Exception as exc:
        raise StoreError(f"{endpoint}: push failed: {_describe(exc)}") from None
