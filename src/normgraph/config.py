"""Settings read from the environment, kept free of heavy imports so that every command can
use them without loading rdflib.

``NORMGRAPH_BASE``: the base under which data IRIs are minted (default
``https://w3id.org/normgraph/``). ``NORMGRAPH_CACHE``: where the local query store lives
(default ``$XDG_CACHE_HOME/normgraph`` or ``~/.cache/normgraph``).
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_BASE = "https://w3id.org/normgraph/"
ONTOLOGY_NS = "https://w3id.org/normgraph/ontology#"


def base() -> str:
    """The base under which data IRIs are minted, ending in '/'."""
    value = os.environ.get("NORMGRAPH_BASE", DEFAULT_BASE)
    return value if value.endswith("/") else value + "/"


def cache_dir() -> Path:
    """The folder for the persistent local store."""
    explicit = os.environ.get("NORMGRAPH_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "normgraph"
