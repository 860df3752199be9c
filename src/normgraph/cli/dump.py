"""Commands that make, check, export and inspect the dump: build, ingest, validate, show,
stats, export.

Exit codes: 0 success; 1 the work failed (a file could not be read, the graph does not
conform, an unknown symbol); 2 bad usage (a malformed symbol or parameter).
Library modules are imported inside the commands, so ``normgraph --help`` stays quick.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from .app import DumpOption, _graph, _symbol, app, fail


class _Bars:
    """Progress bars on stderr (rich), one per stage, shown only on a terminal; pipes and
    tests see nothing. A stage without a count (graph, validate, write) pulses."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(TextColumn("{task.description:>9}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), transient=True,
                                 console=Console(stderr=True))
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, advance: int = 0, total: int | None = None) -> None:
        task = self.tasks.get(stage)
        if task is None:
            for other in self.tasks.values():
                self.progress.update(other, visible=False)
            task = self.tasks[stage] = self.progress.add_task(stage, total=total)
        if advance:
            self.progress.update(task, advance=advance)

    def __enter__(self) -> _Bars:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


class _Quiet:
    def __call__(self, stage: str, advance: int = 0, total: int | None = None) -> None:
        return None

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _progress() -> _Bars | _Quiet:
    return _Bars() if sys.stderr.isatty() else _Quiet()


