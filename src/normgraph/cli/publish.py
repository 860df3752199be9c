"""Publishing commands: releases, diffs, the static site and the local server."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .app import app, fail


@app.command("release")
def release(
    output: Path = typer.Option(..., "-o", "--output", help="Folder to write the release into."),
    root: Path | None = typer.Option(None, "--root", help="Project folder holding data/."),
) -> None:
    """Build from the sources and write Turtle, N-Triples, JSON-LD and TriG (one named graph
    per source file) with SHA256SUMS (same as `export --all`)."""
    from .. import api
    from ..api import export_all

    paths = api.Paths(root) if root else api.Paths.default()
    if not paths.sources.is_dir():
        fail(f"{paths.root}: not a project folder (no data/sources)", 2)
    result = api.build(paths, write=False)
    if not result.report.conforms:
        fail(f"the graph does not conform ({len(result.report.violations)} violations); "
             "nothing written")
    try:
        sums = export_all(result.named, output, header=api.DUMP_HEADER)
    except OSError as exc:
        fail(f"{output}: cannot be written ({exc.strerror or exc})")
    for name, digest in sorted(sums.items()):
        typer.echo(f"{digest}  {output / name}")


@app.command("diff")
def diff_cmd(
    old: Path = typer.Argument(..., help="The earlier dump (Turtle)."),
    new: Path = typer.Argument(..., help="The later dump (Turtle)."),
    fmt: str = typer.Option("md", "--format", "-f", help="md or json"),
) -> None:
    """What changed between two dumps: instruments and links added or removed."""
    from ..api import diff, load_graph, render_diff

    if fmt not in ("md", "json"):
        fail(f"unknown format {fmt!r}; choose md or json", 2)
    graphs = []
    for path in (old, new):
        if not path.is_file():
            fail(f"{path}: no such file")
        try:
            graphs.append(load_graph(path))
        except Exception as exc:  # any parser error is one line for the user
            fail(f"{path}: cannot be parsed as Turtle ({str(exc).splitlines()[0]})")
    sys.stdout.write(render_diff(diff(graphs[0], graphs[1]), fmt))


@app.command("site")
def site_cmd(
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the static site."),
    dump: Path | None = typer.Option(None, "--dump", help="Turtle dump (default: the project's)."),
) -> None:
    """Write a static site: a page per instrument, norm, principle and theme, an index and a
    timeline, each resource also as .ttl and .jsonld beside its page."""
    from ..api import default_dump
    from ..web.site import write_site

    target = dump or default_dump()
    if not target.is_file():
        fail(f"{target}: no dump here; run `normgraph build` first")
    try:
        count = write_site(target, output)
    except OSError as exc:
        fail(f"{output}: cannot be written ({exc.strerror or exc})")
    typer.echo(f"wrote {count} pages to {output}")


@app.command("serve")
def serve_cmd(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", min=0, max=65535),
    dump: Path | None = typer.Option(None, "--dump", help="Turtle dump (default: the project's)."),
    timeout: float = typer.Option(10.0, "--query-timeout",
                                  help="Seconds a SPARQL query may run."),
    limit: int = typer.Option(10_000, "--row-limit", help="Most rows a SPARQL query returns."),
    workers: int = typer.Option(2, "--workers", min=1, max=64,
                                help="Query processes (each answers one query at a time)."),
    allow_service: bool = typer.Option(False, "--allow-service",
                                       help="Let SPARQL queries call remote SERVICE endpoints."),
) -> None:
    """Serve the pages, each resource IRI with content negotiation (HTML, Turtle, JSON-LD,
    N-Triples), and a read-only SPARQL endpoint at /sparql."""
    from ..api import default_dump
    from ..web.server import serve

    target = dump or default_dump()
    if not target.is_file():
        fail(f"{target}: no dump here; run `normgraph build` first")
    try:
        serve(target, host, port, timeout=timeout, limit=limit, workers=workers,
              allow_service=allow_service)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port} ({exc.strerror or exc})")
