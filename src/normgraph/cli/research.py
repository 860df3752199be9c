"""The questions a researcher asks next: one norm across instruments (``norm``), full-text
search over every paragraph (``search``) and the bodies of the process (``bodies``). Each is a
view over a canned query, so ``--endpoint`` returns the same rows from any SPARQL store.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from pathlib import Path
from typing import Any

import typer

from .answers import (
    DumpOpt,
    EndpointOpt,
    FormatOpt,
    TimeoutOpt,
    _emit,
    _key,
    _run,
    _store,
    _theme_key,
)
from .app import app, fail

_NOTATION = re.compile(r"(?:norm\s*)?13\s*\(?\s*([a-kA-K])\s*\)?")


def norm_notation(text: str, store: Any) -> str:
    """"13(f)" for ``13(f)``, ``13f``, ``norm 13 f`` or a word of one norm's label; a one-line
    error when the text names no norm or several."""
    m = _NOTATION.fullmatch(text.strip())
    if m:
        return f"13({m.group(1).lower()})"
    words = set(re.findall(r"\w+", text.lower()))
    if not words or re.fullmatch(r"(?:norm\s*)?\d+\s*\(?\s*\w?\s*\)?", text.strip(), re.I):
        fail(f"{text!r}: not a norm (13(a)..13(k) or a word of its label)", 2)
    labels = {r["notation"]: r["label"] for r in _run(store, "norms").rows}
    found = sorted(n for n, label in labels.items()
                   if words <= set(re.findall(r"\w+", label.lower())))
    if len(found) == 1:
        return found[0]
    if found:
        fail(f"{text!r} is in the label of several norms: "
             + "; ".join(f"{n} {labels[n]}" for n in found))
    fail(f"{text!r}: no norm is labelled so; known: {', '.join(sorted(labels))}")


NORM_COLUMNS = ["document", "kind", "date", "paragraph", "match", "text"]


@app.command("norm")
def norm_cmd(
    norm: str = typer.Argument(..., help="13(f), 13f, or a word of the norm's label"),
    fmt: str = typer.Option("table", "--format", "-f", help="table, md, json or csv"),
    dump: Path | None = DumpOpt, endpoint: str | None = EndpointOpt,
    timeout: float = TimeoutOpt,
) -> None:
    """One norm's wording, then every paragraph that states or restates it, oldest first:
    instrument, date, paragraph, text and how it was matched."""
    if fmt not in ("table", "md", "json", "csv"):
        fail(f"unknown format {fmt!r}; choose table, md, json or csv", 2)
    store = _store(dump, endpoint, timeout)
    notation = norm_notation(norm, store)
    rows = _run(store, "norm", {"norm": notation}).rows
    if not rows:
        fail(f"norm {notation}: not in the graph")
    head = rows[0]
    out = [{c: r.get(c) for c in NORM_COLUMNS} for r in rows]
    if fmt == "json":
        sys.stdout.write(json.dumps({"norm": notation, "label": head["label"],
                                     "definition": head.get("definition"), "paragraphs": out},
                                    indent=2, ensure_ascii=False) + "\n")
        return
    if fmt in ("table", "md"):
        wording = head.get("definition") or \
            "(the wording is not in the graph: its source paragraph is not among the sources)"
        bold = "**" if fmt == "md" else ""
        typer.echo(f"{bold}{notation}{bold}  {head['label']}\n{wording}\n")
    _emit(NORM_COLUMNS, out, fmt)


def _date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        fail(f"{option} {value[:40]!r}: not a date (YYYY-MM-DD)", 2)


SEARCH_SHOWN = ["document", "date", "paragraph", "matched", "snippet", "themes", "norms",
                "states"]


@app.command("search")
def search_cmd(
    text: str = typer.Argument(..., help="Words to find, e.g. 'national ownership'"),
    kind: str | None = typer.Option(None, "--kind", help="resolution, decision, report, ..."),
    pillar: str | None = typer.Option(None, "--pillar", help="A pillar key."),
    theme: str | None = typer.Option(None, "--theme", help="A theme key or label."),
    norm: str | None = typer.Option(None, "--norm", help="Only paragraphs restating it."),
    since: str | None = typer.Option(None, "--since", help="Adopted on or after YYYY-MM-DD."),
    until: str | None = typer.Option(None, "--until", help="Adopted on or before YYYY-MM-DD."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="At most N paragraphs."),
    fmt: str = FormatOpt, dump: Path | None = DumpOpt, endpoint: str | None = EndpointOpt,
    timeout: float = TimeoutOpt,
) -> None:
    """Rank paragraphs holding every word (SQLite FTS5, BM25), each with a snippet where the
    hits stand in square brackets; filters by kind, pillar, theme, norm and date range."""
    from ..api import RANK_LIMIT, SearchFilters, StoreError
    from ..api import search_paragraphs as search

    start, end = _date(since, "--since"), _date(until, "--until")
    store = _store(dump, endpoint, timeout)
    filters = SearchFilters(
        kind=kind.strip().lower() if kind else None,
        pillar=re.sub(r"[^a-z0-9]+", "-", pillar.lower()).strip("-") if pillar else None,
        theme=_theme_key(store, theme) if theme else None,
        norm=norm_notation(norm, store) if norm else None, since=start, until=end)
    try:
        hits = search(store, text, filters, limit)
    except ValueError as exc:
        fail(str(exc), 2)
    except StoreError as exc:
        fail(str(exc))
    columns = SEARCH_SHOWN + (["kind", "pillar", "iri"] if fmt in ("json", "csv", "tsv") else [])
    _emit(columns, hits, fmt)
    if hits and not hits[0]["ranked"]:
        typer.echo(f"note: more than {RANK_LIMIT:,} paragraphs hold these words: listed in "
                   "document order, not ranked; add words or filters to rank them", err=True)


BODY_COLUMNS = ["body", "label", "part_of", "established_by", "mandated_by", "ended_by",
                "chair", "sessions", "became"]


@app.command("bodies")
def bodies_cmd(fmt: str = FormatOpt, dump: Path | None = DumpOpt,
               endpoint: str | None = EndpointOpt, timeout: float = TimeoutOpt) -> None:
    """The bodies of the process: what established, mandated or ended each (with its date),
    the body it belongs to, its chair, the sessions the graph lists and the body it became."""
    rows = _run(_store(dump, endpoint, timeout), "bodies").rows
    bodies: dict[str, dict[str, Any]] = {}
    for r in rows:
        body = bodies.setdefault(r["body"], {
            "body": _key(r["body"]), "label": r["label"], "part_of": r.get("parent"),
            "established_by": [], "mandated_by": [], "ended_by": [], "chair": r.get("chair"),
            "sessions": r.get("sessionsListed"),
            "became": _key(r["became"]) if r.get("became") else None})
        relation = (r.get("relation") or "").replace(" ", "_")
        if relation in body and r.get("symbol"):
            body[relation].append(r["symbol"] + (f" ({r['date']})" if r.get("date") else ""))
    out = [{k: (", ".join(v) or None) if isinstance(v, list) else v for k, v in b.items()}
           for b in bodies.values()]
    _emit(BODY_COLUMNS, out, fmt)
