"""A dump's keeper holds its graph in memory for the one-shot commands that follow each other
on it (``normgraph keeper``, :mod:`normgraph.store.keeper_client`): commands answer exactly
as on the disk store, a keeper of an older dump or a dead one is never asked, one starts by
itself once commands' time on disk pays for its load, and it leaves when idle."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from normgraph import api
from normgraph.store import keeper_client, triplestore
from test_answers import canon

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "normgraph.ttl"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _cli() -> list[str]:
    from test_cli import console_script

    return console_script()


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "g.ttl"
    path.write_bytes(SHIPPED.read_bytes())
    return path


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Keepers on, in a cache of this test's own; every keeper started here is stopped."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("NORMGRAPH_CACHE", str(cache))
    monkeypatch.setenv("NORMGRAPH_KEEPER", "1")
    yield dict(os.environ)
    for record in cache.glob(f"store-*/{keeper_client.RECORD}"):
        keeper_client.stop(record.parent)


def _run(env: dict[str, str], *args: str, keeper: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([*_cli(), *args], capture_output=True, text=True, timeout=120,
                          env=dict(env, NORMGRAPH_KEEPER="1" if keeper else "0"))


def _home(dump: Path) -> Path:
    return api.LocalStore(dump).home


def _gone(home: Path, timeout: float = 15.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if keeper_client.record(home) is None:
            return True
        time.sleep(0.1)
    return False


def _ended(pid: int, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not keeper_client.alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_commands_answer_through_a_keeper_exactly_as_on_disk(env, dump: Path) -> None:
    started = _run(env, "keeper", "start", "--dump", str(dump))
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith(f"keeping {dump.resolve()} in memory (pid ")
    assert "0 questions answered" in started.stdout
    commands = [
        ["query", "bodies"],
        ["query", "theme", "-p", "theme=critical-infrastructure", "--format", "json"],
        ["query", "lineage", "-p", "root=A/RES/80/16", "--format", "csv"],
        ["sparql", COUNT],
        ["sparql", "ASK { ?s a <https://w3id.org/normgraph/ontology#Body> }"],
        ["sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 25",
         "--format", "tsv"],
        ["sparql", 'SELECT ?l WHERE { ?s ?p ?l FILTER(isLiteral(?l) && lang(?l) != "") } '
         "ORDER BY ?l LIMIT 50", "--format", "json"],
    ]
    for args in commands:
        kept = _run(env, *args, "--dump", str(dump))
        disk = _run(env, *args, "--dump", str(dump), keeper=False)
        assert kept.returncode == disk.returncode == 0, (args, kept.stderr, disk.stderr)
        assert kept.stdout.strip(), args
        if args[1] == "theme":
            # the same rows; the order of the norms a GROUP_CONCAT lists is the engine's, and
            # the disk store and the in-memory one walk the paragraph's norms differently
            assert canon(json.loads(kept.stdout)) == canon(json.loads(disk.stdout))
        else:
            assert kept.stdout == disk.stdout, args
    status = _run(env, "keeper", "status", "--dump", str(dump))
    # every command above was answered by the keeper, none by the disk store
    assert f"{len(commands)} questions answered" in status.stdout, status.stdout
    stopped = _run(env, "keeper", "stop", "--dump", str(dump))
    assert stopped.stdout.startswith("stopped the keeper (pid ")
    assert _run(env, "keeper", "status", "--dump", str(dump)).stdout == \
        "no keeper holds this dump\n"
    assert not (_home(dump) / "keeper.sock").exists()


def test_a_bad_query_is_the_same_one_line_error_through_a_keeper(env, dump: Path) -> None:
    assert _run(env, "keeper", "start", "--dump", str(dump)).returncode == 0
    for query in ("SELEC ?x WHERE {}", "SELECT ?x WHERE { ?x <http://p> ?undefined( }"):
        kept = _run(env, "sparql", query, "--dump", str(dump))
        disk = _run(env, "sparql", query, "--dump", str(dump), keeper=False)
        assert kept.returncode == disk.returncode == 1
        assert kept.stderr == disk.stderr
        assert kept.stderr.startswith("normgraph: the query is not valid SPARQL")
        assert len(kept.stderr.splitlines()) == 1 and "Traceback" not in kept.stderr
    assert "2 questions answered" in _run(env, "keeper", "status", "--dump", str(dump)).stdout


def test_a_changed_dump_is_answered_from_itself_and_its_old_keeper_leaves(
        env, dump: Path) -> None:
    store = api.LocalStore(dump, memory=False)
    kept = store.keep(timeout=60)
    before = int(store.select(COUNT).rows[0]["n"])
    assert store.keeper().questions == 1  # type: ignore[union-attr]
    text = dump.read_text(encoding="utf-8")
    dump.write_text(text + "\n<https://example.org/a> <https://example.org/b> \"c\" .\n",
                    encoding="utf-8")
    # the new dump's answer, from a store made from it, never the keeper's old graph
    assert int(store.select(COUNT).rows[0]["n"]) == before + 1
    assert _gone(store.home)
    assert _ended(kept.pid)
    assert int(store.select(COUNT).rows[0]["n"]) == before + 1


def test_a_killed_keeper_sends_commands_back_to_the_disk_store(env, dump: Path) -> None:
    started = _run(env, "keeper", "start", "--dump", str(dump))
    pid = int(started.stdout.split("(pid ")[1].split(",")[0])
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    kept = _run(env, "sparql", COUNT, "--dump", str(dump))
    disk = _run(env, "sparql", COUNT, "--dump", str(dump), keeper=False)
    assert kept.returncode == 0 and kept.stdout == disk.stdout and kept.stderr == ""
    assert _run(env, "keeper", "status", "--dump", str(dump)).stdout == \
        "no keeper holds this dump\n"


def test_commands_start_a_keeper_once_their_time_on_disk_pays_for_its_load(
        env, dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = api.LocalStore(dump, memory=False)
    home = store.home
    # a load this machine would take 0.3 s (and a keeper's start, 0.5 s): questions on disk
    # below that start nothing
    monkeypatch.setattr(triplestore, "LOAD_RATE", dump.stat().st_size / 0.3)
    store.select(COUNT)
    assert keeper_client.record(home) is None
    spent = keeper_client.read_json(home / keeper_client.SPENT)
    assert 0 < spent["seconds"] < 0.8 and spent["fingerprint"] == store._fingerprint()
    # a one-shot command in a new process counts on from there (the count is in the folder)
    monkeypatch.setattr(triplestore, "LOAD_RATE", 1e15)
    monkeypatch.setattr(keeper_client, "START_SECONDS", spent["seconds"] * 0.5)
    rows = store.select(COUNT).rows  # this question pays: a keeper starts, the answer is disk's
    record = keeper_client.record(home)
    assert record is not None
    status = keeper_client.wait_ready(home, record["pid"], timeout=60)
    assert status is not None and status.questions == 0
    assert api.LocalStore(dump, memory=False).select(COUNT).rows == rows
    assert store.keeper().questions == 1  # type: ignore[union-attr]


def test_no_keeper_for_a_graph_too_large_for_its_memory_share(
        env, dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triplestore, "LOAD_RATE", 1e15)
    monkeypatch.setattr(keeper_client, "START_SECONDS", 0.0)
    monkeypatch.setattr(triplestore, "memory_budget", lambda: dump.stat().st_size)
    store = api.LocalStore(dump, memory=False)
    for _ in range(3):
        store.select(COUNT)
    assert keeper_client.record(store.home) is None
    with pytest.raises(api.StoreError, match="too large to keep in memory"):
        store.keep()


def test_a_keeper_leaves_after_its_idle_time(env, dump: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMGRAPH_KEEPER_IDLE", "1")
    store = api.LocalStore(dump, memory=False)
    status = store.keep(timeout=60)
    assert status.leaves_after == 1.0
    store.select(COUNT)
    assert _gone(store.home, timeout=10)
    assert not (store.home / "keeper.sock").exists()
    assert _ended(status.pid)


def test_keepers_turned_off(env, dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triplestore, "LOAD_RATE", 1e15)
    monkeypatch.setattr(keeper_client, "START_SECONDS", 0.0)
    off = dict(env, NORMGRAPH_KEEPER="0")
    proc = subprocess.run([*_cli(), "keeper", "start", "--dump", str(dump)],
                          capture_output=True, text=True, env=off, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr == "normgraph: keepers are turned off (NORMGRAPH_KEEPER=0)\n"
    monkeypatch.setenv("NORMGRAPH_KEEPER", "0")
    store = api.LocalStore(dump, memory=False)
    store.select(COUNT)
    assert keeper_client.record(store.home) is None


def test_a_cache_path_too_long_for_a_socket_keeps_its_socket_privately(
        tmp_path: Path, dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / ("c" * 90)
    monkeypatch.setenv("NORMGRAPH_KEEPER", "1")
    store = api.LocalStore(dump, cache=cache, memory=False)
    try:
        store.keep(timeout=60)
        socket_path = keeper_client.record(store.home)["socket"]  # type: ignore[index]
        assert not socket_path.startswith(str(cache))
        assert os.stat(socket_path).st_mode & 0o077 == 0  # its owner's only
        disk = api.LocalStore(dump, cache=cache, memory=True).select(COUNT).rows
        assert store.select(COUNT).rows == disk
        assert store.keeper().questions == 1  # type: ignore[union-attr]
    finally:
        store.stop_keeper()
    assert not os.path.exists(socket_path)


def test_a_killed_keeper_s_private_socket_folder_is_removed_by_the_next(
        tmp_path: Path, dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A keeper killed (SIGKILL) cannot remove its private socket folder: the next keeper
    that needs one removes the folders of keepers that have ended, not those of live ones."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setenv("NORMGRAPH_KEEPER", "1")
    cache = tmp_path / ("c" * 90)
    store = api.LocalStore(dump, cache=cache, memory=False)
    killed = store.keep(timeout=60)
    private = Path(keeper_client.record(store.home)["socket"]).parent  # type: ignore[index]
    assert private.parent == temporary and private.name.startswith(
        f"normgraph-keeper.{killed.pid}.")
    os.kill(killed.pid, signal.SIGKILL)
    assert _ended(killed.pid) and private.is_dir()  # left behind
    live = temporary / f"normgraph-keeper.{os.getpid()}.live.tmp"  # a live process's
    live.mkdir()
    try:
        store.keep(timeout=60)
        assert not private.exists() and live.is_dir()
    finally:
        store.stop_keeper()


def test_a_build_replaces_the_keeper_of_the_dump_it_rewrites(env, project: Path) -> None:
    out = project / "out" / "normgraph.ttl"
    assert api.build(api.Paths(project), out=out).report.conforms
    store = api.LocalStore(out, memory=False)
    old = store.keep(timeout=60)
    # the same sources again: the same triples, a new file, so a new fingerprint
    assert api.build(api.Paths(project), out=out).report.conforms
    assert _ended(old.pid)
    record = keeper_client.record(store.home)
    assert record is not None and record["pid"] != old.pid
    assert record["fingerprint"] == store._fingerprint()
    new = keeper_client.wait_ready(store.home, record["pid"], timeout=60)
    assert new is not None and new.questions == 0
    disk = api.LocalStore(out, cache=store.home.parent, memory=True).select(COUNT).rows
    assert store.select(COUNT).rows == disk
    assert store.keeper().questions == 1  # type: ignore[union-attr]


def test_a_build_replaces_a_keeper_that_left_before_the_store_was_made(
        env, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a keeper sees its dump change within a second and leaves: here it has left before the
    # build comes to the keeper, as on a machine slow to make the link index
    out = project / "out" / "normgraph.ttl"
    assert api.build(api.Paths(project), out=out).report.conforms
    store = api.LocalStore(out, memory=False)
    old = store.keep(timeout=60)
    make_index = triplestore.LocalStore.link_index

    def after_the_old_keeper_left(self, *args, **kwargs):
        assert _ended(old.pid, timeout=30)
        return make_index(self, *args, **kwargs)

    monkeypatch.setattr(triplestore.LocalStore, "link_index", after_the_old_keeper_left)
    assert api.build(api.Paths(project), out=out).report.conforms
    record = keeper_client.record(store.home)
    assert record is not None and record["pid"] != old.pid
    assert record["fingerprint"] == store._fingerprint()
    assert keeper_client.wait_ready(store.home, record["pid"], timeout=60) is not None


def test_a_keeper_that_loads_before_its_record_is_written_waits_for_it(env, dump: Path) -> None:
    # its starter writes the record once it has the new process's id: on a loaded machine
    # a small dump may be loaded before that
    import sys

    from normgraph.store.files import fingerprint_of, write_json

    home = _home(dump)
    home.mkdir(parents=True)
    proc = subprocess.Popen([sys.executable, "-m", "normgraph.store.keeper", str(dump.resolve()),
                             str(home)], env=env, stderr=subprocess.PIPE)
    try:
        time.sleep(2.0)  # its start and load of the shipped dump take well under this
        assert proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
        write_json(home / keeper_client.RECORD, {"state": "loading", "pid": proc.pid,
                                                 "fingerprint": fingerprint_of(dump.resolve())})
        status = keeper_client.wait_ready(home, proc.pid, timeout=30)
        assert status is not None and status.state == "ready"
        assert api.LocalStore(dump, memory=False).select(COUNT).rows == \
            api.LocalStore(dump, memory=True).select(COUNT).rows
        assert keeper_client.status(home).questions == 1  # type: ignore[union-attr]
    finally:
        keeper_client.stop(home)
        proc.wait(timeout=30)


def test_a_build_starts_no_keeper_where_none_was(env, project: Path) -> None:
    out = project / "out" / "normgraph.ttl"
    assert api.build(api.Paths(project), out=out).report.conforms
    assert keeper_client.record(api.LocalStore(out).home) is None


def test_a_keeper_survives_garbage_on_its_socket(env, dump: Path) -> None:
    import socket

    store = api.LocalStore(dump, memory=False)
    store.keep(timeout=60)
    path = keeper_client.record(store.home)["socket"]  # type: ignore[index]

    def send(data: bytes) -> bytes:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(path)
            with contextlib.suppress(OSError):  # it may answer before reading everything
                conn.sendall(data)
            conn.shutdown(socket.SHUT_WR)
            return conn.makefile("rb").read()

    assert json.loads(send(b"not json\n"))["error"].startswith("a malformed request")
    assert json.loads(send(b"[1, 2]\n"))["error"] == "a malformed request (not an object)"
    # a line past the limit is refused without being read whole: the error, or the
    # connection reset when the keeper closes on what it did not read
    try:
        too_long = send(b"x" * (keeper_client.LINE_LIMIT + (1 << 17)) + b"\n")
        assert json.loads(too_long)["error"] == "a malformed request (a line too long)"
    except ConnectionResetError:
        pass
    # a caller that hangs up at once
    assert json.loads(send(b""))["error"].startswith("a malformed request")
    assert json.loads(send(json.dumps({"op": "query", "query": COUNT}).encode() + b"\n")) \
        == {"stale": True}  # no fingerprint: never answered from a graph it cannot vouch for
    disk = api.LocalStore(dump, cache=store.home.parent, memory=True).select(COUNT).rows
    assert store.select(COUNT).rows == disk
    assert store.keeper().questions == 1  # type: ignore[union-attr]


@contextlib.contextmanager
def _fake_keeper(store: api.LocalStore, path: str,
                 serve: Callable[[Any], None]) -> Iterator[None]:
    """A socket at ``path`` that ``serve`` answers (given its listener, on a thread), named
    as ``store``'s ready keeper for the dump as it is now."""
    import socket
    import threading

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(2)
    threading.Thread(target=serve, args=(listener,), daemon=True).start()
    store.home.mkdir(parents=True, exist_ok=True)
    keeper_client.write_json(store.home / keeper_client.RECORD, {
        "state": "ready", "pid": os.getpid(), "socket": path,
        "fingerprint": store._fingerprint()})
    try:
        yield
    finally:
        (store.home / keeper_client.RECORD).unlink()
        listener.close()


