"""The whole pass on the shipped data: build, validate, dump, determinism, independent parser."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from normgraph import api
from normgraph.graph.vocab import CITO, ELI, NG, instrument_iri

ROOT = Path(__file__).resolve().parents[1]


def test_committed_dump_equals_a_fresh_build(built) -> None:
    _result, out = built
    committed = ROOT / "data" / "normgraph.ttl"
    assert committed.read_bytes() == out.read_bytes(), (
        "data/normgraph.ttl is stale: run `normgraph build` and commit it")


def test_build_is_byte_identical_from_shuffled_file_order(built, tmp_path: Path) -> None:
    _result, out = built
    files = sorted((ROOT / "data" / "sources").iterdir())
    random.Random(7).shuffle(files)
    second = tmp_path / "again.ttl"
    api.build(api.Paths(ROOT), files=files, out=second)
    assert second.read_bytes() == out.read_bytes()


def test_dump_holds_the_lineage_links(built) -> None:
    result, _ = built
    g = result.graph
    r8016, r79237 = instrument_iri("A/RES/80/16"), instrument_iri("A/RES/79/237")
    assert (r8016, NG.endorses, instrument_iri("A/80/257")) in g
    assert (r8016, NG.recalls, r79237) in g
    assert (r8016, ELI.cites, r79237) in g
    assert (r79237, NG.endorses, instrument_iri("A/79/214")) in g
    assert (r79237, ELI.based_on, instrument_iri("A/RES/75/240")) in g
    # the qualified citation says where: operative paragraph 1 of 80/16, verb as written
    rows = list(g.query(
        """SELECT ?para ?verb WHERE { ?c cito:hasCitedEntity ?cited ;
               cito:hasCitationCharacterization ng:endorses ; cito:hasCitingEntity ?para ;
               ng:verb ?verb . ?para eli:is_part_of ?doc }""",
        initNs={"cito": CITO, "ng": NG, "eli": ELI},
        initBindings={"cited": instrument_iri("A/80/257"), "doc": r8016},
    ))
    assert [(str(p).rsplit("/", 1)[-1], str(v)) for p, v in rows] == [("1", "endorse")]


def test_dump_report_structure(built) -> None:
    result, _ = built
    g = result.graph
    report = instrument_iri("A/75/816")
    numbered = [p for p in g.objects(report, ELI.has_part)
                if str(g.value(p, ELI.number)).isdigit()]
    assert len(numbered) == 80
    recs = set(g.subjects(URIRef(str(NG) and "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                          NG.Recommendation))
    assert len(recs) == 23
    assert len(list(g.subjects(ELI.is_part_of, URIRef(str(report) + "/para/56")))) == 10


def test_a_violation_stops_the_build_and_keeps_the_old_dump(project: Path) -> None:
    dump = project / "data" / "normgraph.ttl"
    before = dump.read_bytes()
    norms = project / "data" / "reference" / "norms.yaml"
    # a norm notation outside 13(a)..13(k) is something only the shapes catch
    norms.write_text(norms.read_text(encoding="utf-8").replace('"13(k)"', '"13(z)"'),
                     encoding="utf-8")
    result = api.build(api.Paths(project))
    assert not result.report.conforms
    assert not result.written
    assert dump.read_bytes() == before
    lines = [f.line() for f in result.report.violations]
    assert any("norm/13z" in line and "skos:notation" in line for line in lines), lines


def test_rapper_reads_the_same_number_of_triples(tmp_path: Path) -> None:
    if shutil.which("rapper") is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    dump = ROOT / "data" / "normgraph.ttl"
    proc = subprocess.run(["rapper", "-i", "turtle", "-c", str(dump)], capture_output=True,
                          text=True, check=True)
    count = int(proc.stderr.split("returned")[1].split("triples")[0])
    assert count == len(Graph().parse(dump, format="turtle"))


def test_exports_are_isomorphic(tmp_path: Path) -> None:
    from normgraph.graph.dump import serialize

    g = api.load_graph(ROOT / "data" / "normgraph.ttl")
    for fmt, parser in (("nt", "nt"), ("jsonld", "json-ld"), ("trig", "trig"), ("ttl", "turtle")):
        text = serialize(g, fmt)
        other = Graph()
        if fmt == "trig":
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(data=text, format="trig")
            for s, p, o, _c in ds.quads((None, None, None, None)):
                other.add((s, p, o))
        else:
            other.parse(data=text, format=parser)
        assert isomorphic(g, other), fmt
        assert serialize(g, fmt) == text  # deterministic


@pytest.mark.slow
def test_a_parallel_build_prints_only_its_result(tmp_path: Path) -> None:
    """Worker processes end silently when the pool stops them (they used to inherit the CLI's
    SIGTERM handler and print KeyboardInterrupt tracebacks after a successful build)."""
    import sys

    from normgraph.pipeline.sources import PARALLEL_FROM

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    corpus.write(PARALLEL_FROM, tmp_path)
    exe = Path(sys.executable).with_name("normgraph")
    out = subprocess.run([str(exe), "build", "--root", str(tmp_path)], capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    # nothing from the workers: stderr holds only the build's own one-line warnings (the
    # generated corpus lacks 73/27, whose paragraphs word the shipped norms)
    assert "Traceback" not in out.stderr and "KeyboardInterrupt" not in out.stderr
    assert all(line.startswith("warning: norm ") for line in out.stderr.splitlines()), out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"read {PARALLEL_FROM} documents")
    assert lines[1] == f"wrote {tmp_path / 'data' / 'normgraph.ttl'}"


def test_build_outside_a_project_writes_nothing(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from normgraph.cli import app

    result = CliRunner().invoke(app, ["build", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"normgraph: {tmp_path}: not a project folder (no data/sources)"
    assert not (tmp_path / "data").exists()


def test_pyshacl_validates_graphs_the_size_of_the_shipped_one_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An in-memory build validates with pySHACL up to PYSHACL_LIMIT triples (the shipped
    graph), above it with the shapes compiled to SPARQL: the same findings, many times
    faster."""
    import sys

    from normgraph.pipeline import build as build_module

    called: list[int] = []
    real = build_module.validate_graph

    def spy(graph):  # type: ignore[no-untyped-def]
        called.append(len(graph))
        return real(graph)

    monkeypatch.setattr(build_module, "validate_graph", spy)
    shipped = api.build(out=tmp_path / "shipped.ttl", store=False)
    assert shipped.report.conforms and called == [shipped.triple_count]
    assert shipped.triple_count <= build_module.PYSHACL_LIMIT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    corpus.write(50, tmp_path / "corpus")
    larger = api.build(api.Paths(tmp_path / "corpus"), store=False)
    assert not larger.streamed and larger.triple_count > build_module.PYSHACL_LIMIT
    assert larger.report.conforms and called == [shipped.triple_count]  # not pySHACL
