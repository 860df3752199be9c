"""Query commands: the canned catalogue, lineage, thematic views, remote stores, pictures.

Every command here is a thin view over a canned query (``queries/*.rq``) run on the local
store or, with ``--endpoint``, on a remote SPARQL endpoint. The lineage path imports neither
rdflib nor networkx, so it answers quickly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from .app import app, fail

FORMAT_HELP = "table, csv, tsv, json or md"
DumpOpt = typer.Option(None, "--dump", help="Turtle dump to query (default: data/normgraph.ttl).")
EndpointOpt = typer.Option(None, "--endpoint",
                           help="Query a SPARQL endpoint instead (e.g. http://host:7878/query).")
TimeoutOpt = typer.Option(30.0, "--timeout", help="Seconds to wait for a remote endpoint.")
FormatOpt = typer.Option("table", "--format", "-f", help=FORMAT_HELP)


def _store(dump: Path | None, endpoint: str | None, timeout: float,
           index: bool = False) -> Any:
    """The store to query; a local one is built (and with ``index`` its link index made) now,
    under a spinner on a terminal, so that errors surface here and the wait is explained."""
    from ..api import LocalStore, StoreError, open_store

    try:
        # a command asks one question: on disk, never moved into memory
        store = open_store(dump, endpoint, timeout, memory=False)
        if isinstance(store, LocalStore):
            ready = store.indexed() if index else store.fresh()
            if not ready:  # a fresh store is opened by the first question, if one needs it
                with _spinner(f"loading {store.dump.name} into the local store (once per dump)"):
                    store.store()
                    if index:
                        store.link_index()
        return store
    except StoreError as exc:
        fail(str(exc))


def _spinner(message: str) -> Any:
    """A spinner with ``message`` on the terminal while the block runs; nothing when stderr
    is not a terminal (a pipe, a log)."""
    if not sys.stderr.isatty():
        from contextlib import nullcontext

        return nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(message)


def _run(store: Any, name: str, params: dict[str, str] | None = None) -> Any:
    from ..api import ParameterError, StoreError
    from ..api import run_query as run

    try:
        return run(store, name, params)
    except ParameterError as exc:
        fail(str(exc), 2)
    except StoreError as exc:
        fail(str(exc))


def _emit(columns: list[str], rows: list[dict[str, Any]], fmt: str) -> None:
    from ..api import ROW_FORMATS, render_rows

    if fmt not in ROW_FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(ROW_FORMATS)}", 2)
    sys.stdout.write(render_rows(columns, rows, fmt))


def _full_symbol(text: str, store: Any) -> str:
    """The full symbol of an instrument the graph holds, or a one-line error with the
    nearest known symbols."""
    from ..api import StoreError, SymbolError, UnknownSymbol, full_symbol

    try:
        return full_symbol(store, text)
    except SymbolError as exc:
        fail(str(exc), 2)
    except (UnknownSymbol, StoreError) as exc:
        fail(str(exc))


def _key(result_iri: str | None) -> str:
    return (result_iri or "").rstrip("/").rsplit("/", 1)[-1]


# -- the catalogue ------------------------------------------------------------------------------

@app.command("queries")
def list_queries(fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP)) -> None:
    """List the canned queries with their parameters."""
    from ..api import load_queries

    rows = []
    for q in load_queries().values():
        params = ", ".join(f"{p.name}: {p.type}{'' if p.required else '?'}"
                           + (f" (e.g. {p.example})" if p.example else "") for p in q.params)
        rows.append({"name": q.name, "parameters": params, "summary": q.summary})
    _emit(["name", "parameters", "summary"], rows, fmt)


@app.command("query")
def query_cmd(
    name: str = typer.Argument(..., help="A canned query name (see `normgraph queries`)."),
    param: list[str] = typer.Option([], "--param", "-p", help="key=value; repeatable."),
    fmt: str = FormatOpt, dump: Path | None = DumpOpt, endpoint: str | None = EndpointOpt,
    timeout: float = TimeoutOpt,
) -> None:
    """Run one canned query; parameters are bound by the store, never pasted into the text."""
    params: dict[str, str] = {}
    for item in param:
        if "=" not in item:
            fail(f"--param {item!r}: expected key=value", 2)
        key, value = item.split("=", 1)
        params[key.strip()] = value
    store = _store(dump, endpoint, timeout)
    result = _run(store, name, params)
    _emit(result.columns, result.rows, fmt)


@app.command("sparql")
def sparql_cmd(
    query: str = typer.Argument(..., help="A SPARQL query, or @FILE to read it from a file."),
    fmt: str = FormatOpt, dump: Path | None = DumpOpt, endpoint: str | None = EndpointOpt,
    timeout: float = TimeoutOpt,
) -> None:
    """Run any read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)."""
    from ..api import ReadError, StoreError, is_update, read_file

    if query.startswith("@"):
        # read as a source file is: a regular file only (a FIFO would block for ever, a
        # device never end), and bounded
        try:
            query = read_file(Path(query[1:]), limit=1 << 20).decode("utf-8")
        except ReadError as exc:
            fail(f"{query[1:]}: cannot read the query ({exc})")
        except UnicodeDecodeError:
            fail(f"{query[1:]}: cannot read the query (not UTF-8 text)")
    if is_update(query):
        fail("updates are not allowed: normgraph only reads the graph", 2)
    store = _store(dump, endpoint, timeout)
    try:
        result = store.select(query)
    except StoreError as exc:
        fail(str(exc))
    _emit(result.columns, result.rows, fmt)


# -- lineage ------------------------------------------------------------------------------------

@app.command("lineage")
def lineage_cmd(
    symbol: str = typer.Argument(..., help="80/16, A/RES/80/16 or a/res/80/16"),
    down: bool = typer.Option(False, "--down", help="What builds on it instead."),
    depth: int | None = typer.Option(None, "--depth", min=1, help="At most N links away."),
    relation: list[str] = typer.Option([], "--relation", "-r",
                                       help="Keep only these relations (repeatable)."),
    fmt: str = typer.Option("tree", "--format", "-f",
                            help="tree, table, json, csv, md, dot, mermaid or ttl"),
    all_links: bool = typer.Option(False, "--all", help="List plain references (refers to) "
                                   "too; by default tree, table and md only count them."),
    dump: Path | None = DumpOpt, endpoint: str | None = EndpointOpt,
    timeout: float = TimeoutOpt,
) -> None:
    """The chain of instruments an instrument builds on (or, with --down, that build on it),
    one line per (from, relation, to) with the paragraphs that state it."""
    from ..api import LINEAGE_FORMATS as FORMATS
    from ..api import ParameterError, StoreError, lineage
    from ..api import render_lineage as render

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", 2)
    store = _store(dump, endpoint, timeout, index=True)
    full = _full_symbol(symbol, store)
    try:
        result = lineage(store, full, "down" if down else "up", depth, set(relation) or None)
    except ParameterError as exc:
        fail(str(exc), 2)
    except StoreError as exc:
        fail(str(exc))
    sys.stdout.write(render(result, fmt, all_links))


@app.command("draw")
def draw_cmd(
    symbol: str = typer.Argument(..., help="The instrument whose lineage to draw."),
    output: Path = typer.Option(..., "-o", "--output", help="lineage.svg, .png, .pdf or .dot"),
    down: bool = typer.Option(False, "--down", help="Draw what builds on it instead."),
    depth: int | None = typer.Option(None, "--depth", min=1),
    dump: Path | None = DumpOpt, endpoint: str | None = EndpointOpt,
    timeout: float = TimeoutOpt,
) -> None:
    """Draw a lineage with Graphviz (`dot`); a .dot file needs no Graphviz."""
    import shutil
    import subprocess

    from ..api import lineage, write_atomic
    from ..api import lineage_dot as to_dot

    suffix = output.suffix.lower().lstrip(".")
    if suffix not in ("svg", "png", "pdf", "dot", "gv"):
        fail(f"{output}: choose a .svg, .png, .pdf or .dot file", 2)
    store = _store(dump, endpoint, timeout, index=True)
    full = _full_symbol(symbol, store)
    dot = to_dot(lineage(store, full, "down" if down else "up", depth))
    if suffix in ("dot", "gv"):
        write_atomic(output, dot)
    else:
        exe = shutil.which("dot")
        if exe is None:
            fail("Graphviz `dot` is not installed (Debian: apt-get install graphviz); "
                 "write a .dot file instead")
        proc = subprocess.run([exe, f"-T{suffix}"], input=dot.encode(), capture_output=True,
                              timeout=120)
        if proc.returncode != 0:
            first = proc.stderr.decode(errors="replace").strip().splitlines()
            fail(f"dot failed: {first[0] if first else proc.returncode}")
        write_atomic(output, proc.stdout)
    typer.echo(f"wrote {output}", err=True)


@app.command("path")
def path_cmd(
    source: str = typer.Argument(..., help="The citing end, e.g. 80/16"),
    target: str = typer.Argument(..., help="The cited end, e.g. 73/27"),
    fmt: str = FormatOpt, dump: Path | None = DumpOpt, endpoint: str | None = EndpointOpt,
    timeout: float = TimeoutOpt,
) -> None:
    """The shortest chain of references from one instrument up to another (networkx)."""
    from ..api import shortest_chain

    store = _store(dump, endpoint, timeout)
    a, b = _full_symbol(source, store), _full_symbol(target, store)
    chain = shortest_chain(store, a, b)
    if chain is None:
        fail(f"no chain of references leads from {a} to {b}")
    rows = [{"step": n, "from": s.source, "relation": ", ".join(s.relations), "to": s.target}
            for n, s in enumerate(chain, start=1)]
    _emit(["step", "from", "relation", "to"], rows, fmt)


@app.command("central")
def central_cmd(
    top: int = typer.Option(10, "--top", min=1, help="How many instruments to list."),
    fmt: str = FormatOpt, dump: Path | None = DumpOpt, endpoint: str | None = EndpointOpt,
    timeout: float = TimeoutOpt,
) -> None:
    """The most influential instruments by PageRank over the citation network (an instrument
    ranks high when instruments that rank high cite it), with how many build on it directly
    or through others, how many cite it (as `most-cited` counts) and how many it cites."""
    from ..api import influence

    store = _store(dump, endpoint, timeout)
    _emit(["symbol", "pagerank", "builds_on_it", "cited_by", "cites"], influence(store, top),
          fmt)


# -- thematic views -----------------------------------------------------------------------------

@app.command("norms")
def norms_cmd(fmt: str = FormatOpt, dump: Path | None = DumpOpt,
              endpoint: str | None = EndpointOpt, timeout: float = TimeoutOpt) -> None:
    """The eleven norms, the paragraph stating each, the wording a shipped text prints for
    each (with its paragraph), and the paragraphs that restate them."""
    result = _run(_store(dump, endpoint, timeout), "norms")
    # one row per norm and restating paragraph; the paragraphs its wording comes from, in
    # their printed order, in one cell
    grouped: dict[tuple[str, str | None, str | None], dict[str, Any]] = {}
    wording: dict[tuple[str, str | None, str | None], dict[int, str]] = {}
    for r in result.rows:
        key = (r["notation"], r.get("restatedIn"), r.get("restatedParagraph"))
        grouped.setdefault(key, {
            "norm": r["notation"], "label": r["label"],
            "source": f"{r['sourceSymbol']} para {r['sourceParagraph']}",
            "wording": r.get("definition"), "wording_from": r.get("wordingSymbol"),
            "restated_in": f"{r['restatedIn']} para {r['restatedParagraph']}"
            if r.get("restatedIn") else None})
        if r.get("wordingParagraph"):
            wording.setdefault(key, {})[int(r["wordingOrdinal"])] = r["wordingParagraph"]
    for key, row in grouped.items():
        if key in wording:
            row["wording_from"] += " para " + ", ".join(v for _, v in sorted(wording[key].items()))
    rows = list(grouped.values())
    _emit(["norm", "label", "source", "wording", "wording_from", "restated_in"], rows, fmt)


#: said wherever principle numbers are shown: the report prints the principles as bullets
PRINCIPLE_NUMBERING = ("note: the report prints the principles as unnumbered bullets under "
                       "paragraph 56; the numbers 56.1-56.10 (and paragraphs 56 (b1)-(b10)) "
                       "are normgraph's, in the order printed")


def _words(text: str) -> set[str]:
    import re

    return set(re.findall(r"\w+", text.lower()))


@app.command("principles")
def principles_cmd(
    group: str | None = typer.Option(None, "--group", help="Only this group (words of its "
                                     "name, e.g. 'partnerships')."),
    search: str | None = typer.Option(None, "--search", help="Only principles whose text "
                                      "holds every word (a word also matches as a prefix: "
                                      "'own' finds 'ownership')."),
    fmt: str = FormatOpt, dump: Path | None = DumpOpt,
    endpoint: str | None = EndpointOpt, timeout: float = TimeoutOpt) -> None:
    """The capacity-building principles by group, with the paragraph stating each."""
    result = _run(_store(dump, endpoint, timeout), "principles")
    rows = [{"group": r["groupLabel"], "principle": r["notation"], "text": r.get("text")
             or r.get("label"), "source": f"{r['symbol']} para {r['paragraph']}"}
            for r in result.rows]
    if group:
        rows = [r for r in rows if _words(group) <= _words(r["group"])]
    if search:
        rows = [r for r in rows if all(any(w.startswith(q) for w in _words(r["text"] or ""))
                                       for q in _words(search))]
    _emit(["group", "principle", "text", "source"], rows, fmt)
    typer.echo(PRINCIPLE_NUMBERING, err=True)


@app.command("recommendations")
def recommendations_cmd(
    pillar: str | None = typer.Option(None, "--pillar", help="A pillar key or label."),
    theme: str | None = typer.Option(None, "--theme", help="A theme key or label."),
    fmt: str = FormatOpt, dump: Path | None = DumpOpt, endpoint: str | None = EndpointOpt,
    timeout: float = TimeoutOpt,
) -> None:
    """Recommendations by pillar, optionally only those on a theme."""
    store = _store(dump, endpoint, timeout)
    result = _run(store, "recommendations", {"pillar": pillar} if pillar else {})
    rows = result.rows
    if theme:
        key = _theme_key(store, theme)
        rows = [r for r in rows if key in (r.get("themes") or "").split()]
    out = [{"pillar": r["pillarLabel"], "document": r["symbol"], "paragraph": r["paragraph"],
            "themes": r.get("themes"), "text": r.get("text")} for r in rows]
    _emit(["pillar", "document", "paragraph", "themes", "text"], out, fmt)


#: the themes' names only (the ``themes`` query also counts every paragraph on each, which
#: costs seconds on a large corpus)
THEME_NAMES = """PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?theme ?label WHERE {
  ?theme a ng:Theme .
  { ?theme skos:prefLabel ?label } UNION { ?theme skos:altLabel ?label }
}"""


def _theme_key(store: Any, topic: str) -> str:
    """The key of the theme whose key, label or alternative label matches ``topic``."""
    import difflib

    from ..api import StoreError

    wanted = " ".join(topic.lower().replace("-", " ").split())
    try:
        themes = store.select(THEME_NAMES).rows
    except StoreError as exc:
        fail(str(exc))
    names: dict[str, str] = {}
    for r in themes:
        key = _key(r["theme"])
        for label in (key.replace("-", " "), r["label"]):
            if label:
                names[" ".join(label.lower().replace("-", " ").split())] = key
    if wanted in names:
        return names[wanted]
    near = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.5)
    hint = f"; nearest: {', '.join(sorted({names[n] for n in near}))}" if near else \
        f"; known: {', '.join(sorted(set(names.values())))}"
    fail(f"{topic!r}: no such theme{hint}")


@app.command("theme")
def theme_cmd(
    topic: str = typer.Argument(..., help="A theme key or label, e.g. 'critical infrastructure'"),
    fmt: str = FormatOpt, dump: Path | None = DumpOpt, endpoint: str | None = EndpointOpt,
    timeout: float = TimeoutOpt,
) -> None:
    """Every paragraph on a theme across instruments, with the norm each one echoes."""
    store = _store(dump, endpoint, timeout)
    key = _theme_key(store, topic)
    result = _run(store, "theme", {"theme": key})
    rows = [{"document": r["document"], "date": r.get("date"), "paragraph": r["paragraph"],
             "role": r.get("role"), "norms": r.get("norms"), "text": r.get("text")}
            for r in result.rows]
    _emit(["document", "date", "paragraph", "role", "norms", "text"], rows, fmt)


# -- remote stores ------------------------------------------------------------------------------

@app.command("push")
def push_cmd(
    endpoint: str = typer.Option(..., "--endpoint",
                                 help="Graph Store Protocol URL (Oxigraph: http://host:7878/store)."),
    graph: str | None = typer.Option(None, "--graph", help="Named graph IRI (default graph if "
                                     "omitted); the push replaces it."),
    dump: Path | None = DumpOpt,
    timeout: float = typer.Option(60.0, "--timeout"),
) -> None:
    """Load the dump into a triple store (HTTP PUT: repeating a push cannot duplicate triples)."""
    from ..api import StoreError, default_dump, push

    target = dump or default_dump()
    try:
        status = push(target, endpoint, graph, timeout)
    except StoreError as exc:
        fail(str(exc))
    typer.echo(f"pushed {target} to {endpoint}" + (f" graph <{graph}>" if graph else "")
               + f" (HTTP {status})")
