"""The catalog: one record per source file, with the metadata its text lacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .safe_yaml import line_of
from .schema import DATE, NUMBERED, TEXT, DataFileError, ListOf, Record, load_checked
from .symbols import SymbolError, parse

__all__ = ["CatalogEntry", "CatalogError", "load_catalog", "KINDS"]

#: the catalog and the reference data hold a few lines per record: 16 MiB is some 100,000 records

#: document kinds the catalog knows, as written there
KINDS = ("resolution", "decision", "report", "document", "web page", "news item")


#: where a curated value was read: a source file or a symbol, and a paragraph
SOURCE = Record({"file": TEXT, "symbol": TEXT, "paragraph": NUMBERED, "note": TEXT},
                name="source")
#: where a third-party store holds a source file: repository, path and commit (and the field
#: of a JSON record the text was taken from)
ORIGIN = Record({"repository": TEXT, "path": TEXT, "commit": TEXT, "field": TEXT},
                frozenset({"repository", "path", "commit"}), name="origin")
#: one record of ``catalog.yaml``
DOCUMENT = Record(
    {"file": TEXT, "kind": TEXT, "format": TEXT, "symbol": TEXT, "title": TEXT, "date": DATE,
     "url": TEXT, "passed_by": TEXT, "about": TEXT, "sources": ListOf(SOURCE),
     "origin": ORIGIN},
    frozenset({"file", "kind"}), name="document record")
CATALOG = Record({"documents": ListOf(DOCUMENT)}, name="catalog")
#: the largest catalog read (about 30,000 records)


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
    #: where the file was copied from: repository (owner/name on GitHub), path, commit and,
    #: where the file is one field of a stored record, that field
    origin: dict[str, str] = field(default_factory=dict)

    @property
    def origin_url(self) -> str | None:
        """The origin as a GitHub address pinned to its commit, when the record names one."""
        o = self.origin
        if not all(o.get(k) for k in ("repository", "path", "commit")):
            return None
        return f"https://github.com/{o['repository']}/blob/{o['commit']}/{o['path']}"


def load_catalog(path: str | Path) -> dict[str, CatalogEntry]:
    """Read ``catalog.yaml`` into ``{file name: entry}``; an absent file is an empty catalog."""
    p = Path(path)
    if not p.exists():
        return {}
    try:
        data = load_checked(p, CATALOG, "catalog") or {"documents": []}
    except DataFileError as exc:
        raise CatalogError(str(exc)) from None
    records = data.get("documents") or []
    entries: dict[str, CatalogEntry] = {}
    for i, rec in enumerate(records):
        at = f"{p}: line {line_of(records, i)}"
        name = rec["file"]
        kind = rec["kind"].strip()
        if kind not in KINDS:
            raise CatalogError(f"{p}: line {line_of(rec, 'kind')}: {name}: kind {kind!r} is not "
                               f"one of {', '.join(KINDS)}")
        symbol = rec.get("symbol")
        if symbol is not None:
            try:
                symbol = parse(str(symbol)).symbol
            except SymbolError as exc:
                raise CatalogError(f"{p}: line {line_of(rec, 'symbol')}: {name}: {exc}") from None
            if not rec.get("sources"):
                raise CatalogError(f"{at}: {name}: a curated symbol needs 'sources'")
        if name in entries:
            raise CatalogError(f"{at}: {name} is listed twice")
        title = rec.get("title")
        origin = rec.get("origin") or {}
        if not isinstance(origin, dict) or (origin and not all(
                origin.get(k) for k in ("repository", "path", "commit"))):
            raise CatalogError(f"{p}: {name}: 'origin' needs repository, path and commit")
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
            origin={str(k): str(v) for k, v in origin.items()},
        )
    return entries
