"""Query commands: the canned catalogue, lineage, thematic views, remote stores, pictures."""

from __future__ import annotations

from .cli import app, fail  # noqa: F401
