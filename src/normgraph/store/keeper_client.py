"""Finding, starting and asking a dump's keeper: a process of the user's that holds the graph
in memory between one-shot commands (the process itself is :mod:`normgraph.store.keeper`).

A command asks one question and ends, so it cannot pay for loading the dump into memory
(10 s at 10,000 documents): it queries the on-disk store, where Oxigraph's RocksDB lookups
make SPARQL 1.5-4x slower than in memory. Commands run one after another on the same dump
(a researcher at a shell) add up their time on disk in the store's folder; once it has paid
for a load, the next command starts a keeper, which loads the dump and then answers the
following commands in memory over a Unix socket in that folder (only its owner may open it).
A keeper leaves after a spell without questions (:func:`idle_seconds`), and at once when the
dump changes. Any fault on the way (no keeper, a keeper still loading, killed, or holding an
older dump) sends the command back to the disk store, so a keeper can only make an answer
faster: the rows are the disk store's (the same engine), only the order of the values a
``GROUP_CONCAT`` joins being the engine's own in either store.

Settings: ``NORMGRAPH_KEEPER=0`` turns keepers off (neither started nor asked);
``NORMGRAPH_KEEPER_IDLE``: seconds without a question before a keeper leaves (default 900).

The protocol: a JSON line (``{"op": "query", "query": ..., "fingerprint": ...}`` or
``{"op": "status"}``), answered by a JSON line, then for a query the answer's bytes: SPARQL TSV
results (``"results"``: every term written as in N-Triples, so nothing is lost) or N-Triples
(``"triples"``), as many as the line's ``size`` says. Questions follow each other on a
connection: a one-shot command asks one, a process that asks again keeps its connection (one
per thread) and connects again when the keeper has closed it. The keeper imports this module;
this one imports only the standard library, pyoxigraph and the package's root modules.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..resources import alive
from .files import fingerprint_of, read_json, write_json

if TYPE_CHECKING:
    import socket

__all__ = ["KeeperStatus", "RECORD", "ask", "count", "enabled", "idle_seconds", "read_line",
           "record", "spawn", "status", "stop", "wait_ready"]

#: the keeper's record in the store's folder: its state, process, socket and dump
RECORD = "keeper.json"
#: one-shot commands' seconds on the disk store since the last keeper, by dump fingerprint
SPENT = "spent.json"
#: seconds a keeper takes to start before it loads: Python, pyoxigraph (counted with the load)
START_SECONDS = 0.5
#: the longest line either side reads: a query's text is bounded at 1 MiB by the commands
LINE_LIMIT = 16 << 20

#: the keepers' records this process read, by path: the file's identity, and what it held
_records: dict[Path, tuple[tuple[int, int, int], Any]] = {}
#: each thread's open connections to keepers, by the keeper's process id and socket path (and
#: the process that opened them)
_open = threading.local()


def enabled() -> bool:
    """Whether keepers may be started and asked (``NORMGRAPH_KEEPER`` is not ``0``)."""
    return os.environ.get("NORMGRAPH_KEEPER", "1").strip().lower() not in ("0", "off", "no",
                                                                         "false")


def idle_seconds() -> float:
    """Seconds without a question after which a keeper leaves (``NORMGRAPH_KEEPER_IDLE``)."""
    try:
        value = float(os.environ.get("NORMGRAPH_KEEPER_IDLE", "900"))
    except ValueError:
        return 900.0
    return value if value > 0 else 900.0


def record(home: Path) -> dict[str, Any] | None:
    """The keeper's record in ``home`` if its process is alive (a dead keeper's is removed)."""
    data = read_json(home / RECORD)
    if not isinstance(data, dict) or not isinstance(data.get("pid"), int):
        return None
    if not alive(data["pid"]):
        forget(home, data["pid"])
        return None
    return data


def forget(home: Path, pid: int) -> None:
    """Remove the record if it is still the one of process ``pid``."""
    data = read_json(home / RECORD)
    if isinstance(data, dict) and data.get("pid") == pid:
        with contextlib.suppress(OSError):
            (home / RECORD).unlink()


def read_line(conn: socket.socket) -> tuple[bytes, bytes]:
    """The first line from ``conn`` (without its newline; empty if the peer closed first)
    and what came after it in the same reads. Raises ``ValueError`` past :data:`LINE_LIMIT`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = conn.recv(1 << 16)
        if not chunk:
            return b"", b""
        end = chunk.find(b"\n")
        if end >= 0:
            chunks.append(chunk[:end])
            return b"".join(chunks), chunk[end + 1:]
        chunks.append(chunk)
        size += len(chunk)
        if size > LINE_LIMIT:
            raise ValueError("a line too long")


