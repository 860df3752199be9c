"""The typer application that every command module registers on, and the helpers they
share (one-line failures, the dump to read, a symbol resolved against it). Reaches the library
only through :mod:`normgraph.api`.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="normgraph: a knowledge graph of the UN cyber-norms instruments.",
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, then exit."""
    typer.echo(f"normgraph: {message}", err=True)
    raise typer.Exit(code)


def _graph(dump: Path | None):
    from .. import api

    target = dump or api.default_dump()
    if not target.exists():
        fail(f"{target}: no dump here; run `normgraph build` first")
    try:
        return api.load_graph(target)
    except Exception as exc:  # a parser error is one line for the user
        fail(f"{target}: cannot be parsed as Turtle ({str(exc).splitlines()[0]})")


def _symbol(text: str, graph) -> str:
    from .. import api
    from ..api import SymbolError

    try:
        return api.resolve_symbol(text, graph)
    except SymbolError as exc:
        fail(str(exc), 2)
    except api.UnknownSymbol as exc:
        fail(str(exc), 1)


DumpOption = typer.Option(None, "--dump", help="Turtle dump to read (default: data/normgraph.ttl, "
                          "else the dump shipped with normgraph).")
