"""The Turtle dump written from sorted lines (:mod:`normgraph.graph.runs`), for a graph too
large to hold as Python terms: byte for byte what :func:`normgraph.graph.dump.to_turtle`
writes for the same triples with their description (:mod:`normgraph.graph.describe`).

The description counts the graph's subjects and triples, so it is known only once every
line has been read; its blocks are spliced into their places in the sorted output at the
end. Imports the root modules and the graph stage.
"""

from __future__ import annotations

import tempfile
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .describe import counted, description, example_iris, subjects
from .dump import (
    entry_line,
    entry_pairs,
    render_term,
    rendered_iri,
    rendered_value,
    subject_block,
    subject_entries,
    turtle_blocks,
)
from .vocab import ELI

__all__ = ["StreamedDump", "write_entries"]


@dataclass
class StreamedDump:
    """What :func:`write_entries` wrote: the triples of the dump (the description's
    included) and of the graph alone, and the graph's subjects."""

    triples: int = 0
    graph_triples: int = 0
    subjects: int = 0
    predicates: set[str] = field(default_factory=set)


def write_entries(entries: Iterable[str], write: Callable[[bytes], None] | None,
                  feed: Callable[[str, str], None], scratch: Path | None = None,
                  chunk_chars: int = 4 << 20,
                  seen: Callable[[str, list[tuple[str, str]]], None] | None = None
                  ) -> StreamedDump:
    """Write the dump's body (what follows the ``@prefix`` lines) from the graph's entries,
    sorted and each once (see :func:`normgraph.graph.dump.subject_entries`), with the graph's
    description: to ``write`` when given, and to ``feed`` in pieces of about ``chunk_chars``
    characters that each hold whole subject blocks (for loaders that run meanwhile), each
    with its subjects' entries (one line a subject, for a checker that reads no Turtle).
    ``seen(subject, pairs)`` is told each subject once, with all its (predicate, object)
    pairs as rendered.

    Blocks that sort after the first of the description's subjects are held in a scratch
    file (in ``scratch``) until the description is known."""
    dated = render_term(ELI.date_document)
    dated_field = f"\t{dated}\t"  # as it stands in an entry (no rendered term holds a tab)
    keys = sorted(subjects())
    held: dict[str, set[tuple[str, str]]] = {}  # the graph's own pairs of those subjects
    stats = StreamedDump()
    last: str | None = None
    examples = {str(i) for i in example_iris()}
    present: set[str] = set()
    piece: list[str] = []
    lines: list[str] = []
    size = 0
    # text before the first description subject goes straight to ``write``; after it, to a
    # scratch file, with where each later description block goes
    marks: list[int] = []  # offsets in the scratch file where description blocks 1.. go
    predicates = stats.predicates
    with tempfile.TemporaryFile("w+b", dir=scratch) as spill:
        for subject, pairs, block, entry in turtle_blocks(entries):
            stats.subjects += 1
            stats.graph_triples += len(pairs)
            predicates.update(dict(pairs))  # its predicates, without a loop in Python
            if dated_field in entry:  # (or an object of that text: the loop tells)
                for p, o in pairs:
                    if p == dated:
                        value = rendered_value(o)
                        if last is None or value > last:
                            last = value
            if subject in examples:
                present.add(subject)
            at = bisect_left(keys, subject)
            if at < len(keys) and keys[at] == subject:
                held[subject] = set(pairs)
                continue
            if seen is not None:
                seen(subject, pairs)
            if write is not None:
                if at == 0:
                    write(("\n" + block).encode("utf-8"))
                else:
                    while len(marks) < at - 1:
                        marks.append(spill.tell())
                    spill.write(("\n" + block).encode("utf-8"))
            piece.append(block)
            lines.append(entry)
            size += len(block)
            if size >= chunk_chars:
                feed("\n".join(piece) + "\n", "\n".join(lines))
                piece, lines, size = [], [], 0
        if piece:
            feed("\n".join(piece) + "\n", "\n".join(lines))

        # the description, and its subjects' blocks in their places
        made = description(stats.subjects, {rendered_iri(p) for p in predicates}, last,
                           present)
        mine = _pairs_by_subject(made)
        new = sum(len(own - held.get(subject, set())) for subject, own in mine.items())
        stats.triples = stats.graph_triples + new + 1
        for subject, own in _pairs_by_subject([counted(stats.triples - 1)]).items():
            mine[subject] |= own
        every = {subject: sorted(own | held.get(subject, set()))
                 for subject, own in mine.items()}
        blocks = {subject: subject_block(subject, pairs) for subject, pairs in every.items()}
        if seen is not None:
            for subject, pairs in every.items():
                seen(subject, pairs)
        feed("\n".join(blocks.values()) + "\n",
             "\n".join(entry_line(subject, pairs) for subject, pairs in every.items()))
        if write is not None:
            write(("\n" + blocks[keys[0]]).encode("utf-8"))
            spill.flush()
            while len(marks) < len(keys) - 1:
                marks.append(spill.tell())
            spill.seek(0)
            done = 0
            for key, mark in zip(keys[1:], marks, strict=True):
                _copy(spill, write, mark - done)
                done = mark
                write(("\n" + blocks[key]).encode("utf-8"))
            _copy(spill, write, None)
    return stats


def _pairs_by_subject(triples: Iterable[tuple[object, object, object]]
                      ) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for entry in subject_entries(triples):
        subject, _, body = entry.partition("\t")
        out.setdefault(subject, set()).update(entry_pairs(body))
    return out


def _copy(source: IO[bytes], write: Callable[[bytes], None], size: int | None) -> None:
    """Copy ``size`` bytes of ``source`` (all that is left: None) to ``write``."""
    if size is None:
        while piece := source.read(1 << 20):
            write(piece)
        return
    while size > 0:
        piece = source.read(min(size, 1 << 20))
        if not piece:
            return
        write(piece)
        size -= len(piece)

