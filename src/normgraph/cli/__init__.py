"""The ``normgraph`` command: a thin layer over :mod:`normgraph.api`, the only module of the
library it imports.

Exit codes: 0 success; 1 the work failed (a file could not be read, the graph does not
conform, an unknown symbol); 2 bad usage (a malformed symbol or parameter).
The app lives in :mod:`.app`; each command module registers its commands on it when imported
here. Library modules are imported inside the commands, so ``normgraph --help`` stays quick.
"""

from __future__ import annotations

from . import answers, dump, keeper, publish, research  # noqa: F401  (importing registers them)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point."""
    app()
