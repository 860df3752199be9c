"""No clutter after a crash (issue 19, item 8): what a build or a store rebuild killed with
SIGKILL leaves (a temporary dump, the validator's scratch store, a half-loaded store folder) is
removed by the next run, and what a live process holds is left alone."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from normgraph.graph.dump import AtomicFile, sweep_dead

ROOT = Path(__file__).resolve().parents[1]
NORMGRAPH = str(Path(sys.executable).with_name("normgraph"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402

#: a streamed build, validated on Oxigraph (on disk), of 63,200 triples; small
#: enough for two shared cores
DOCUMENTS = 200


def _kill_when(proc: subprocess.Popen[bytes], seen, seconds: float = 240.0) -> bool:
    """SIGKILL ``proc`` as soon as ``seen()`` is true; False if it ended first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        if seen():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            return True
        time.sleep(0.02)
    proc.kill()
    proc.wait(timeout=60)
    return False


def _age(paths: list[Path], seconds: float) -> None:
    """Date files back, as if the crash were ``seconds`` ago."""
    past = time.time() - seconds
    for p in paths:
        os.utime(p, (past, past), follow_symlinks=False)


def test_a_killed_build_leaves_nothing_after_the_next_run(tmp_path: Path) -> None:
    corpus.write(DOCUMENTS, tmp_path)
    data, scratch = tmp_path / "data", tmp_path / "scratch"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    command = [NORMGRAPH, "build", "--root", str(tmp_path)]

    def temp_dumps() -> list[Path]:
        return sorted(data.glob(".normgraph.ttl.*.tmp"))

    def stores() -> list[Path]:
        return sorted(scratch.glob("normgraph-validate-*"))

    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    # killed while it writes the dump (and validates it on Oxigraph)
    assert _kill_when(proc, lambda: bool(temp_dumps())), "the build ended before the kill"
    assert proc.returncode == -signal.SIGKILL
    [left] = temp_dumps()  # the clutter the issue found
    assert f".{proc.pid}." in left.name  # the dead writer's pid names its file
    # A scratch store as a build killed while validating 8 million triples or more leaves
    # (only such builds validate on disk; too large to make on a shared test machine): a
    # folder whose store LOCK no process holds, a minute old or more.
    (scratch / "normgraph-validate-dead").mkdir()
    (scratch / "normgraph-validate-dead" / "LOCK").write_text("")
    _age([left, *stores()], 120)

    done = subprocess.run(command, env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert temp_dumps() == [] and stores() == []
    assert (data / "normgraph.ttl").read_bytes().rstrip().endswith(b".")


def test_a_killed_store_rebuild_leaves_nothing_after_the_next_query(tmp_path: Path) -> None:
    corpus.write(DOCUMENTS, tmp_path)
    dump = tmp_path / "data" / "normgraph.ttl"
    built = subprocess.run([NORMGRAPH, "build", "--root", str(tmp_path)], capture_output=True,
                           timeout=600)
    assert built.returncode == 0, built.stderr.decode()[-2000:]
    cache = tmp_path / "cache"
    env = {**os.environ, "NORMGRAPH_CACHE": str(cache)}
    command = [NORMGRAPH, "norms", "--dump", str(dump)]

    def loading() -> list[Path]:
        return sorted(cache.glob("store-*/db.*"))

    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    assert _kill_when(proc, lambda: bool(loading())), "the store was built before the kill"
    assert loading()
    done = subprocess.run(command, env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert loading() == []
    assert [p.name for p in next(cache.glob("store-*")).glob("old.*")] == []


def test_a_live_writer_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    live = AtomicFile(target)  # this process: alive, and holding its lock
    live.write("x")
    try:
        other = AtomicFile(target)  # sweeps before it makes its own file
        other.discard()
        assert live.tmp.exists()
    finally:
        live.discard()


def test_a_dead_writer_is_swept_but_a_locked_file_is_not(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)  # a process that has ended
    stale = tmp_path / f".out.ttl.{pid}.abc123.tmp"
    stale.write_text("half a dump")
    held = tmp_path / f".out.ttl.{pid}.def456.tmp"  # a dead pid, but a lock someone holds
    held.write_text("x")
    unnamed = tmp_path / "normgraph-validate-x"  # a folder without a pid: age and lock
    unnamed.mkdir()
    (unnamed / "LOCK").write_text("")
    with open(held, "rb") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        removed = sweep_dead(tmp_path, ".out.ttl.*.tmp")
        assert removed == [stale]
        assert held.exists()
    assert sweep_dead(tmp_path, "normgraph-validate-*", min_age=60) == []  # too recent
    _age([unnamed], 120)
    with open(unnamed / "LOCK", "rb") as fh:
        fcntl.lockf(fh, fcntl.LOCK_SH)  # a store holding its LOCK (a POSIX lock, as RocksDB)
        if not Path("/proc/locks").exists():
            pytest.skip("no /proc/locks: folders are never swept here")
        assert sweep_dead(tmp_path, "normgraph-validate-*") == []
    assert sweep_dead(tmp_path, "normgraph-validate-*") == [unnamed]
    assert not unnamed.exists()


def test_a_writer_that_ended_unreaped_is_swept(tmp_path: Path) -> None:
    # a writer killed in a container without an init stays a zombie: its pid exists, but it
    # has ended, and what it left is swept
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 30
        while Path(f"/proc/{child.pid}/stat").exists() and time.monotonic() < deadline:
            stat = Path(f"/proc/{child.pid}/stat").read_bytes()
            if stat[stat.rfind(b")") + 2:][:1] == b"Z":
                break
            time.sleep(0.02)
        else:
            pytest.skip("no /proc here: a zombie cannot be told from a live process")
        os.kill(child.pid, 0)  # it still exists, not reaped
        stale = tmp_path / f".out.ttl.{child.pid}.abc123.tmp"
        stale.write_text("half a dump")
        assert sweep_dead(tmp_path, ".out.ttl.*.tmp") == [stale]
    finally:
        child.wait()


def test_a_killed_site_build_leaves_nothing_after_the_next(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "NORMGRAPH_CACHE": str(tmp_path / "cache")}

    def stores() -> list[Path]:
        return sorted(scratch.glob("normgraph-site*"))

    command = [NORMGRAPH, "site", "-o", str(tmp_path / "site")]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    # killed once it has made the scratch store it draws the lineage pictures from
    assert _kill_when(proc, lambda: bool(stores())), "the site was made before the kill"
    [left] = stores()
    assert f".{proc.pid}." in left.name
    done = subprocess.run(command, env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert stores() == []  # the dead one swept, its own removed
