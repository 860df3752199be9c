"""Where a build's CPU time goes, by what spent it: sampled from ``/proc`` while the build runs
in this process (Linux only; elsewhere :func:`available` is false).

- ``workers``: the processes the build forked to read, extract and render documents;
- ``checker``: a streamed build's checker process (:mod:`normgraph.check.apart`);
- ``compaction``: RocksDB's background threads in the build's process (their names start
  with ``rocksdb:``): the on-disk store merging the files each bulk load wrote;
- ``build``: the rest of the build's process (merge and write, the store's loading thread
  and Oxigraph's loader threads, the validation and link-index queries).

The build's own total and its children's come from ``getrusage`` (every thread and every
child that ended counted); the checker and the compaction threads from their last sample,
taken every ``interval`` seconds, so each may be short by up to that much.
"""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path

PARTS = ("workers", "checker", "compaction", "build")
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def available() -> bool:
    return Path("/proc/self/task").is_dir()


def _fields(stat: str) -> list[str]:
    """The fields of a ``/proc/.../stat`` line after the command's name (the state first)."""
    return stat.rsplit(")", 1)[1].split()


def _cpu(fields: list[str]) -> float:
    """utime + stime of a stat line's :func:`_fields`, in seconds."""
    return (int(fields[11]) + int(fields[12])) / _TICK


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


class CpuByPart:
    """Start sampling at once; :meth:`stop` returns the CPU seconds each of :data:`PARTS`
    spent in between."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self._me = os.getpid()
        self._sampler = 0  # the sampling thread's id, whose own time is left out
        self._checker: dict[int, float] = {}
        self._compaction: dict[str, float] = {}
        self._stop = threading.Event()
        # what was spent before: the counts below are from now
        self._sample()
        self._before = (dict(self._checker), dict(self._compaction),
                        resource.getrusage(resource.RUSAGE_SELF),
                        resource.getrusage(resource.RUSAGE_CHILDREN))
        self._thread = threading.Thread(target=self._run, name="cpu-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._sampler = threading.get_native_id()
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        for tid in os.listdir(f"/proc/{self._me}/task"):
            comm = _read(f"/proc/{self._me}/task/{tid}/comm")
            if not comm or not comm.startswith("rocksdb:"):
                continue
            stat = _read(f"/proc/{self._me}/task/{tid}/stat")
            if stat:
                self._compaction[tid] = _cpu(_fields(stat))
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            stat = _read(f"/proc/{pid}/stat")
            if not stat:
                continue
            fields = _fields(stat)
            if int(fields[1]) != self._me:  # not one of the build's children
                continue
            cmdline = _read(f"/proc/{pid}/cmdline") or ""
            if "normgraph.check.apart" in cmdline:
                self._checker[int(pid)] = _cpu(fields)

    def _own(self) -> float:
        stat = _read(f"/proc/{self._me}/task/{self._sampler}/stat") if self._sampler else None
        return _cpu(_fields(stat)) if stat else 0.0

    def stop(self) -> dict[str, float]:
        self._sample()
        sampler = self._own()
        self._stop.set()
        self._thread.join()
        checkers, compactions, me_before, children_before = self._before
        me = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        checker = sum(v - checkers.get(k, 0.0) for k, v in self._checker.items())
        compaction = sum(v - compactions.get(k, 0.0) for k, v in self._compaction.items())
        own = me.ru_utime + me.ru_stime - me_before.ru_utime - me_before.ru_stime - sampler
        reaped = (children.ru_utime + children.ru_stime
                  - children_before.ru_utime - children_before.ru_stime)
        return {"workers": round(max(0.0, reaped - checker), 1),
                "checker": round(checker, 1),
                "compaction": round(compaction, 1),
                "build": round(max(0.0, own - compaction), 1)}