@app.command()
def build(
    strict: bool = typer.Option(False, "--strict", help="Fail on any warning too."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Where to write the dump."),
    root: Path | None = typer.Option(None, "--root", help="Project folder holding data/."),
    stream: bool | None = typer.Option(
        None, "--stream/--in-memory",
        help="Build as a stream, in bounded memory (the default from 200 files; faster "
             "too), or hold the whole graph in memory (small graphs validated by pySHACL)."),
    timings: bool = typer.Option(
        False, "--timings",
        help="Print the seconds each stage took and the peak memory, after the summary."),
) -> None:
    """Read data/sources, extract, build and validate the graph, write data/normgraph.ttl."""
    from .. import api
    from ..api import CatalogError, IRIError, ReferenceDataError

    paths = api.Paths(root) if root else api.Paths.default()
    if not paths.sources.is_dir():
        # building nothing would write a dump that then hides the shipped one
        fail(f"{paths.root}: not a project folder (no data/sources)", 2)
    import signal

    def _terminate(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(signum)

    signal.signal(signal.SIGTERM, _terminate)
    import time

    started = time.perf_counter()
    try:
        with _progress() as progress:
            result = api.build(paths, strict=strict, out=out, progress=progress, stream=stream)
    except KeyboardInterrupt:
        fail("interrupted; the previous dump is untouched", 130)
    except (CatalogError, ReferenceDataError) as exc:
        fail(str(exc))
    except IRIError as exc:
        fail(f"{out or paths.dump}: not written: {exc}")
    except OSError as exc:  # the dump cannot be written (a folder, no permission)
        fail(f"{exc.filename2 or exc.filename or out or paths.dump}: cannot be written "
             f"({exc.strerror or exc})")
    for err in result.errors:
        typer.echo(f"error: {err.line()}", err=True)
    for w in result.warnings:
        typer.echo(f"warning: {w}", err=True)
    for f in result.report.findings:
        typer.echo(f.line(), err=True)
    typer.echo(f"read {result.documents} documents ({result.instruments} with a symbol), "
               f"{result.references} references; graph of {result.triple_count} triples")
    if timings:
        typer.echo(_timings_line(result.timings, time.perf_counter() - started))
    if not result.report.conforms:
        fail(f"the graph does not conform ({len(result.report.violations)} violations); "
             f"the previous dump is untouched")
    if strict and (result.warnings or result.report.warnings or result.errors):
        fail("errors or warnings with --strict; the previous dump is untouched")
    if result.written:
        typer.echo(f"wrote {result.written}")
    if result.errors:
        raise typer.Exit(1)


def _timings_line(stages: dict[str, float], wall: float) -> str:
    """The stages' seconds in the order they ran, the build's wall time, and the peak
    resident memory of the build's process and of the largest process it started (a worker
    or the checker), where the platform reports it."""
    line = "time: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in stages.items())
    line += f"; {wall:.2f} s in all"
    try:
        import resource
    except ImportError:  # not on this platform
        return line
    # kilobytes on Linux, bytes on macOS
    unit = 1 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit / 2**20
    helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit / 2**20
    line += f"; peak memory {own:,.0f} MiB"
    if helper:
        line += f", the largest process it started {helper:,.0f} MiB"
    return line


@app.command()
def validate(file: Path | None = typer.Argument(None, help="Turtle file (default: the dump).")
             ) -> None:
    """Validate a Turtle file against the shapes: exit 0 when it conforms, 1 with one line per
    violation (focus node, path, message)."""
    from .. import api

    target = file or api.default_dump()
    if not target.exists():
        fail(f"{target}: no such file")
    try:
        report = api.validate_file(target)
    except Exception as exc:
        fail(f"{target}: cannot be parsed as Turtle ({str(exc).splitlines()[0]})")
    for f in report.findings:
        typer.echo(f.line())
    if not report.conforms:
        raise typer.Exit(1)
    typer.echo(f"{target}: conforms ({len(report.warnings)} warnings)")


@app.command()
def export(
    fmt: str = typer.Option("ttl", "--format", "-f", help="ttl, nt, jsonld or trig."),
    output: Path | None = typer.Option(None, "-o", "--output", help="File (default: stdout)."),
    dump: Path | None = DumpOption,
    everything: bool = typer.Option(False, "--all", help="Write a release into the folder -o: "
                                    "Turtle, N-Triples, JSON-LD, TriG and SHA256SUMS."),
    shards: int = typer.Option(0, "--shards", help="Write N N-Triples files into the folder "
                               "-o, for a store's parallel bulk loader (see the README)."),
) -> None:
    """Export the graph in another serialisation (deterministic output)."""
    from ..api import DUMP_FORMATS as FORMATS
    from ..api import IRIError, serialize

    if shards:
        _shards(dump, output, shards)
        return
    if everything:
        from .publish import release

        if output is None:
            fail("--all needs -o FOLDER", 2)
        release(output=output, root=None)
        return
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", 2)
    try:
        text = serialize(_graph(dump), fmt)
    except IRIError as exc:
        fail(f"{dump}: not exported: {exc}")
    _write_or_print(output, text, announce=True)


def _shards(dump: Path | None, output: Path | None, count: int) -> None:
    from ..api import StoreError, default_dump, write_shards

    if output is None:
        fail("--shards needs -o FOLDER", 2)
    try:
        paths = write_shards(dump or default_dump(), output, count)
    except StoreError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{output}: cannot be written ({exc.strerror or exc})")
    typer.echo(f"wrote {len(paths)} N-Triples shards into {output}")


@app.command()
def stats(dump: Path | None = DumpOption,
          fmt: str = typer.Option("table", "--format", "-f", help="table or json.")) -> None:
    """Counts per class and per relation."""
    from .. import api

    if fmt not in ("table", "json"):
        fail(f"unknown format {fmt!r}; choose table or json", 2)
    data = api.stats(_graph(dump))
    if fmt == "json":
        typer.echo(json.dumps(data, indent=2))
        return
    for section, counts in data.items():
        typer.echo(f"{section}:")
        for key, n in counts.items():
            typer.echo(f"  {n:6}  {key}")


@app.command()
def show(symbol: str = typer.Argument(..., help="An instrument (80/16, A/RES/80/16) or any other "
                                    "resource by key: a body (global-mechanism), a norm (13f), "
                                    "a theme, a pillar, a principle (56.6) or an IRI"),
         dump: Path | None = DumpOption,
         fmt: str = typer.Option("text", "--format", "-f", help="text or json.")) -> None:
    """Everything the graph holds about one instrument, body, norm, principle, theme or pillar,
    and what points at it."""
    from .. import api

    if fmt not in ("text", "json"):
        fail(f"unknown format {fmt!r}; choose text or json", 2)
    graph = _graph(dump)
    if "/" not in symbol or symbol.startswith(("http://", "https://")):
        # not a symbol: a key of a body, norm, theme, pillar or principle
        iri = api.resolve_resource(symbol, graph)
        if iri is None:
            fail(f"{symbol!r}: no instrument, body, norm, principle, theme or pillar has this "
                 "key (see `normgraph bodies`, `norms`, `principles`)")
        _show_resource(api.resource(graph, iri), fmt)
        return
    data = api.instrument(graph, _symbol(symbol, graph))
    if not _card_head(data, data["symbol"], fmt):
        return
    for c in data["cites"]:
        typer.echo(f"  {c['relation']} -> {c['symbol']}")
    for c in data["cited_by"]:
        typer.echo(f"  <- {c['symbol']} {c['relation']}")
    for v in data["same_report_as"]:
        typer.echo(f"  same report as {v['symbol']}  ({v['report']})")
    if data["paragraphs"]:
        typer.echo(f"  paragraphs: {', '.join(data['paragraphs'])}")


def _card_head(data: dict, title: str, fmt: str) -> bool:
    """Print a card as JSON (returning False: nothing more to print) or its title line and
    properties (returning True: the caller adds its own sections)."""
    if fmt == "json":
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return False
    typer.echo(f"{title}  <{data['iri']}>")
    for key, values in data["properties"].items():
        for v in values:
            typer.echo(f"  {key}: {v}")
    return True


def _show_resource(data: dict, fmt: str) -> None:
    if not _card_head(data, data["label"] or data["iri"], fmt):
        return
    for key, values in data["referenced_by"].items():
        for v in values:
            typer.echo(f"  <- {v} {key}")
        more = data["referenced_by_counts"][key] - len(values)
        if more > 0:
            typer.echo(f"  <- ... and {more} more {key}")


@app.command()
def ingest(
    files: list[Path] = typer.Argument(..., help="Documents to read (any path)."),
    fmt: str = typer.Option("json", "--format", "-f", help="json or ttl."),
    output: Path | None = typer.Option(None, "-o", "--output", help="File (default: stdout)."),
) -> None:
    """Run the whole pass on any files and print what was found."""
    from .. import api
    from ..api import IRIError, to_turtle

    if fmt not in ("json", "ttl"):
        fail(f"unknown format {fmt!r}; choose json or ttl", 2)
    extractions, errors = api.ingest(files)
    for err in errors:
        typer.echo(f"normgraph: {err.line()}", err=True)
    if fmt == "json":
        text = json.dumps([api.extraction_json(e) for e in extractions], indent=2,
                          ensure_ascii=False) + "\n"
    else:
        from ..api import GraphInput, build_dataset, load_reference

        ds, _ = build_dataset(GraphInput(extractions, load_reference()))
        try:
            text = to_turtle(ds)
        except IRIError as exc:
            fail(f"no Turtle written: {exc}")
    _write_or_print(output, text)
    if errors:
        raise typer.Exit(1)


def _write_or_print(output: Path | None, text: str, announce: bool = False) -> None:
    """``text`` written atomically to ``output`` (saying so with ``announce``), or to stdout."""
    from ..api import write_atomic

    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        fail(f"{output}: cannot be written ({exc.strerror or exc})")
    if announce:
        typer.echo(f"wrote {output}")
