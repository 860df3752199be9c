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
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from ..config import cache_dir
from .catalogue import get_query
from .files import fingerprint_of, read_json, remove_dead, write_json
from .terms import IRI, Result, StoreError, Term, bind_values, in_group, without_order

if TYPE_CHECKING:
    from .keeper_client import KeeperStatus

__all__ = [
    "Term",
    "Result",
    "StoreError",
    "LocalStore",
    "StagedStore",
    "select_on",
    "link_index_of",
    "link_parts",
    "ordered_index",
    "BESIDE",
    "RemoteStore",
    "open_store",
    "push",
]

# -- the local store --------------------------------------------------------------------------

#: the columns of the canned ``links`` query, as the link index keeps them
LINK_COLUMNS = ("fromSymbol", "relation", "toSymbol", "paragraph", "ordinal", "verb",
                "citedDate")


def _value(term: Any) -> str | None:
    if term is None:
        return None
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


def _keepers() -> Any:
    """:mod:`normgraph.store.keeper_client`, imported when first needed: a command that asks
    no question (``lineage`` walks its index) does not load it."""
    from . import keeper_client

    return keeper_client


class LocalStore:
    """The dump loaded into an on-disk Oxigraph store, reused while the dump is unchanged.

    The store is made by ``normgraph build`` from the Turtle it streams (see
    :meth:`stage`), or, for a dump that changed by other means (a release, a pull), from the
    dump on its first query. Either way it is made in a staging folder and swapped in whole,
    with what is built beside it (:data:`BESIDE`), under a lock."""

    def __init__(self, dump: Path, cache: Path | None = None,
                 memory: bool | None = None) -> None:
        self.dump = Path(dump).resolve()
        #: where the graph is queried. RocksDB lookups make SPARQL on the on-disk store 1.5-5x
        #: slower than pyoxigraph's in-memory store, but loading the dump into memory costs
        #: more than most single queries (0.7 s at 1,000 documents, 10 s at 10,000). ``False``:
        #: a one-shot command: the dump's keeper answers when one holds it in memory, else the
        #: disk store does, and commands that follow each other on a dump start a keeper once
        #: their time on disk adds up to its load (:mod:`.keeper_client`). ``True``: always in
        #: memory, loaded on the first
        #: query. ``None`` (the default): on disk until this object has spent, in queries on
        #: disk, as long as the load is expected to take (:meth:`load_estimate`); then the
        #: dump is loaded into memory on a background thread, queries going on on disk
        #: meanwhile, and every later query runs in memory. A process that asks many
        #: questions (a notebook, a site) ends up at in-memory speed, and no process spends
        #: more than about twice the best of the two. Dumps whose in-memory store would not
        #: fit :func:`memory_budget` stay on disk.
        self.memory = memory
        self._loaded: dict[str, Any] | None = None  # the fingerprint held in memory
        key = hashlib.sha1(str(self.dump).encode()).hexdigest()[:16]
        self.home = (cache or cache_dir()) / f"store-{key}"
        self._store: Any = None
        self._opened: dict[str, Any] | None = None  # the fingerprint the disk store was open at
        self._index: dict[str, Any] | None = None
        self._locks = 0  # how deep this object holds the folder's lock
        #: seconds spent in queries on the on-disk store (``memory=None``)
        self.spent_on_disk = 0.0
        self._held: Any = None  # the in-memory store a background load made
        self._promoting: threading.Thread | None = None

    def _fingerprint(self) -> dict[str, Any]:
        try:
            return fingerprint_of(self.dump)
        except OSError as exc:
            raise StoreError(f"{self.dump}: {exc.strerror or exc}; run `normgraph build`") \
                from None

    def _stamp(self) -> dict[str, Any] | None:
        return read_json(self.home / "stamp.json")

    def fresh(self) -> bool:
        """Whether the store on disk matches the dump."""
        return self._stamp() == self._fingerprint() and (self.home / "db").is_dir()

    def stage(self) -> StagedStore:
        """An empty store in a staging folder beside this one, to be filled by the caller and
        swapped in by :meth:`StagedStore.commit` (or thrown away by ``discard``)."""
        self.home.mkdir(parents=True, exist_ok=True)
        self._sweep()
        folder = tempfile.mkdtemp(prefix=f"db.{os.getpid()}.", dir=self.home)
        return StagedStore(self, Path(folder))

    def _sweep(self) -> None:
        """Remove staging folders and old stores left by processes that died while making or
        swapping a store (a build stopped by a kill): each names its maker's process id."""
        remove_dead([*self.home.glob("db.*.*"), *self.home.glob("old.*")])

    def _rebuild(self) -> None:
        import pyoxigraph as ox

        # held throughout, so that a second process waits for this one's store, then uses it
        with self._lock():
            if self.fresh():  # another process rebuilt it while we waited
                return
            staged = self.stage()
            try:
                fingerprint = self._fingerprint()
                try:
                    staged.store.bulk_load(path=str(self.dump), format=ox.RdfFormat.TURTLE)
                except (SyntaxError, ValueError, OSError) as exc:
                    raise StoreError(f"{self.dump}: cannot be loaded ({_first(exc)})") \
                        from None
                staged.commit(fingerprint=fingerprint)
            finally:
                staged.discard()

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """An exclusive lock on this store's folder, between processes (re-entrant within
        one: a second flock on a new descriptor would wait for the first)."""
        if self._locks:
            self._locks += 1
            try:
                yield
            finally:
                self._locks -= 1
            return
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.home / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._locks = 1
            try:
                yield
            finally:
                self._locks = 0

    def indexed(self) -> bool:
        """Whether the store and its link index are ready (no rebuild on the next call)."""
        return self.fresh() and (self.home / LINKS).is_file()

    def link_index(self) -> dict[str, Any]:
        """The citation network as plain lists (``instruments``: symbol, type, date, title;
        ``links``: the columns of the canned ``links`` query), made beside the store when the
        store is made (see :data:`BESIDE`) and kept until the dump changes. ``normgraph
        lineage`` walks it instead of running a transitive query: on a large corpus that query
        touches most of the graph."""
        path = self.home / LINKS
        fingerprint = self._fingerprint()
        if _current(self._index, fingerprint):
            return self._index
        index = read_json(path)
        if self.memory is not True and not _current(index, fingerprint):
            self._close()
            self._rebuild()  # the store, and the index beside it, from the current dump
            index = read_json(path)
        if not _current(index, fingerprint):
            # asked of the graph itself: it is held in memory (no disk store to make it
            # beside), or the disk store is fresh but an older normgraph made it without one
            self.home.mkdir(parents=True, exist_ok=True)
            index = {"fingerprint": fingerprint, **link_index_of(lambda q: self.select(q))}
            write_json(path, index)
        self._index = index
        return index

    def _close(self) -> None:
        self._store = None

    def store(self) -> Any:
        """The open pyoxigraph store: the in-memory one when this object holds the current
        dump in memory, else the on-disk one (rebuilt first when the dump changed)."""
        if self.memory is True:
            return self._in_memory()
        fingerprint = self._fingerprint()
        if self._held is not None:
            if self._loaded == fingerprint:
                return self._held
            self._held = None  # the dump changed since it was loaded
        if self._store is None or self._opened != fingerprint:
            import pyoxigraph as ox

            self._store = None
            if not self.fresh():
                self._rebuild()
            try:
                self._store = ox.Store.read_only(str(self.home / "db"))
            except OSError as exc:
                raise StoreError(f"{self.home}: cannot open the local store ({exc})") from None
            self._opened = fingerprint
        return self._store

    @property
    def in_memory(self) -> bool:
        """Whether the next query runs on an in-memory store."""
        return self.memory is True or (
            self._held is not None and self._loaded == self._fingerprint())

    def load_estimate(self) -> float:
        """Seconds a load of the dump into memory is expected to take (its size at
        :data:`LOAD_RATE`)."""
        return _load_seconds(self._fingerprint()["size"])

    def _in_memory(self) -> Any:
        """The dump in an in-memory store, loaded again when the dump changed."""
        fingerprint = self._fingerprint()
        if self._store is None or self._loaded != fingerprint:
            self._store, self._loaded = load_in_memory(self.dump), fingerprint
        return self._store

    def _note(self, seconds: float) -> None:
        """Count ``seconds`` of a query on disk; start the move into memory once they add up
        to the expected load (``memory=None`` only, and only for a dump that fits)."""
        self.spent_on_disk += seconds
        if self._promoting is not None and self._promoting.is_alive():
            return
        # the dump the disk store answered for, as store() found it just now: no new stat
        fingerprint = self._opened or self._fingerprint()
        size = fingerprint["size"]
        if self.spent_on_disk < _load_seconds(size) or not _fits(size):
            return
        self.spent_on_disk = 0.0
        self._promoting = threading.Thread(target=self._promote, args=(fingerprint,),
                                           name="normgraph-memory", daemon=True)
        self._promoting.start()

    def _promote(self, fingerprint: dict[str, Any]) -> None:
        try:
            held = load_in_memory(self.dump)
        except StoreError:
            return  # the on-disk store goes on answering; it reports the dump's own errors
        if self._fingerprint() == fingerprint:
            self._held, self._loaded = held, fingerprint

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a move into memory under way (if any); whether queries now run in
        memory."""
        if self._promoting is not None:
            self._promoting.join(timeout)
        return self.in_memory

    def select(self, query: str, params: dict[str, Term] | None = None) -> Result:
        """Run ``query`` (parameters bound as a ``VALUES`` block) on the local store."""
        if self.memory is False:
            return self._one_shot(query, params)
        store = self.store()
        if self.memory is not None or store is not self._store:
            return select_on(store, query, params)
        start = time.perf_counter()
        try:
            return select_on(store, query, params)
        finally:
            self._note(time.perf_counter() - start)

    def _one_shot(self, query: str, params: dict[str, Term] | None) -> Result:
        """A one-shot command's question: asked of the dump's keeper, else of the disk store,
        whose time is counted towards starting a keeper."""
        text = _bound(query, params)
        fingerprint = self._fingerprint()
        answer = _keepers().ask(self.home, fingerprint, text)
        if answer is not None:
            kind, value = answer
            if kind == "error":
                raise StoreError(value)
            return result_of(value)
        store = self.store()
        start = time.perf_counter()
        try:
            return result_of(execute(store, text))
        finally:
            size = fingerprint["size"]
            _keepers().count(self.home, self.dump, fingerprint, time.perf_counter() - start,
                             _load_seconds(size), _fits(size))

    # -- the keeper (see normgraph.store.keeper_client) ---------------------------------------

    def keep(self, timeout: float | None = None) -> KeeperStatus:
        """Start this dump's keeper now, unless one holds it already, and wait until it
        answers: from then on one-shot commands on the dump run in memory."""
        keepers = _keepers()
        if not keepers.enabled():
            raise StoreError("keepers are turned off (NORMGRAPH_KEEPER=0)")
        fingerprint = self._fingerprint()
        need, budget = fingerprint["size"] * MEMORY_PER_BYTE, memory_budget()
        if need > budget:
            raise StoreError(
                f"{self.dump}: too large to keep in memory (about {need / 2**20:,.0f} MiB; "
                f"a keeper may take {budget / 2**20:,.0f} MiB, a quarter of this machine's)")
        held = keepers.record(self.home)
        if held is not None and held.get("fingerprint") != fingerprint:
            keepers.stop(self.home)  # it holds an older dump
        end = time.monotonic() + 5.0
        pid = keepers.spawn(self.home, self.dump)
        while pid is None and time.monotonic() < end:  # one is there, or being started
            pid = (keepers.record(self.home) or {}).get("pid")
            if pid is None:
                time.sleep(0.05)
                pid = keepers.spawn(self.home, self.dump)
        status = keepers.wait_ready(self.home, pid, timeout) if pid else None
        if status is None:
            raise StoreError(f"{self.dump}: the keeper ended before it could answer"
                             f"{_last_line(self.home / 'keeper.log')}")
        return status

    def keeper(self) -> KeeperStatus | None:
        """The keeper of this dump, as it reports itself, or ``None``."""
        return _keepers().status(self.home)

    def has_keeper(self) -> bool:
        """Whether a keeper holds this dump's graph now (or is loading it)."""
        return _keepers().record(self.home) is not None

    def renew_keeper(self, held_before: bool = False) -> int | None:
        """After the dump changed (a build wrote it): a keeper holding the old dump is
        stopped and one is started for the new (not waited for), since the questions asked
        on the old one paid for it. ``held_before``: a keeper held the dump before it was
        rewritten (:meth:`has_keeper`, asked then), which counts even if it has left since: a
        keeper leaves by itself within a second of seeing its dump change. The new keeper's
        process id, or ``None`` when none held the dump, keepers are off or the new graph
        would not fit."""
        keepers = _keepers()
        held = keepers.record(self.home)
        if (held is None and not held_before) or not keepers.enabled():
            return None
        fingerprint = self._fingerprint()
        if held is not None and held.get("fingerprint") == fingerprint:
            return int(held["pid"])
        keepers.stop(self.home)
        if not _fits(fingerprint["size"]):
            return None
        return keepers.spawn(self.home, self.dump)

    def stop_keeper(self) -> int | None:
        """Stop this dump's keeper; its process id, or ``None`` if none ran."""
        return _keepers().stop(self.home)