def _read_exact(conn: socket.socket, size: int, start: bytes) -> bytes | None:
    """``size`` bytes: ``start``, then the rest from ``conn``; ``None`` if it closes first."""
    if len(start) >= size:
        return start[:size]
    body = bytearray(size)
    body[:len(start)] = start
    view, got = memoryview(body), len(start)
    while got < size:
        n = conn.recv_into(view[got:])
        if not n:
            return None
        got += n
    return bytes(body)


def _connect(path: str, timeout: float | None) -> socket.socket:
    """A connection to the keeper listening at ``path``, its reads and writes then bounded
    by ``timeout``."""
    import socket  # here, not above: a command that asks no keeper does not load it

    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(2.0)  # a keeper that does not take the call is as good as none
        conn.connect(path)
        conn.settimeout(timeout)
    except BaseException:
        conn.close()
        raise
    return conn


def _exchange(path: str, request: dict[str, Any],
              timeout: float | None) -> tuple[socket.socket, dict[str, Any] | None, bytes]:
    """Connect, send ``request``; the open connection, the reply's header line (a dict) and
    the bytes read after it. The caller closes the connection."""
    conn = _connect(path, timeout)
    try:
        conn.sendall(json.dumps(request).encode("utf-8") + b"\n")
        line, rest = read_line(conn)
        header = json.loads(line) if line else None
    except BaseException:
        conn.close()
        raise
    return conn, header if isinstance(header, dict) else None, rest


def _record_as_written(home: Path) -> Any:
    """The keeper's record in ``home`` as written, read again only when the file changed (it
    is replaced whole: a new file each time); ``None`` when there is none."""
    path = home / RECORD
    try:
        st = path.stat()
    except OSError:
        return None
    key = (st.st_ino, st.st_size, st.st_mtime_ns)
    seen = _records.get(path)
    if seen is not None and seen[0] == key:
        return seen[1]
    data = read_json(path)
    _records[path] = (key, data)
    return data


def _connection(keeper: tuple[Any, str]) -> tuple[socket.socket, bool]:
    """This thread's open connection to ``keeper`` (its process id and socket path) and
    ``True``, else a new one and ``False``."""
    held = getattr(_open, "connections", None)
    if held is None or _open.pid != os.getpid():  # a forked child does not share its parent's
        held = _open.connections = {}
        _open.pid = os.getpid()
    conn = held.pop(keeper, None)
    if conn is not None:
        return conn, True
    for other in [k for k in held if not (isinstance(k[0], int) and alive(k[0]))]:
        held.pop(other).close()  # to keepers that have ended since
    return _connect(keeper[1], None), False


def _keep_open(keeper: tuple[Any, str], conn: socket.socket) -> None:
    """Keep ``conn``, whose exchange ended cleanly, for this thread's next question."""
    _open.connections[keeper] = conn


def ask(home: Path, fingerprint: dict[str, Any], query: str) -> tuple[str, Any] | None:
    """The keeper's answer to ``query`` on the dump of ``fingerprint``: ``("results", parsed
    SPARQL results)``, ``("triples", parsed triples)`` or ``("error", one line)``; ``None``
    when no keeper holding that dump answers (the caller goes to the disk store). The
    connection stays open for this thread's next question, as long as the keeper keeps it."""
    if not enabled():
        return None
    # the record as written: a dead keeper's socket refuses the call, and is cleared then
    data = _record_as_written(home)
    if not isinstance(data, dict) or data.get("state") != "ready" or \
            data.get("fingerprint") != fingerprint:
        return None
    keeper = (data.get("pid"), str(data.get("socket")))
    request = json.dumps({"op": "query", "query": query, "fingerprint": fingerprint})
    try:
        for _ in range(2):
            conn, reused = _connection(keeper)
            try:
                conn.sendall(request.encode("utf-8") + b"\n")
                line, rest = read_line(conn)
            except BaseException as exc:
                conn.close()
                if reused and isinstance(exc, OSError):
                    continue  # the keeper closed it after a silence: once more, anew
                raise
            if line or not reused:
                break
            conn.close()  # closed by the keeper between two questions
        kept = False  # whether the exchange ended cleanly: the connection is then kept
        try:
            header = json.loads(line) if line else None
            if not isinstance(header, dict):
                return None
            if "stale" in header or "error" in header:
                kept = True
                return None if "stale" in header else ("error", str(header["error"]))
            body = _read_exact(conn, int(header["size"]), rest)
            if body is None:
                return None  # the keeper went away mid-answer
            kept = True
        finally:
            if kept:
                _keep_open(keeper, conn)
            else:
                conn.close()
    except (OSError, ValueError, KeyError, TypeError):
        record(home)  # removes the record of a keeper that has ended
        return None
    import pyoxigraph as ox

    try:
        if header["ok"] == "triples":
            return "triples", list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return "results", ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    except (SyntaxError, ValueError, OSError):
        return None


