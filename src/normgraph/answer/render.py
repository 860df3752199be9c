"""Rows as text: aligned table, CSV, TSV, JSON and Markdown, for the terminal and for research
notes (pandas, R, a paper's appendix). No heavy imports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["ROW_FORMATS", "render_rows", "shorten"]

ROW_FORMATS = ("table", "csv", "tsv", "json", "md")


def shorten(text: str | None, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    if text is None:
        return ""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: max(1, width - 1)].rstrip() + "…"


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def render_rows(columns: Sequence[str], rows: Sequence[dict[str, Any]], fmt: str = "table",
                width: int = 60) -> str:
    """``rows`` (dicts keyed by ``columns``) in ``fmt``; every format ends with a newline."""
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False,
                          indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in columns])
        return buf.getvalue()
    if fmt == "md":
        def esc(v: Any) -> str:
            return " ".join(_cell(v).split()).replace("|", "\\|")

        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(esc(r.get(c)) for c in columns) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        cells = [[shorten(_cell(r.get(c)), width) for c in columns] for r in rows]
        widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
        out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
               "  ".join("-" * w for w in widths)]
        out += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
                for row in cells]
        out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
        return "\n".join(out) + "\n"
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(ROW_FORMATS)}")
