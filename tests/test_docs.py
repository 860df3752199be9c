"""The README tours every command (datasette's habit): a command missing from it is a test
failure, so a new command cannot land undocumented."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from normgraph.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
#: the commands as a user types them (typer's own naming of each registered function)
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_the_app_has_its_commands() -> None:
    assert len(COMMANDS) >= 20 and {"build", "lineage", "search", "norm"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"normgraph {command}" in README, f"`normgraph {command}` is not in the README"
