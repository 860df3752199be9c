"""The constraints on a focus node's own triples (:mod:`normgraph.check.local`) checked in a
process of its own, beside a build that streams its dump.

Checked in the build's own process, the pieces of a streamed build were parsed into Python
terms and checked while the same process merged and wrote the dump, one interpreter doing
both: at 10,000 documents, 16 s of checking slowed the writing by as much. Apart, the checker
reads the pieces on the second core while the build's process loads them into the store
straight from the text (no Python term per triple).

The build's side is :class:`CheckedApart`; ``python -m normgraph.check.apart`` is the
checker's. They speak in frames (an 8-byte length, then that many bytes): a JSON header (the
class hierarchy and the ``@prefix`` lines), the shapes in N-Triples, the pieces, and an empty
frame to end; the checker answers with one JSON object, its findings and the hierarchy it
knew, or the error it met. A piece is Turtle (``T`` and the text), or, from the dump's own
writer, its subjects' entries (``E`` and the lines; see
:func:`normgraph.graph.dump.subject_entries`), which the checker reads without parsing the
Turtle the store loads, making terms only of the values its constraints read: at 10,000
documents the checker's CPU time fell from 12 s to 7 s.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import tempfile
import threading
from queue import Queue
from typing import IO, Any

from rdflib import Graph

from ..resources import child_env
from .local import LocalChecker, RenderedTerms
from .shacl_sparql import hierarchy_pairs, lexical_datatype, local_checker
from .validate import Finding

__all__ = ["CheckedApart", "checked_apart"]

_LENGTH = struct.Struct(">Q")
#: a ``@prefix`` line: its name and namespace
_PREFIX = re.compile(r"@prefix\s+([^\s:]*):\s*<([^>]*)>\s*\.")


def _write(stream: IO[bytes], data: bytes) -> None:
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)
    stream.flush()  # now, so that a checker that ended is known now


def _read(stream: IO[bytes]) -> bytes:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError("the build's side ended without its last frame")
    size = _LENGTH.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the build's side ended inside a frame")
    return data


def _ended(code: int) -> str:
    return f"killed by signal {-code}" if code < 0 else f"exit status {code}"


def checked_apart(shapes: Graph, hierarchy: Graph, prefixes: str) -> CheckedApart | None:
    """A checker process for these shapes, or None when they are all queried on the store
    (see :func:`normgraph.check.shacl_sparql.local_checker`)."""
    pairs = hierarchy_pairs(hierarchy)
    if local_checker(shapes, pairs) is None:
        return None
    return CheckedApart(shapes, pairs, prefixes)


class CheckedApart:
    """The build's side: each piece fed is sent to the checker on a thread of its own (up to
    four pieces wait), so that the build never waits on the checker unless it is that far
    ahead; :meth:`findings` ends the pieces and returns what the checker found."""

    def __init__(self, shapes: Graph, pairs: list[tuple[str, str]], prefixes: str) -> None:
        self.shapes = shapes
        self._stderr = tempfile.TemporaryFile()  # a file: a full pipe would stop the checker
        # the checker runs this very package, wherever the build found it
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "normgraph.check.apart"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._stderr, env=child_env())
        self._queue: Queue[bytes | None] = Queue(maxsize=4)
        self._known: LocalChecker | None = None
        self._found: set[Finding] = set()
        self._first = [json.dumps({"pairs": pairs, "prefixes": prefixes}).encode("utf-8"),
                       shapes.serialize(format="nt", encoding="utf-8")]
        self._thread = threading.Thread(target=self._send, name="normgraph-check", daemon=True)
        self._thread.start()

    def _send(self) -> None:
        stdin = self._proc.stdin
        assert stdin is not None
        ended = False
        try:
            for frame in self._first:
                _write(stdin, frame)
            while (piece := self._queue.get()) is not None:
                _write(stdin, piece)
            ended = True
            _write(stdin, b"")
            stdin.close()
        except OSError:  # the checker ended: findings() reports its own words, on its stderr
            while not ended and self._queue.get() is not None:  # the build must not block
                pass

    def send(self, piece: str, entries: str | None = None) -> None:
        """Check a piece (whole subject blocks of Turtle, without the ``@prefix`` lines), or,
        when given, the same subjects' ``entries`` instead."""
        self._queue.put(b"E" + entries.encode("utf-8") if entries is not None
                        else b"T" + piece.encode("utf-8"))

    def findings(self) -> set[Finding]:
        """End the pieces, and return the findings of them all; raise what the checker
        met."""
        if self._known is not None:
            return self._found
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        assert self._proc.stdout is not None
        out = self._proc.stdout.read()
        self._proc.wait()
        try:
            answer = json.loads(out)
        except ValueError:
            self._stderr.seek(0)
            lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
            raise RuntimeError("the validation process ended: "
                               + (lines[-1] if lines else _ended(self._proc.returncode))
                               ) from None
        if answer.get("error"):
            raise ValueError(answer["error"])
        self._found = {Finding(*f) for f in answer["findings"]}
        self._known = LocalChecker([], [tuple(p) for p in answer["pairs"]], lexical_datatype)
        return self._found

    def below(self, cls: str) -> frozenset[str]:
        """``cls`` and its subclasses, as the checker knew the hierarchy (after
        :meth:`findings`)."""
        if self._known is None:
            raise RuntimeError("below() before findings()")
        return self._known.below(cls)

    def close(self) -> None:
        """Stop the checker if it still runs (idempotent)."""
        if self._proc.poll() is None:
            self._proc.kill()
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout, self._stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:  # what stdin still held, for a checker that ended
                    pass


def main() -> None:
    """The checker's side: read the frames on stdin, answer on stdout."""
    import signal

    import pyoxigraph as ox

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build handles Ctrl-C, and ends this
    stdin = sys.stdin.buffer
    header = json.loads(_read(stdin))
    shapes = Graph().parse(data=_read(stdin).decode("utf-8"), format="nt")
    prefixes = header["prefixes"].encode("utf-8")
    terms = RenderedTerms(dict(_PREFIX.findall(header["prefixes"])))
    checker = local_checker(shapes, [tuple(p) for p in header["pairs"]])
    error = None if checker is not None else "these shapes are all queried on the store"
    while piece := _read(stdin):
        if error is None and checker is not None:
            try:
                if piece[:1] == b"E":
                    checker.check_entries(piece[1:].decode("utf-8"), terms)
                else:
                    checker.check(ox.parse(prefixes + piece[1:], format=ox.RdfFormat.TURTLE))
            except (SyntaxError, ValueError, KeyError) as exc:  # the store's load reports it
                error = f"{type(exc).__name__}: {exc}"
    answer: dict[str, Any] = {"error": error}
    if error is None and checker is not None:
        try:
            answer["findings"] = [[f.severity, f.focus, f.path, f.message]
                                  for f in sorted(checker.findings(), key=str)]
            answer["pairs"] = checker.hierarchy()
        except ValueError as exc:
            answer["error"] = str(exc)
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main()
