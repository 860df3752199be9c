"""The catalog: one record per source file, with the metadata its text lacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .readers import ReadError, read_file
from .symbols import SymbolError, parse

__all__ = ["CatalogEntry", "CatalogError", "load_catalog", "KINDS"]

#: the catalog and the reference data hold a few lines per record: 16 MiB is some 100,000 records
MAX_YAML_BYTES = 16 * 1024 * 1024

#: document kinds the catalog knows, as written there
KINDS = ("resolution", "decision", "report", "document", "web page", "news item")


class CatalogError(ValueError):
    """A catalog that cannot be used; the message names the file and the record."""


@dataclass(frozen=True)
class CatalogEntry:
    file: str
    kind: str
    symbol: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    passed_by: str | None = None
    about: str | None = None
    sources: tuple[dict[str, str], ...] = field(default_factory=tuple)


def load_catalog(path: str | Path) -> dict[str, CatalogEntry]:
    """Read ``catalog.yaml`` into ``{file name: entry}``; an absent file is an empty catalog."""
    p = Path(path)
    if not p.exists():
        return {}
    try:
        raw = read_file(p, limit=MAX_YAML_BYTES)
    except ReadError as exc:
        raise CatalogError(f"{p}: {exc}") from None
    try:
        data = yaml.safe_load(raw.decode("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0]
        raise CatalogError(f"{p}: not valid YAML ({first})") from None
    records = data.get("documents", []) if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise CatalogError(f"{p}: expected a 'documents:' list")
    entries: dict[str, CatalogEntry] = {}
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict) or not rec.get("file"):
            raise CatalogError(f"{p}: record {i} has no 'file'")
        name = str(rec["file"])
        kind = str(rec.get("kind", "")).strip()
        if kind not in KINDS:
            raise CatalogError(f"{p}: {name}: kind {kind!r} is not one of {', '.join(KINDS)}")
        symbol = rec.get("symbol")
        if symbol is not None:
            try:
                symbol = parse(str(symbol)).symbol
            except SymbolError as exc:
                raise CatalogError(f"{p}: {name}: {exc}") from None
            if not rec.get("sources"):
                raise CatalogError(f"{p}: {name}: a curated symbol needs 'sources'")
        if name in entries:
            raise CatalogError(f"{p}: {name} is listed twice")
        title = rec.get("title")
        entries[name] = CatalogEntry(
            file=name,
            kind=kind,
            symbol=symbol,
            title=" ".join(str(title).split()) if title else None,
            date=str(rec["date"]) if rec.get("date") else None,
            url=rec.get("url"),
            passed_by=rec.get("passed_by"),
            about=rec.get("about"),
            sources=tuple(dict(s) for s in rec.get("sources") or ()),
        )
    return entries
