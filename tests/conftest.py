from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SOURCES = ROOT / "data" / "sources"


@pytest.fixture(scope="session", autouse=True)
def _query_cache(tmp_path_factory):
    """Local query stores (made by every build that writes a dump, and by queries) go to a
    folder of this test session, never to the user's cache, and no keeper is started."""
    import os

    saved = {name: os.environ.get(name) for name in ("NORMGRAPH_CACHE", "NORMGRAPH_KEEPER")}
    os.environ["NORMGRAPH_CACHE"] = str(tmp_path_factory.mktemp("query-cache"))
    # no test leaves a keeper behind by asking many questions; tests/store/test_keeper.py
    # turns keepers on where it tries them
    os.environ["NORMGRAPH_KEEPER"] = "0"
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


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


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 15.0) -> bool:
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).read()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def start_oxigraph(tmp: Path) -> tuple[str, object]:
    """Start a real Oxigraph server on a free loopback port; returns (base URL, process)."""
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("oxigraph")
    binary = str(exe) if exe.exists() else shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server (PyPI package `oxigraph`) is not installed")
    port = _free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(tmp), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    if not _wait_for(url):
        proc.kill()
        pytest.fail("the oxigraph server did not start")
    return url, proc


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory):
    """Base URL of a real Oxigraph server holding the shipped dump in its default graph: the
    one .ci/run started (NORMGRAPH_TEST_OXIGRAPH), else one started here and stopped after."""
    import os

    from normgraph.store.triplestore import push

    url = os.environ.get("NORMGRAPH_TEST_OXIGRAPH")
    proc = None
    if not url:
        url, proc = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    push(ROOT / "data" / "normgraph.ttl", url + "/store")
    yield url
    if proc is not None:
        proc.terminate()
        proc.wait(timeout=10)
