"""The dump cut into N-Triples shards, for loading into a store on another machine.

A corpus that outgrows this machine is served by a triplestore built for it (Oxigraph's bulk
loader, QLever, Apache Jena Fuseki, Virtuoso): each of them loads N-Triples files in parallel,
one loader per file, and N-Triples needs no prefixes, so any line of it stands alone. The
shards are written while the dump is parsed (pyoxigraph's streaming parser), so memory does
not grow with the dump; a subject's triples all go to one shard (chosen by a stable hash of
the subject), and the shards together hold exactly the dump's triples.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from .terms import StoreError

__all__ = ["write_shards"]


def write_shards(dump: Path, folder: Path, count: int) -> list[Path]:
    """Write the triples of the Turtle ``dump`` into ``count`` N-Triples files
    ``folder/part-NNN.nt``; returns their paths. Each shard is written beside its name and
    moved into place only once the whole dump has been read, so a dump that cannot be parsed
    leaves no shard behind."""
    import os

    import pyoxigraph as ox

    if count < 1:
        raise StoreError(f"the number of shards must be at least 1, not {count}")
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"part-{i:03d}.nt" for i in range(count)]
    temps = [p.with_name(f".{p.name}.{os.getpid()}.tmp") for p in paths]
    files = [open(t, "w", encoding="utf-8") for t in temps]
    try:
        try:
            for triple in ox.parse(path=str(dump), format=ox.RdfFormat.TURTLE):
                subject = str(triple.subject)
                # crc32, not hash(): the same subject lands in the same shard in every run
                shard = zlib.crc32(subject.encode("utf-8")) % count
                files[shard].write(f"{subject} {triple.predicate} {triple.object} .\n")
        except (SyntaxError, ValueError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StoreError(f"{dump}: cannot be read ({first})") from None
        except OSError as exc:
            raise StoreError(f"{dump}: {exc.strerror or exc}") from None
        for f in files:
            f.close()
        for tmp, path in zip(temps, paths, strict=True):
            os.replace(tmp, path)
    finally:
        for f, tmp in zip(files, temps, strict=True):
            f.close()
            tmp.unlink(missing_ok=True)
    return paths
