from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SOURCES = ROOT / "data" / "sources"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (real UN resolutions used only for testing)")
    return CORPUS


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One build of the shipped sources into a temporary dump (the committed one untouched)."""
    from normgraph import api

    out = tmp_path_factory.mktemp("build") / "normgraph.ttl"
    result = api.build(api.Paths(ROOT), out=out)
    assert result.report.conforms, [f.line() for f in result.report.violations]
    return result, out


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the project's data folder to build in."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path