@dataclass(frozen=True)
class KeeperStatus:
    """A keeper as it reports itself."""

    pid: int
    state: str  # "loading" | "ready" | "silent" (alive, but it did not answer)
    dump: str
    questions: int = 0
    idle: float = 0.0  # seconds since its last question
    leaves_after: float = 0.0  # seconds without a question
    resident_mib: float = 0.0
    loaded_in: float = 0.0  # seconds its load of the dump took


def status(home: Path) -> KeeperStatus | None:
    """The keeper of the store in ``home``, or ``None``."""
    data = record(home)
    if data is None:
        return None
    base = KeeperStatus(pid=data["pid"], state=str(data.get("state")),
                        dump=str((data.get("fingerprint") or {}).get("dump", "")))
    if data.get("state") != "ready":
        return base
    silent = KeeperStatus(pid=base.pid, state="silent", dump=base.dump)
    try:
        conn, header, _ = _exchange(str(data.get("socket")), {"op": "status"}, 5.0)
        conn.close()
    except (OSError, ValueError):
        return silent
    if header is None:
        return silent
    return KeeperStatus(
        pid=base.pid, state="ready", dump=base.dump, questions=int(header.get("questions", 0)),
        idle=float(header.get("idle", 0)), leaves_after=float(header.get("leaves_after", 0)),
        resident_mib=float(header.get("resident_mib", 0)),
        loaded_in=float(data.get("loaded_in", 0)))


def spawn(home: Path, dump: Path) -> int | None:
    """Start a keeper for ``dump`` unless one is alive (loading or ready); its process id,
    or ``None`` when one was already there or another process is starting one."""
    import subprocess

    home.mkdir(parents=True, exist_ok=True)
    with open(home / "keeper.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return None  # another command is starting one right now
        if record(home) is not None:
            return None
        from ..resources import child_env

        env = child_env()  # the keeper runs this very package, wherever this process found it
        # one malloc arena for all its threads: a thread's own arena made its first queries
        # pay for fresh pages again (lineage at 10,000 documents 1.7 s against 0.8 s)
        env.setdefault("MALLOC_ARENA_MAX", "1")
        with open(home / "keeper.log", "wb") as log:
            # it outlives the command: a session of its own, so that the terminal's signals
            # stay with the command, and the root as its folder, so that it holds none busy
            proc = subprocess.Popen(
                [sys.executable, "-m", "normgraph.store.keeper", str(dump.resolve()),
                 str(home.resolve())], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=log, env=env, cwd="/", start_new_session=True, close_fds=True)
        write_json(home / RECORD, {"state": "loading", "pid": proc.pid,
                                   "fingerprint": fingerprint_of(dump)})
        # reap it if it ends while this process still runs (a short test, a failed load)
        threading.Thread(target=proc.wait, daemon=True).start()
        return proc.pid


def wait_ready(home: Path, pid: int, timeout: float | None = None) -> KeeperStatus | None:
    """Wait until keeper ``pid`` answers (its status) or ends (``None``)."""
    end = None if timeout is None else time.monotonic() + timeout
    while end is None or time.monotonic() < end:
        data = record(home)
        if data is None or data.get("pid") != pid:
            return None
        if data.get("state") == "ready":
            return status(home)
        time.sleep(0.05)
    return None


def stop(home: Path, timeout: float = 10.0) -> int | None:
    """Stop the keeper of the store in ``home``; its process id, or ``None`` if none ran."""
    data = record(home)
    if data is None:
        return None
    import signal

    pid = data["pid"]
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    end = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < end:
        with contextlib.suppress(ChildProcessError):  # our own child: reap it
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                break
        time.sleep(0.05)
    forget(home, pid)
    for other in [k for k in getattr(_open, "connections", {}) if k[0] == pid]:
        _open.connections.pop(other).close()
    return pid


def count(home: Path, dump: Path, fingerprint: dict[str, Any], seconds: float,
          load_seconds: float, fits: bool) -> int | None:
    """Add a one-shot command's ``seconds`` on the disk store to what commands on this dump
    have spent there; once that pays for a keeper's start and load (``load_seconds``), and
    the graph ``fits`` the memory it may take, start one (its process id)."""
    if not enabled():
        return None
    path = home / SPENT
    try:
        with open(home / "spent.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return None  # another command is counting: this one's time is dropped
            data = read_json(path)
            spent = data.get("seconds", 0.0) if isinstance(data, dict) and \
                data.get("fingerprint") == fingerprint else 0.0
            spent += seconds
            if spent < load_seconds + START_SECONDS or not fits:
                write_json(path, {"fingerprint": fingerprint, "seconds": spent})
                return None
            write_json(path, {"fingerprint": fingerprint, "seconds": 0.0})
    except OSError:
        return None
    return spawn(home, dump)
