"""A dump's keeper: the graph held in memory for the one-shot commands that follow each other
on it, run as ``python -m normgraph.store.keeper DUMP HOME`` (started by
:func:`normgraph.store.keeper_client.spawn`, which also explains when and why).

It loads the dump into an in-memory pyoxigraph store, listens on a Unix socket in the local
store's folder ``HOME`` (or, when that path is too long for a socket, in a private temporary
folder), then writes its record there. A few threads answer the questions as they come; it
leaves, removing its record and socket, after :func:`keeper_client.idle_seconds` without a
question, as soon as the dump's fingerprint changes, when its record is no longer its own, or
on SIGTERM (``normgraph keeper stop``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import keeper_client as client
from .files import fingerprint_of, read_json, remove_dead, write_json
from .terms import StoreError
from .triplestore import execute, load_in_memory

#: the longest path a Unix socket may have (108 bytes on Linux, the final NUL included)
SOCKET_PATH_MAX = 100


class Keeper:
    """The in-memory graph of one dump and the state of its service."""

    def __init__(self, dump: Path, home: Path) -> None:
        self.dump, self.home = dump, home
        self.started = time.monotonic()
        self.fingerprint = fingerprint_of(dump)
        self.store: Any = load_in_memory(dump)
        self.questions = 0
        self.busy = 0
        self.last = time.monotonic()
        self.lock = threading.Lock()

    def current(self, wait: float = 0.0) -> bool:
        """Whether the dump is still the one held, and the record still this keeper's.
        ``wait``: seconds to wait for a record not written yet (its starter writes it once
        it knows this process's id, which a slow machine may do after a small load)."""
        try:
            if fingerprint_of(self.dump) != self.fingerprint:
                return False
        except OSError:
            return False
        end = time.monotonic() + wait
        data = read_json(self.home / client.RECORD)
        while data is None and time.monotonic() < end:
            time.sleep(0.02)
            data = read_json(self.home / client.RECORD)
        return isinstance(data, dict) and data.get("pid") == os.getpid()

    def answer(self, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """The reply to one request: its header and the bytes after it."""
        if request.get("op") == "status":
            return {"ok": "status", "questions": self.questions,
                    "idle": round(time.monotonic() - self.last, 1) if not self.busy else 0.0,
                    "leaves_after": client.idle_seconds(), "resident_mib": _resident_mib()}, b""
        # the asker took the dump's fingerprint just now; the watcher checks the record
        if request.get("fingerprint") != self.fingerprint:
            return {"stale": True}, b""
        with self.lock:
            self.questions += 1
        try:
            solutions = execute(self.store, str(request.get("query", "")))
        except StoreError as exc:
            return {"error": str(exc)}, b""
        if type(solutions).__name__ == "QueryTriples":
            body = solutions.serialize(format=ox.RdfFormat.N_TRIPLES)
            return {"ok": "triples", "size": len(body)}, body
        body = solutions.serialize(format=ox.QueryResultsFormat.TSV)
        return {"ok": "results", "size": len(body)}, body


#: seconds a keeper that has loaded waits for the record its starter writes
RECORD_WAIT = 10.0
#: threads taking new connections: one question need not wait behind another's long one
WORKERS = 2
#: connections kept open at once for their askers' next questions (past it, a connection is
#: closed after its first answer, and its asker connects again for the next)
FOLLOWED = 32
#: seconds a connection may go without sending a question or reading an answer
STALLED_SECONDS = 60.0


def _work(listener: socket.socket, keeper: Keeper, followed: threading.Semaphore) -> None:
    """Take connections as they come and answer the first question of each: each thread
    accepts for itself, so a question wakes one thread, not an acceptor and then a worker (a
    thread made per question cost more than a small query: 0.17 ms against 0.3 ms). A
    connection that answered is then followed by a thread of its own, made once its asker
    has the answer, for the questions that come after (a process that asks again, as a
    notebook or a site does, connects once)."""
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return  # the listener is closed: the keeper is leaving
        # an asker that stops sending or reading does not hold a thread for ever
        conn.settimeout(STALLED_SECONDS)
        try:
            answered = _answer(conn, keeper, first=True)
        except OSError:
            answered = False  # the asker went away or stalled
        if answered and followed.acquire(blocking=False):
            try:
                threading.Thread(target=_follow, args=(conn, keeper, followed), daemon=True,
                                 name="normgraph-keeper-follow").start()
                continue
            except RuntimeError:  # no thread to be had: its asker connects again
                followed.release()
        conn.close()


def _follow(conn: socket.socket, keeper: Keeper, followed: threading.Semaphore) -> None:
    """Answer a connection's questions after its first, until its asker closes it, sends
    something else than a question or stays silent for :data:`STALLED_SECONDS`."""
    try:
        with conn:
            while _answer(conn, keeper, first=False):
                pass
    except OSError:
        pass
    finally:
        followed.release()


def _answer(conn: socket.socket, keeper: Keeper, first: bool) -> bool:
    """Read one request from ``conn`` and answer it; whether the connection may carry
    another (not after a malformed request, nor when the asker closed it between two:
    the first request of a connection that closes at once is a malformed one)."""
    try:
        line, after = client.read_line(conn)
        if not line and not after and not first:
            return False  # the asker is done
        if after:
            raise ValueError("more than one line at once")
        request = json.loads(line)
        if not isinstance(request, dict):
            raise ValueError("not an object")
    except ValueError as exc:
        conn.sendall(json.dumps({"error": f"a malformed request ({exc})"}).encode() + b"\n")
        return False
    asks = request.get("op") == "query"  # a status call keeps no keeper alive
    if asks:
        with keeper.lock:
            keeper.busy += 1
    try:
        header, body = keeper.answer(request)
        conn.sendall(json.dumps(header).encode("utf-8") + b"\n" + body)
    finally:
        if asks:
            with keeper.lock:
                keeper.busy -= 1
                keeper.last = time.monotonic()
    return True


def _resident_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def _watch(keeper: Keeper, stop: threading.Event) -> None:
    """Return once the keeper should leave: idle long enough, its dump changed, its record
    taken over, or told to stop."""
    idle = client.idle_seconds()
    while not stop.wait(min(1.0, idle / 4)):
        with keeper.lock:
            quiet = not keeper.busy and time.monotonic() - keeper.last >= idle
        if quiet or not keeper.current():
            return


def serve(dump: Path, home: Path) -> int:
    """Load, listen, record, answer until it is time to leave."""
    keeper = Keeper(dump, home)
    # the dump changed while it loaded, or another keeper took over
    if not keeper.current(wait=RECORD_WAIT):
        client.forget(home, os.getpid())
        return 0
    place = home / "keeper.sock"
    private = None
    if len(os.fsencode(place)) > SOCKET_PATH_MAX:
        # named for this process, so that the next keeper removes it if this one is killed
        temporary = Path(tempfile.gettempdir())
        remove_dead(temporary.glob("normgraph-keeper.*.tmp"))
        private = Path(tempfile.mkdtemp(prefix=f"normgraph-keeper.{os.getpid()}.",
                                        suffix=".tmp", dir=temporary))
        place = private / "sock"
    with contextlib.suppress(FileNotFoundError):
        place.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket: its owner only
    try:
        listener.bind(str(place))
    finally:
        os.umask(old)
    listener.listen(64)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        data = read_json(home / client.RECORD)
        if isinstance(data, dict) and data.get("pid") == os.getpid():
            followed = threading.Semaphore(FOLLOWED)
            for n in range(WORKERS):
                threading.Thread(target=_work, args=(listener, keeper, followed), daemon=True,
                                 name=f"normgraph-keeper-{n}").start()
            write_json(home / client.RECORD, {
                "state": "ready", "pid": os.getpid(), "socket": str(place),
                "fingerprint": keeper.fingerprint,
                "loaded_in": round(time.monotonic() - keeper.started, 2)})
            _watch(keeper, stop)
    finally:
        client.forget(home, os.getpid())
        with contextlib.suppress(OSError):
            place.unlink()
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the threads waiting in accept
        listener.close()
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m normgraph.store.keeper DUMP HOME", file=sys.stderr)
        return 2
    dump, home = Path(argv[0]), Path(argv[1])
    try:
        return serve(dump, home)
    except (StoreError, OSError) as exc:
        print(f"normgraph keeper: {dump}: {exc}", file=sys.stderr)
        client.forget(home, os.getpid())
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
