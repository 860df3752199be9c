"""Publishing commands: releases, diffs, the static site and the local server."""

from __future__ import annotations

from .cli import app, fail  # noqa: F401
