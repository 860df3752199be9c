"""Installed from a wheel into a fresh virtual environment and run from an empty folder, every
command works on the dump shipped inside the package, ``python -m normgraph`` works, and a
notebook-style script using only ``normgraph.api`` answers. Slow (it builds a wheel and
installs normgraph's dependencies): marked ``slow``; CI runs it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import start_oxigraph

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, Path]:
    """A fresh venv holding normgraph from its wheel, an empty working folder and a cache."""
    tmp = tmp_path_factory.mktemp("wheel")
    wheels = tmp / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(ROOT)], check=True, capture_output=True, timeout=600)
    (wheel,) = wheels.glob("normgraph-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    out = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                          str(wheel)], capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    empty = tmp / "empty"
    empty.mkdir()
    return {"bin": venv / "bin", "cwd": empty, "cache": tmp / "cache"}


def _env(installed: dict[str, Path]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NORMGRAPH_")}
    env["NORMGRAPH_CACHE"] = str(installed["cache"])
    return env


def _run(installed: dict[str, Path], *args: str) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([str(installed["bin"] / "normgraph"), *args], cwd=installed["cwd"],
                         env=_env(installed), capture_output=True, text=True, timeout=300)
    assert "Traceback" not in out.stderr, out.stderr
    return out


def _shipped(installed: dict[str, Path]) -> Path:
    found = list((installed["bin"].parent / "lib").glob(
        "python*/site-packages/normgraph/_resources/normgraph.ttl"))
    assert len(found) == 1
    return found[0]


def test_the_wheel_runs_outside_the_checkout(installed) -> None:
    code = "import normgraph, sys; print(normgraph.__file__)"
    out = subprocess.run([str(installed["bin"] / "python"), "-c", code], cwd=installed["cwd"],
                         env=_env(installed), capture_output=True, text=True, timeout=60)
    assert "site-packages" in out.stdout and str(ROOT / "src") not in out.stdout


def test_python_dash_m_normgraph(installed) -> None:
    out = subprocess.run([str(installed["bin"] / "python"), "-m", "normgraph", "--help"],
                         cwd=installed["cwd"], env=_env(installed), capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0 and "lineage" in out.stdout, out.stderr


#: every command that reads the graph, with arguments, and a piece of what it must print
COMMANDS = [
    (["stats", "--format", "json"], '"triples"'),
    (["show", "80/16"], "A/RES/80/16"),
    (["validate"], "conforms"),
    (["lineage", "80/16"], "A/RES/80/16"),
    (["draw", "80/16", "-o", "lineage.dot"], "lineage.dot"),
    (["path", "80/16", "73/27"], "A/RES/73/27"),
    (["central"], "A/RES/"),
    (["norms"], "13(a)"),
    (["principles"], "56"),
    (["recommendations"], "A/75/816"),
    (["theme", "capacity-building"], "A/RES/"),
    (["queries"], "lineage"),
    (["query", "timeline"], "A/RES/80/16"),
    (["sparql", "ASK { ?s ?p ?o }"], "true"),
    (["export", "--format", "nt", "-o", "graph.nt"], "graph.nt"),
    (["site", "-o", "site"], "pages"),
    (["ingest", str(ROOT / "tests" / "fixtures" / "pdf" / "A_RES_75_240.pdf")], "A/RES/75/240"),
]


@pytest.mark.parametrize(("args", "expected"), COMMANDS, ids=[c[0][0] for c in COMMANDS])
def test_every_command_reads_the_shipped_dump(installed, args: list[str], expected: str) -> None:
    out = _run(installed, *args)
    assert out.returncode == 0, out.stderr
    assert expected in out.stdout + out.stderr, out.stdout[-2000:]


def test_stats_count_the_shipped_dump(installed) -> None:
    import pyoxigraph as ox

    triples = sum(1 for _ in ox.parse(path=str(_shipped(installed)), format=ox.RdfFormat.TURTLE))
    out = _run(installed, "stats", "--format", "json")
    assert json.loads(out.stdout)["total"]["triples"] == triples


def test_diff_of_the_shipped_dump_with_itself(installed) -> None:
    shipped = str(_shipped(installed))
    out = _run(installed, "diff", shipped, shipped, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert all(not v for v in json.loads(out.stdout).values())


def test_build_and_release_need_a_project(installed) -> None:
    for args in (["build"], ["release", "-o", "rel"]):
        out = _run(installed, *args)
        assert out.returncode == 2
        assert out.stderr.strip().endswith("not a project folder (no data/sources)")
    assert not (installed["cwd"] / "data").exists()


def test_push_to_a_real_store(installed, tmp_path: Path) -> None:
    url, proc = start_oxigraph(tmp_path / "oxigraph")
    try:
        out = _run(installed, "push", "--endpoint", url + "/store")
        assert out.returncode == 0, out.stderr
        out = _run(installed, "query", "timeline", "--endpoint", url + "/query")
        assert "A/RES/80/16" in out.stdout
    finally:
        proc.terminate()  # type: ignore[attr-defined]
        proc.wait(timeout=10)  # type: ignore[attr-defined]


def test_serve_answers_from_the_shipped_dump(installed) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(installed["bin"] / "normgraph"), "serve", "--port", str(port)],
                            cwd=installed["cwd"], env=_env(installed),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/id/A/RES/80/16"
        deadline, page = time.monotonic() + 60, ""
        while time.monotonic() < deadline and not page:
            try:
                page = urllib.request.urlopen(url, timeout=5).read().decode()
            except OSError:
                time.sleep(0.3)
        assert "80/16" in page
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


NOTEBOOK = '''
import datetime
from normgraph import api

up = api.lineage("80/16")
assert up.root == "A/RES/80/16" and up.links, "lineage"
assert all(isinstance(i.date, datetime.date) for i in up.instruments.values() if i.date)
rows = api.query("timeline")
assert rows and isinstance(rows[0]["date"], datetime.date), "canned query"
lineage_rows = api.query("lineage", root="80/16")
assert all(isinstance(r["ordinal"], int) for r in lineage_rows)
graph = api.load_graph()
assert len(graph) > 1000
hits = api.search("national ownership", kind="report")
assert hits and hits[0]["document"] == "A/75/816", "search"
assert isinstance(hits[0]["date"], datetime.date)
print(len(up.links), len(rows), len(graph), len(hits))
'''


def test_a_notebook_script_using_only_the_api(installed) -> None:
    out = subprocess.run([str(installed["bin"] / "python"), "-c", NOTEBOOK],
                         cwd=installed["cwd"], env=_env(installed), capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    links, rows, triples, hits = map(int, out.stdout.split())
    assert links > 0 and rows > 0 and triples > 1000 and hits > 0
