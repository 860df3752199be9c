"""The source files, read and extracted: one at a time, or in worker processes for large
corpora, in file-name order either way. A file that cannot be used is a :class:`FileError`
and the others go on. For a streamed build (see :mod:`normgraph.pipeline.build`) each worker
also builds and renders its document's part of the graph, so that the parent never holds the
extractions. Imports the stages above it and the root modules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from rdflib import URIRef

from ..extract.records import extract
from ..graph.builder import Builder, document_iri, document_part
from ..graph.dump import subject_entries
from ..graph.reference import load_reference
from ..graph.vocab import Kept, minting
from ..model import Document, Extraction
from ..read.catalog import CatalogEntry
from ..read.readers import ReadError, read_bytes, read_file, shown

__all__ = ["FileError", "Done", "read_document", "read_documents", "ingest", "each_file",
           "PARALLEL_FROM"]


@dataclass(frozen=True)
class FileError:
    """A file that could not be used, with a one-line reason."""

    file: str
    message: str

    def line(self) -> str:
        return f"{self.file}: {self.message}"


def _apply_catalog(doc: Document, entry: CatalogEntry | None) -> None:
    if entry is None:
        return
    if entry.symbol:
        doc.metadata["symbol"] = entry.symbol
    if entry.kind in ("resolution", "decision", "report"):
        doc.metadata["kind"] = entry.kind
    if entry.title and not doc.metadata.get("title"):
        doc.metadata["title"] = entry.title
    if entry.date and not doc.metadata.get("date"):
        doc.metadata["date"] = entry.date


def read_document(path: Path, catalog: dict[str, CatalogEntry] | None = None,
                  ) -> tuple[Document, str]:
    """One file as a :class:`Document` (with what the catalog says of it), and the SHA-256
    of its bytes as received. Raises :class:`ReadError` with a one-line reason."""
    data = read_file(path)
    doc = read_bytes(data, path.name, str(path))
    _apply_catalog(doc, (catalog or {}).get(path.name))
    return doc, hashlib.sha256(data).hexdigest()


class _Claims:
    """Which file claimed which symbol first (files are taken in name order)."""

    def __init__(self) -> None:
        self.claimed: dict[str, str] = {}

    def error(self, symbol: str | None, path: str) -> FileError | None:
        if not symbol:
            return None
        if symbol in self.claimed:
            return FileError(path, f"claims symbol {symbol}, already claimed by "
                                   f"{self.claimed[symbol]}; skipped")
        self.claimed[symbol] = path
        return None


def read_documents(paths: list[Path], catalog: dict[str, CatalogEntry] | None = None,
                   ) -> tuple[list[tuple[Document, str]], list[FileError]]:
    """Read every file, in name order: (document, SHA-256 of its bytes) for each file that
    could be used; a file that cannot be read, or that claims a symbol another file already
    claimed, becomes a :class:`FileError` and the others go on."""
    docs: list[tuple[Document, str]] = []
    errors: list[FileError] = []
    claims = _Claims()
    for path in sorted(paths, key=lambda p: p.name):
        try:
            doc, digest = read_document(path, catalog)
        except ReadError as exc:
            errors.append(FileError(shown(path), str(exc)))
            continue
        duplicate = claims.error(doc.metadata.get("symbol"), doc.path)
        if duplicate:
            errors.append(duplicate)
            continue
        docs.append((doc, digest))
    return docs, errors


def ingest(paths: list[Path], reference: Any | None = None,
           catalog: dict[str, CatalogEntry] | None = None,
           ) -> tuple[list[Extraction], list[FileError]]:
    """Read and extract any files (not only data/sources)."""
    reference = reference if reference is not None else load_reference()
    docs, errors = read_documents(paths, catalog)
    return [extract(doc, reference) for doc, _ in docs], errors


#: corpora of this many files and more are read and extracted in worker processes (and, in
#: a streamed build, their parts of the graph made there): from the streamed build's 200
#: files (see normgraph.pipeline.build.STREAM_FROM), workers pay on 2 cores (generated
#: corpora, two runs each: 200 files streamed 1.29-1.35 -> 1.06 s, 300 files streamed
#: 1.86-1.87 -> 1.51 s and in memory 2.52-2.66 -> 2.35-2.38 s; this was 400 before)
PARALLEL_FROM = 200


@dataclass
class Done:
    """One file read and extracted: its ``extraction``, or (a streamed build) the ``part``
    of the graph its document makes, without its triples: those are in ``entries``, sorted
    and joined by line breaks (see :func:`normgraph.graph.dump.subject_entries`)."""

    #: the symbol the file claims (its own or its catalog record's)
    claimed: str | None
    digest: str
    name: str
    iri: URIRef
    symbol: str | None
    references: int
    #: warnings met reading and extracting it, each naming the file
    notes: list[str] = field(default_factory=list)
    extraction: Extraction | None = None
    part: Builder | None = None
    entries: str = ""
    #: seconds spent reading, extracting and building it
    seconds: tuple[float, float, float] = (0.0, 0.0, 0.0)


#: how many terms a worker keeps for its next documents before it starts again (see
#: vocab.Kept); 1,000 generated documents make about 46,000 distinct terms
KEPT_TERMS = 50_000

_SHARED: tuple[list[Path], dict[str, CatalogEntry], Any, frozenset[tuple[str, str]] | None,
               Kept] = ([], {}, None, None, Kept())


def _work(index: int) -> Done | tuple[str, float]:
    """Read and extract file ``index`` of the list a forked worker inherited (or this process
    holds), and for a streamed build make its part of the graph; or (the one-line reason it
    cannot be used, seconds spent)."""
    import time

    paths, catalog, reference, wanted, kept = _SHARED
    start = time.perf_counter()
    try:
        doc, digest = read_document(paths[index], catalog)
    except ReadError as exc:
        return str(exc), time.perf_counter() - start
    read = time.perf_counter()
    e = extract(doc, reference)
    extracted = time.perf_counter()
    done = Done(doc.metadata.get("symbol"), digest, doc.name, document_iri(e),
                e.symbol, len(e.references),
                [f"{doc.path}: {note}" for note in (*doc.notes, *e.warnings)])
    if wanted is None:
        done.extraction = e
    else:
        with minting(kept):  # terms shared with the worker's earlier documents
            part = document_part(e, catalog.get(doc.name), digest, reference, None, wanted)
            entries = subject_entries(chain.from_iterable(part.graphs.values()), kept)
        entries.sort()
        part.clear_triples()
        done.part, done.entries = part, "\n".join(entries)
    done.seconds = (read - start, extracted - read, time.perf_counter() - extracted)
    return done


def _quiet_worker() -> None:
    """A worker leaves stopping to the parent: it dies silently when the pool ends it
    (SIGTERM), and ignores the terminal's Ctrl-C (SIGINT), which the parent handles. A forked
    worker otherwise inherits the CLI's handler and prints a KeyboardInterrupt traceback."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def each_file(paths: list[Path], catalog: dict[str, CatalogEntry], reference: Any,
              accept: Callable[[Done], None], progress: Any = None,
              spent: dict[str, float] | None = None,
              wanted: frozenset[tuple[str, str]] | None = None) -> list[FileError]:
    """Read and extract every file (in worker processes for large corpora) and hand each
    that can be used to ``accept``, in file-name order; return the others as errors: files
    that cannot be read, or that claim a symbol an earlier file claimed. With ``wanted`` (the
    pairs of :func:`normgraph.graph.builder.wanted_wordings`) the workers also make each
    document's part of the graph (a streamed build). ``spent`` receives the seconds spent
    reading, extracting and building, summed over the files."""
    import multiprocessing
    import os

    global _SHARED
    paths = sorted(paths, key=lambda p: p.name)
    workers = min(os.cpu_count() or 1, 8)
    parallel = len(paths) >= PARALLEL_FROM and workers >= 2 and \
        "fork" in multiprocessing.get_all_start_methods()
    # inherited by forked workers, never pickled; each worker fills its own copy of the table
    _SHARED = (paths, catalog, reference, wanted, Kept(KEPT_TERMS))
    errors: list[FileError] = []
    claims = _Claims()
    try:
        with (multiprocessing.get_context("fork").Pool(workers, initializer=_quiet_worker)
              if parallel
              else nullcontext(None)) as pool:
            results = pool.imap(_work, range(len(paths)),
                                chunksize=max(1, min(64, len(paths) // (workers * 16)))) \
                if pool else map(_work, range(len(paths)))
            for path, result in zip(paths, results, strict=True):
                if progress:
                    progress("extract", 1)
                if not isinstance(result, Done):
                    if spent is not None:
                        spent["read"] = spent.get("read", 0.0) + result[1]
                    errors.append(FileError(shown(path), result[0]))
                    continue
                if spent is not None:
                    for stage, seconds in zip(("read", "extract", "graph"), result.seconds,
                                              strict=True):
                        spent[stage] = spent.get(stage, 0.0) + seconds
                duplicate = claims.error(result.claimed, str(path))
                if duplicate:
                    errors.append(duplicate)
                    continue
                accept(result)
    finally:
        _SHARED = ([], {}, None, None, Kept())
    return errors