def _current(index: Any, fingerprint: dict[str, Any]) -> TypeGuard[dict[str, Any]]:
    """Whether a link index (held, or read from disk) was made from the dump of
    ``fingerprint``."""
    return isinstance(index, dict) and index.get("fingerprint") == fingerprint


def _last_line(log: Path) -> str:
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return f" ({lines[-1][:300]})" if lines else ""


#: bytes of Turtle pyoxigraph loads into memory a second, measured on this project's dumps on
#: a 2-core machine (18 MB in 0.74 s, 181 MB in 10.3 s): only the order of magnitude matters
LOAD_RATE = 18_000_000
#: resident bytes an in-memory pyoxigraph store takes per byte of Turtle loaded (measured: 176
#: MiB for an 18 MB dump, 1,262 MiB for 181 MB)
MEMORY_PER_BYTE = 7.5


def _load_seconds(size: int) -> float:
    return size / LOAD_RATE


def _fits(size: int) -> bool:
    """Whether a dump of ``size`` bytes may be held in memory (:func:`memory_budget`)."""
    return size * MEMORY_PER_BYTE <= memory_budget()


def memory_budget() -> float:
    """The most an in-memory store may take: a quarter of the machine's physical memory."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 4
    except (ValueError, OSError, AttributeError):
        return 1 << 30


def load_in_memory(dump: Path) -> Any:
    """``dump`` loaded into a new in-memory pyoxigraph store."""
    import pyoxigraph as ox

    store = ox.Store()
    try:
        store.bulk_load(path=str(dump), format=ox.RdfFormat.TURTLE)
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"{dump}: cannot be loaded ({_first(exc)})") from None
    return store


def select_on(store: Any, query: str, params: dict[str, Term] | None = None) -> Result:
    """Run ``query`` on an open pyoxigraph store: rows of plain strings, one-line errors."""
    return result_of(execute(store, _bound(query, params)))


def _bound(query: str, params: dict[str, Term] | None) -> str:
    """``query`` with ``params`` bound (see :func:`bind_values`); a bad value is a
    :class:`StoreError` line."""
    try:
        return bind_values(query, params or {})
    except ValueError as exc:
        raise StoreError(str(exc)) from None


def execute(store: Any, text: str) -> Any:
    """pyoxigraph's answer to the query ``text`` (solutions, a boolean or triples), its
    errors as :class:`StoreError` lines."""
    try:
        return store.query(text)
    except SyntaxError as exc:
        raise StoreError(f"the query is not valid SPARQL: {_first(exc)}") from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise StoreError(f"the query failed: {_first(exc)}") from None


def result_of(solutions: Any) -> Result:
    """A pyoxigraph answer (solutions, a boolean, or triples: any iterable of them) as rows of
    plain strings."""
    if isinstance(solutions, bool) or type(solutions).__name__ == "QueryBoolean":
        return Result(["ask"], [{"ask": "true" if solutions else "false"}])
    if not hasattr(solutions, "variables"):
        rows = [{"subject": _value(t.subject), "predicate": _value(t.predicate),
                 "object": _value(t.object)} for t in solutions]
        return Result(["subject", "predicate", "object"], rows)
    import pyoxigraph as ox

    columns = [v.value for v in solutions.variables]
    rows, types = [], []
    # the hot loop of every query: a solution's terms taken in column order, each read once
    literal, plain = ox.Literal, _PLAIN
    for solution in solutions:
        row: dict[str, str | None] = {}
        kinds: dict[str, str | None] = {}
        for column, term in zip(columns, solution, strict=True):
            if term is None:
                row[column] = kinds[column] = None
                continue
            row[column] = term.value
            kind = term.datatype.value if isinstance(term, literal) else None
            # plain and language-tagged strings have no other value than their text
            kinds[column] = None if kind in plain else kind
        rows.append(row)
        types.append(kinds)
    return Result(columns, rows, types)


_PLAIN = frozenset({"http://www.w3.org/2001/XMLSchema#string",
                    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})


#: the columns of the canned ``instruments`` query, as the link index keeps them
INSTRUMENT_COLUMNS = ("symbol", "type", "date", "title")
#: the canned ``links`` query's citation variable and the predicate that finds a citation:
#: the build asks that query in parts, each the citations of one range of IRIs (a ``FILTER``
#: on the variable, which Oxigraph applies where the citation is found, before the joins)
CITATION = ("c", "http://purl.org/spar/cito/hasCitingEntity")
#: citations sampled to cut those ranges (the first the store yields: its index is in the
#: order of the terms' hashes, so they fall about evenly over the IRIs)
CITATION_SAMPLE = 4096
#: the citations from which the parts pay back their own cost (each scans every citation).
#: Measured in the build on 2 cores, the queries without ORDER BY, three runs each: at
#: 46,094 citations (10,000 documents, the new disk store) the link index took 4.2-5.2 s
#: in two parts against 5.7-6.4 s whole (the whole links query ran alone on one core for
#: its last seconds); at about 4,600 (1,000, the in-memory validation store) 0.21 s against
#: 0.20. The line between is a round number, not a measured crossing
PARTS_FROM = 10_000


def link_index_of(select: Callable[[str], Result], together: bool = False) -> dict[str, Any]:
    """The link index (see :meth:`LocalStore.link_index`) from any store that answers the
    canned ``instruments`` and ``links`` queries: their rows, each table in its query's
    order, ties ordered by the other columns. The rows are sorted here, the queries asked
    without their ``ORDER BY``: Oxigraph's reads each compared term's text from the store
    (the links query of 10,000 documents on a warm disk store: 3.3 s with it, 2.7 s
    without). ``together``: the ``instruments`` query and the ``links`` one, in as many
    parts as the machine has cores (at most 8; see :func:`link_parts`), asked at once (a
    pyoxigraph store answers without the GIL). On 2 cores, the index of the new disk store
    at 100,000 documents took 69 s as two queries at once (the links query the whole time)
    and takes 55 s so; a streamed build makes it from the entries it writes instead
    (:mod:`normgraph.store.link_entries`)."""
    instruments = without_order(get_query("instruments").text)
    links = without_order(get_query("links").text)

    def rows(text: str, columns: tuple[str, ...]) -> list[list[str | None]]:
        return [[r.get(c) for c in columns] for r in select(text).rows]

    if not together:
        found = {"instruments": rows(instruments, INSTRUMENT_COLUMNS),
                 "links": rows(links, LINK_COLUMNS)}
    else:
        from concurrent.futures import ThreadPoolExecutor

        parts = link_parts(select, links, min(8, max(2, os.cpu_count() or 2)))
        with ThreadPoolExecutor(max_workers=len(parts) + 1) as pool:
            asked = pool.submit(rows, instruments, INSTRUMENT_COLUMNS)
            pieces = [pool.submit(rows, text, LINK_COLUMNS) for text in parts]
            found = {"instruments": asked.result(),
                     "links": [row for piece in pieces for row in piece.result()]}
    return ordered_index(found["instruments"], found["links"])


def ordered_index(instruments: list[list[str | None]], links: list[list[str | None]]
                  ) -> dict[str, Any]:
    """The link index of these rows (the ``instruments`` and ``links`` queries' columns),
    each table in its query's order, ties ordered by the other columns."""
    instruments.sort(key=_instrument_order)
    links.sort(key=_link_order)
    return {"instruments": instruments, "links": links}


def link_parts(select: Callable[[str], Result], text: str, parts: int,
               min_citations: int | None = None) -> list[str]:
    """The ``links`` query ``text`` as up to ``parts`` queries whose rows together are its
    rows, each once: each holds the citations in one range of IRIs, cut at a sample of them
    (a citation that is not an IRI goes to the first). One query for a graph with fewer
    than ``min_citations`` (by default :data:`PARTS_FROM`)."""
    var, predicate = CITATION
    if parts < 2 or not re.search(rf"\?{var}\b", text):
        return [text]
    counted = select(f"SELECT (COUNT(?{var}) AS ?n) WHERE {{ ?{var} <{predicate}> ?o }}")
    least = PARTS_FROM if min_citations is None else min_citations
    if int(counted.rows[0].get("n") or 0) < least:
        return [text]
    sample = sorted({v for v in select(
        f"SELECT ?{var} WHERE {{ ?{var} <{predicate}> ?o FILTER(isIRI(?{var})) }} "
        f"LIMIT {CITATION_SAMPLE}").column(var) if v})
    if len(sample) < 16 * parts:
        return [text]
    cuts = sorted({sample[len(sample) * i // parts] for i in range(1, parts)})
    bounds: list[str | None] = [None, *cuts, None]
    texts = []
    for low, high in pairwise(bounds):
        tests = []
        if low is not None:
            tests.append(f"isIRI(?{var}) && STR(?{var}) >= {Term(low, 'literal').sparql()}")
        if high is not None:
            below = f"STR(?{var}) < {Term(high, 'literal').sparql()}"
            tests.append(below if low is not None else f"(!isIRI(?{var}) || {below})")
        texts.append(in_group(text, f" FILTER({' && '.join(tests)}) "))
    return texts


def _instrument_order(row: list[str | None]) -> tuple[Any, ...]:
    """An instrument row's place: the ``instruments`` query's ``ORDER BY`` (the symbol),
    then the other columns, an unbound value before any other."""
    return (row[0] or "", *_unbound_first(row[1:]))


def _link_order(row: list[str | None]) -> tuple[Any, ...]:
    """A link row's place: the ``links`` query's ``ORDER BY`` (the citing symbol, the
    paragraph's ordinal as a number, the cited symbol, the relation), then every other
    column, an unbound value before any other."""
    ordinal = row[4] or ""
    number = (0, int(ordinal), "") if re.fullmatch(r"[+-]?\d+", ordinal) else (1, 0, ordinal)
    return (row[0] or "", number, row[2] or "", row[1] or "",
            *_unbound_first((row[3], row[5], row[6])))


def _unbound_first(values: Iterable[str | None]) -> Iterator[tuple[bool, str]]:
    """Sort keys for the columns that break ties: an unbound value before any other."""
    return ((value is not None, value or "") for value in values)


def _write_link_index(select: Callable[[str], Result], folder: Path,
                      fingerprint: dict[str, Any], ready: dict[str, Any]) -> None:
    # select answers on an open pyoxigraph store (see StagedStore.commit): safe from threads
    index = ready.get(LINKS) or link_index_of(select, together=True)
    write_json(folder / LINKS, {"fingerprint": fingerprint, **index})


#: the link index's file, beside the store
LINKS = "links.json"

#: What is built beside the local store, from it, each time the store is made: functions
#: ``(select, folder, fingerprint, ready)`` that write their files into ``folder`` (the
#: staging folder, moved into place with the store). ``select(query)`` answers on the new
#: graph, from several threads at once too; ``ready`` holds what the caller made already, by
#: file name (a streamed build makes the link index as it writes the dump: see
#: :mod:`normgraph.store.link_entries`).
#: Other indexes over the same graph join here.
BESIDE: list[Callable[[Callable[[str], Result], Path, dict[str, Any], dict[str, Any]],
                      None]] = [_write_link_index]


class StagedStore:
    """A new local store in a staging folder: :attr:`store` is open for writing; :meth:`commit`
    makes what is built beside it and swaps both in for the old ones."""

    def __init__(self, local: LocalStore, folder: Path) -> None:
        import pyoxigraph as ox

        self.local = local
        self.folder = folder
        self.path = folder / "db"
        self.store: Any = ox.Store(str(self.path))
        self._settled = False
        self._settling = threading.Lock()  # a second caller waits for the first's merge

    def settle(self) -> None:
        """Merge the files the loads left, all of them now (RocksDB's compaction, which
        otherwise runs in the background only while the store is open for writing: the
        store is then opened read-only). A store closed with its files unmerged answers
        every later query slower: at 10,000 documents, 32 files against 10 after a 3.2 s
        merge, `lineage` 1.09 -> 0.64 s, `instruments` 2.17 -> 0.96 s. Safe while the store
        is queried, from another thread (pyoxigraph lets go of the GIL)."""
        with self._settling:
            if not self._settled:
                self.store.optimize()
                self._settled = True

    def commit(self, source: Any = None, fingerprint: dict[str, Any] | None = None,
               ready: dict[str, Any] | None = None) -> None:
        """Make what is built beside the store (:data:`BESIDE`; from ``source``, an open
        pyoxigraph store holding the same graph, when a faster one is at hand; ``ready``:
        what the caller made of it already, by file name), then move the store and those
        files into place and stamp them with the dump's fingerprint (taken now unless given:
        call this once the dump is in place)."""
        fingerprint = fingerprint or self.local._fingerprint()
        self.store.flush()
        self.settle()
        on = source if source is not None else self.store
        for make in BESIDE:
            make(lambda text: select_on(on, text), self.folder, fingerprint, ready or {})
        on = None  # (it may be the store itself)
        self.store = None  # closes the database before it moves: its last reference
        home = self.local.home
        with self.local._lock():
            old = home / "db"
            trash = home / f"old.{os.getpid()}"
            if old.exists():
                os.replace(old, trash)
            os.replace(self.path, old)
            for made in self.folder.iterdir():
                os.replace(made, home / made.name)
            # an index made from the old graph that BESIDE does not remake
            (home / "search.sqlite").unlink(missing_ok=True)
            shutil.rmtree(trash, ignore_errors=True)
            stamp = home / "stamp.json.tmp"
            stamp.write_text(json.dumps(fingerprint), encoding="utf-8")
            os.replace(stamp, home / "stamp.json")
        self.local._close()

    def discard(self) -> None:
        """Remove the staging folder (idempotent; after :meth:`commit` nothing is left)."""
        self.store = None
        shutil.rmtree(self.folder, ignore_errors=True)


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
            bindings = raw["results"]["bindings"]
            rows = [{c: (b[c]["value"] if c in b else None) for c in columns} for b in bindings]
            types = [{c: (b[c].get("datatype") if c in b else None) for c in columns}
                     for b in bindings]
        except (KeyError, TypeError, AttributeError):
            raise StoreError(f"{self.endpoint}: malformed SPARQL JSON results") from None
        return Result(columns, rows, types)


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
               timeout: float = 30.0, memory: bool | None = None) -> Store:
    """The remote endpoint when one is given, else the local store over ``dump``: the same
    :class:`LocalStore` object for the same dump, cache and ``memory`` within a process, so
    that a process asking many questions (a notebook calling ``api.query``) has them counted
    together and moves into memory when they add up (see :attr:`LocalStore.memory`; a
    one-shot command passes ``memory=False``)."""
    if endpoint:
        return RemoteStore(endpoint, timeout)
    if dump is None:
        from ..resources import default_dump

        dump = default_dump()
    key = (str(Path(dump).resolve()), str(cache_dir()), memory)
    with _OPEN_LOCK:
        store = _OPEN.pop(key, None) or LocalStore(dump, memory=memory)
        _OPEN[key] = store  # the most recently used last
        while len(_OPEN) > _OPEN_MAX:  # each holds open files and maybe a graph in memory
            _OPEN.pop(next(iter(_OPEN)))
    return store


#: the local stores :func:`open_store` handed out, by (dump, cache folder, memory), oldest
#: first
_OPEN: dict[tuple[str, str, bool | None], LocalStore] = {}
_OPEN_LOCK = threading.Lock()
_OPEN_MAX = 4


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
