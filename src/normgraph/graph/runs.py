"""Lines of text gathered in any order and read back sorted, each once, without holding them
all: an external merge sort. What a streamed build writes its dump from (see
:mod:`normgraph.graph.stream`). Imports nothing of normgraph.
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["SortedRuns"]


class SortedRuns:
    """Lines (without line breaks) added in any order, read back once by :meth:`merged`:
    sorted (as text, by code point) and without duplicates.

    Up to ``limit`` characters are held in memory; then they are sorted and written to a run
    file in a scratch folder made in ``folder``, and :meth:`merged` merges the runs. The
    folder is removed by :meth:`close` (or on leaving a ``with`` block).

    >>> with SortedRuns(limit=8) as runs:
    ...     runs.add(["b", "a", "c"]); runs.add(["a", "d"])
    ...     list(runs.merged())
    ['a', 'b', 'c', 'd']
    """

    def __init__(self, folder: Path | None = None, limit: int = 64 << 20,
                 prefix: str = "normgraph-runs-") -> None:
        self.limit = limit
        self._folder = folder
        self._prefix = prefix
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._held: list[str] = []
        self._size = 0
        self.runs: list[Path] = []
        #: lines added (duplicates included)
        self.added = 0

    def add(self, lines: Iterable[str]) -> None:
        for line in lines:
            self._held.append(line)
            self._size += len(line)
            self.added += 1
        if self._size >= self.limit:
            self._spill()

    def _spill(self) -> None:
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(
                prefix=f"{self._prefix}{os.getpid()}.", suffix=".tmp", dir=self._folder)
        self._held.sort()
        path = Path(self._scratch.name) / f"{len(self.runs):05d}"
        with open(path, "w", encoding="utf-8", errors="surrogatepass", newline="\n") as out:
            previous = None
            for line in self._held:
                if line != previous:
                    out.write(line)
                    out.write("\n")
                    previous = line
        self.runs.append(path)
        self._held, self._size = [], 0

    def merged(self) -> Iterator[str]:
        """Every line added, sorted, each once (the held lines and the runs merged)."""
        self._held.sort()
        sources: list[Iterable[str]] = [self._held]
        files = [open(path, encoding="utf-8", errors="surrogatepass", newline="\n")
                 for path in self.runs]
        try:
            sources.extend((line[:-1] for line in f) for f in files)
            previous = None
            for line in heapq.merge(*sources) if len(sources) > 1 else sources[0]:
                if line != previous:
                    yield line
                    previous = line
        finally:
            for f in files:
                f.close()

    def close(self) -> None:
        self._held = []
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def __enter__(self) -> SortedRuns:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
