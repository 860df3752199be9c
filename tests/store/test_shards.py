"""Past one machine: the dump cut into N-Triples shards, loaded by Oxigraph's own bulk loader
(`oxigraph load`, one file per thread) into a server's location, answers every catalogue query
over HTTP exactly as the local store does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from conftest import start_oxigraph
from normgraph import api
from normgraph.cli import app

ROOT = Path(__file__).resolve().parents[2]
DUMP = ROOT / "data" / "normgraph.ttl"


def _triples(paths: list[Path], fmt: ox.RdfFormat) -> set[str]:
    return {str(t) for p in paths for t in ox.parse(path=str(p), format=fmt)}


def test_shards_hold_exactly_the_dump_and_are_stable(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--shards", "3", "-o", str(tmp_path / "a"),
                                      "--dump", str(DUMP)])
    assert result.exit_code == 0, result.output
    shards = sorted((tmp_path / "a").glob("*.nt"))
    assert [p.name for p in shards] == ["part-000.nt", "part-001.nt", "part-002.nt"]
    assert all(p.stat().st_size > 0 for p in shards)
    assert _triples(shards, ox.RdfFormat.N_TRIPLES) == _triples([DUMP], ox.RdfFormat.TURTLE)
    # a subject's triples stay together, and a second run writes the same bytes
    subjects = [{line.split(" ", 1)[0] for line in p.read_text().splitlines()} for p in shards]
    assert not (subjects[0] & subjects[1]) and not (subjects[1] & subjects[2])
    again = api.write_shards(DUMP, tmp_path / "b", 3)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in shards]


def test_a_broken_dump_is_one_line_and_leaves_no_shard(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a> <http://b> .\n")
    result = CliRunner().invoke(app, ["export", "--shards", "2", "-o", str(tmp_path / "out"),
                                      "--dump", str(bad)])
    assert result.exit_code == 1
    assert str(bad) in result.output and "Traceback" not in result.output
    assert list((tmp_path / "out").iterdir()) == []


def _examples(query: Any) -> dict[str, str]:
    return {p.name: p.example for p in query.params if p.example is not None}


def test_oxigraph_load_of_shards_serves_the_catalogue(tmp_path: Path) -> None:
    from test_answers import canon

    shards = api.write_shards(DUMP, tmp_path / "shards", 4)
    location = tmp_path / "server"
    oxigraph = Path(sys.executable).with_name("oxigraph")
    if not oxigraph.exists():
        pytest.skip("the oxigraph server (PyPI package `oxigraph`) is not installed")
    subprocess.run([str(oxigraph), "load", "--location", str(location), "--file",
                    *map(str, shards)], check=True, capture_output=True)
    url, proc = start_oxigraph(location)
    try:
        remote = api.open_store(endpoint=url + "/query")
        local = api.LocalStore(DUMP, cache=tmp_path / "cache")
        answered = 0
        for name, query in api.load_queries().items():
            params = _examples(query)
            ours = api.run_query(local, name, params)
            theirs = api.run_query(remote, name, params)
            assert theirs.columns == ours.columns, name
            # GROUP_CONCAT order is each engine's choice (and the local store may have moved
            # into memory by now)
            assert canon(theirs.rows) == canon(ours.rows), name
            answered += bool(ours.rows)
        # the comparison means something: most queries have answers on the shipped data
        assert answered >= len(api.load_queries()) - 2
    finally:
        proc.terminate()  # type: ignore[attr-defined]
        proc.wait(timeout=10)  # type: ignore[attr-defined]
