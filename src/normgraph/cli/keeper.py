"""``normgraph keeper``: start, inspect and stop the process that holds a dump's graph in
memory for the one-shot commands that follow each other on it (see
:mod:`normgraph.store.keeper_client`; commands start one by themselves once their time on
disk has paid for it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from .answers import DumpOpt, _spinner
from .app import app, fail

keeper_app = typer.Typer(no_args_is_help=True, help="The process that keeps a dump's graph in "
                         "memory between commands: start, status, stop.")
app.add_typer(keeper_app, name="keeper")


def _local(dump: Path | None) -> Any:
    from ..api import StoreError, open_store

    try:
        return open_store(dump, memory=False)
    except StoreError as exc:
        fail(str(exc))


def _describe(status: Any) -> str:
    if status.state == "loading":
        return f"loading {status.dump} (pid {status.pid})"
    if status.state != "ready":
        return f"a keeper of {status.dump} (pid {status.pid}) did not answer"
    minutes = status.leaves_after / 60
    return (f"keeping {status.dump} in memory (pid {status.pid}, {status.resident_mib:,.0f} MiB, "
            f"loaded in {status.loaded_in:.2f} s): {status.questions} question"
            f"{'' if status.questions == 1 else 's'} answered, "
            f"the last {status.idle:.0f} s ago; leaves after {minutes:g} min without one")


@keeper_app.command("start")
def keeper_start(dump: Path | None = DumpOpt) -> None:
    """Load the dump into a keeper now and wait until it answers."""
    from ..api import StoreError

    store = _local(dump)
    try:
        with _spinner(f"loading {store.dump.name} into memory"):
            status = store.keep()
    except StoreError as exc:
        fail(str(exc))
    typer.echo(_describe(status))


@keeper_app.command("status")
def keeper_status(dump: Path | None = DumpOpt) -> None:
    """Whether a keeper holds the dump, and what it has done."""
    status = _local(dump).keeper()
    typer.echo(_describe(status) if status else "no keeper holds this dump")


@keeper_app.command("stop")
def keeper_stop(dump: Path | None = DumpOpt) -> None:
    """Stop the dump's keeper (commands go back to the store on disk)."""
    pid = _local(dump).stop_keeper()
    typer.echo(f"stopped the keeper (pid {pid})" if pid else "no keeper holds this dump")
