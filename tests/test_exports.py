"""Exports are standard and stable: the JSON-LD is compacted with the shipped context and reads
back to the same graph; every format gives the same bytes on every run (a release's SHA256SUMS
does not change when nothing changed), whatever the process's hash seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from normgraph import api

ROOT = Path(__file__).resolve().parents[1]
DUMP = ROOT / "data" / "normgraph.ttl"
NORMGRAPH = str(Path(sys.executable).with_name("normgraph"))


def _export(fmt: str, seed: str, out: Path) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run([NORMGRAPH, "export", "--format", fmt, "--dump", str(DUMP), "-o",
                           str(out)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


@pytest.mark.parametrize("fmt", sorted(api.DUMP_FORMATS))
def test_every_format_gives_the_same_bytes_on_every_run(fmt: str, tmp_path: Path) -> None:
    first = _export(fmt, "1", tmp_path / f"a.{fmt}")
    second = _export(fmt, "2", tmp_path / f"b.{fmt}")
    assert first == second and first


def test_jsonld_is_compacted_with_the_shipped_context(tmp_path: Path) -> None:
    text = _export("jsonld", "0", tmp_path / "graph.jsonld").decode("utf-8")
    doc = json.loads(text)
    shipped = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == shipped["@context"]
    r8016 = next(n for n in doc["@graph"] if n["@id"] == "id:A/RES/80/16")
    assert r8016["symbol"] == "A/RES/80/16"
    assert r8016["date"] == "2025-12-01"  # typed xsd:date by the context
    assert "id:A/RES/79/237" in (r8016["refersTo"] if isinstance(r8016["refersTo"], list)
                                 else [r8016["refersTo"]])
    # a JSON-LD processor (rdflib's) reads back exactly the dump's triples
    back = Graph().parse(data=text, format="json-ld")
    assert isomorphic(back, Graph().parse(DUMP, format="turtle"))


def test_a_release_has_the_same_checksums_twice(project: Path, tmp_path: Path) -> None:
    sums = []
    for n, seed in enumerate(("3", "4")):
        out = tmp_path / f"release{n}"
        done = subprocess.run([NORMGRAPH, "release", "-o", str(out), "--root", str(project)],
                              env=dict(os.environ, PYTHONHASHSEED=seed), capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        sums.append((out / "SHA256SUMS").read_text(encoding="utf-8"))
    assert sums[0] == sums[1] and "normgraph.jsonld" in sums[0]
