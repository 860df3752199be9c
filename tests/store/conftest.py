from __future__ import annotations

from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "normgraph.ttl"


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    """A copy of the shipped dump, free to change."""
    path = tmp_path / "g.ttl"
    path.write_bytes(SHIPPED.read_bytes())
    return path