def test_a_keeper_that_ends_mid_answer_sends_the_question_to_disk(env, dump: Path,
                                                                 tmp_path: Path) -> None:
    """A keeper's socket that promises an answer and closes part-way (as a keeper killed
    while writing would): the question is answered from the disk store, whole."""
    store = api.LocalStore(dump, memory=False)
    expected = api.LocalStore(dump, cache=tmp_path / "other", memory=False).select(COUNT).rows
    answered = []

    def cut_short(listener: Any) -> None:
        conn, _ = listener.accept()
        with conn:
            keeper_client.read_line(conn)
            conn.sendall(b'{"ok": "results", "size": 1000}\n?n\n')
            answered.append(True)

    with _fake_keeper(store, str(tmp_path / "k.sock"), cut_short):
        assert store.select(COUNT).rows == expected
        assert answered == [True]  # it was asked, and its half answer was not taken


def _connects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The Unix socket paths this process connects to from now on."""
    import socket

    seen: list[str] = []
    real = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if self.family == socket.AF_UNIX:
            seen.append(address)
        real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def test_a_process_that_asks_again_connects_once_per_thread(
        env, dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A notebook or a site asks a keeper many questions: each thread connects once, and the
    answers (an error among them) are the disk store's."""
    import threading

    store = api.LocalStore(dump, memory=False)
    store.keep(timeout=60)
    connects = _connects(monkeypatch)
    ask_type = "ASK { ?s a <https://w3id.org/normgraph/ontology#Body> }"
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 5"
    disk = api.LocalStore(dump, cache=tmp_path / "other", memory=True)
    expected = [disk.select(q).rows for q in (COUNT, ask_type, construct)]
    assert [store.select(q).rows for q in (COUNT, ask_type, construct)] == expected
    with pytest.raises(api.StoreError, match="not valid SPARQL"):
        store.select("SELEC ?x WHERE {}")
    assert store.select(COUNT).rows == expected[0]  # the error left the connection usable
    assert len(connects) == 1
    answers: list[Any] = []

    def asks() -> None:
        answers.extend(store.select(COUNT).rows for _ in range(3))

    threads = [threading.Thread(target=asks) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [expected[0]] * 6
    assert len(connects) == 3  # one more for each thread
    assert store.keeper().questions == 5 + 6  # type: ignore[union-attr]


def test_a_connection_the_keeper_closed_between_two_questions_is_made_again(
        env, dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A keeper closes a connection that stays silent, or one it cannot follow: the asker's
    next question connects again and is still answered by the keeper."""
    store = api.LocalStore(dump, memory=False)
    path = str(tmp_path / "k.sock")
    answered = []

    def one_answer_per_connection(listener: Any) -> None:
        for n in (7, 8):
            conn, _ = listener.accept()
            with conn:
                keeper_client.read_line(conn)
                body = f'?n\n"{n}"^^<http://www.w3.org/2001/XMLSchema#integer>\n'.encode()
                conn.sendall(json.dumps({"ok": "results", "size": len(body)}).encode()
                             + b"\n" + body)
                answered.append(n)

    with _fake_keeper(store, path, one_answer_per_connection):
        connects = _connects(monkeypatch)
        assert store.select(COUNT).rows == [{"n": "7"}]
        assert store.select(COUNT).rows == [{"n": "8"}]  # not the disk store's count
        assert answered == [7, 8] and connects == [path, path]


def test_a_keeper_follows_a_bounded_number_of_connections(dump: Path, tmp_path: Path) -> None:
    """Past the connections a keeper follows, a connection is closed after its first answer;
    one that ends frees its place."""
    import socket
    import threading

    from normgraph.store import keeper

    held = keeper.Keeper(dump, tmp_path)
    path = str(tmp_path / "k.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(4)
    threading.Thread(target=keeper._work, args=(listener, held, threading.Semaphore(1)),
                     daemon=True).start()
    question = json.dumps({"op": "query", "query": COUNT,
                           "fingerprint": held.fingerprint}).encode() + b"\n"
    answers: list[dict[str, Any]] = []

    def ask(conn: socket.socket) -> dict[str, Any] | None:
        try:
            conn.sendall(question)
            line, rest = keeper_client.read_line(conn)
        except OSError:
            return None
        if not line:
            return None
        header = json.loads(line)
        keeper_client._read_exact(conn, header["size"], rest)
        answers.append(header)
        return header

    try:
        first, second = keeper_client._connect(path, 30), keeper_client._connect(path, 30)
        assert ask(first) is not None and ask(first) is not None  # followed
        assert ask(second) is not None
        assert ask(second) is None  # no place left to follow it: closed after its answer
        second.close()
        first.close()  # its place is freed once the keeper sees it end
        end = time.monotonic() + 10
        while True:
            third = keeper_client._connect(path, 30)
            assert ask(third) is not None
            if ask(third) is not None:
                break  # followed again
            third.close()
            assert time.monotonic() < end
            time.sleep(0.05)
        third.close()
        assert held.questions == len(answers) >= 5
    finally:
        listener.close()
