"""A streamed build (what large corpora get): each document's part of the graph made and
rendered on its own, the dump merged from sorted runs on disk. It writes the in-memory
build's dump byte for byte, with the same warnings, errors and counts, and leaves nothing
behind."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from normgraph import api
from normgraph.graph.runs import SortedRuns
from normgraph.pipeline import build as build_module
from normgraph.pipeline import sources

ROOT = Path(__file__).resolve().parents[1]


def _generated(root: Path, n: int) -> api.Paths:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    corpus.write(n, root)
    return api.Paths(root)


def _both(paths: api.Paths, tmp_path: Path) -> tuple[api.BuildResult, api.BuildResult]:
    memory = api.build(paths, out=tmp_path / "memory.ttl", store=False, stream=False)
    streamed = api.build(paths, out=tmp_path / "streamed.ttl", store=False, stream=True)
    return memory, streamed


def _same(memory: api.BuildResult, streamed: api.BuildResult) -> None:
    assert streamed.streamed and not memory.streamed
    assert memory.written and streamed.written
    assert streamed.written.read_bytes() == memory.written.read_bytes()
    assert streamed.warnings == memory.warnings
    assert [e.line() for e in streamed.errors] == [e.line() for e in memory.errors]
    assert (streamed.documents, streamed.instruments, streamed.references) == \
        (memory.documents, memory.instruments, memory.references)
    assert streamed.triple_count == memory.triple_count == len(memory.triples)
    assert not streamed.extractions and not streamed.named  # nothing held


def test_a_streamed_build_writes_the_in_memory_dump(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _generated(tmp_path / "corpus", 60)
    monkeypatch.setattr(build_module, "RUN_CHARS", 40_000)  # dozens of runs to merge
    memory, streamed = _both(paths, tmp_path)
    _same(memory, streamed)
    assert memory.triple_count > 15_000
    assert not list(tmp_path.glob(".normgraph-runs-*"))  # the runs are gone


def test_the_shipped_data_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped catalog names source files as curated sources (resolved only once every
    file is read), the norms are worded by held paragraphs, and curated sources name stub
    paragraphs: all of it comes out as the in-memory build makes it."""
    monkeypatch.setattr(build_module, "RUN_CHARS", 100_000)
    memory, streamed = _both(api.Paths.default(), tmp_path)
    _same(memory, streamed)
    assert streamed.written.read_bytes() == (ROOT / "data" / "normgraph.ttl").read_bytes()


@pytest.mark.slow
def test_parts_made_by_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    paths = _generated(tmp_path / "corpus", 40)
    monkeypatch.setattr(sources, "PARALLEL_FROM", 8)  # forked workers make the parts
    monkeypatch.setattr(build_module, "RUN_CHARS", 200_000)
    _same(*_both(paths, tmp_path))


def test_a_workers_part_travels_without_its_triples(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # its triples are in its rendered entries; sent again as rdflib terms, they cost the
    # parent about 1 ms a document to unpickle (10 s of a 10,000-document build)
    import pickle

    from normgraph.graph.builder import start
    from normgraph.graph.reference import load_reference
    from normgraph.read.catalog import load_catalog

    paths = _generated(tmp_path / "corpus", 12)
    monkeypatch.setattr(sources, "PARALLEL_FROM", 8)
    reference = load_reference(paths.reference if paths.reference.is_dir() else None)
    done: list[sources.Done] = []
    errors = sources.each_file(sorted(paths.sources.iterdir()), load_catalog(paths.catalog),
                               reference, done.append, wanted=start(reference).wanted)
    assert not errors and len(done) == 12
    for d in done:
        assert d.part is not None and d.entries.count("\t") // 2 > 100  # its triples
        assert not any(d.part.graphs.values())
        assert len(pickle.dumps(d.part)) < len(d.entries) / 4


def test_bad_and_duplicate_files_streamed(tmp_path: Path) -> None:
    paths = _generated(tmp_path / "corpus", 12)
    files = sorted(paths.sources.iterdir())
    (paths.sources / "zz_copy.txt").write_bytes(files[3].read_bytes())  # claims its symbol
    (paths.sources / "broken.pdf").write_bytes(b"%PDF-1.7 not a PDF at all")
    memory, streamed = _both(paths, tmp_path)
    _same(memory, streamed)
    lines = [e.line() for e in streamed.errors]
    assert len(lines) == 2, lines
    assert lines[0].startswith(str(paths.sources / "broken.pdf") + ": ")
    assert lines[1].startswith(str(paths.sources / "zz_copy.txt") + ": claims symbol ")
    assert streamed.documents == 12


def test_a_streamed_build_reads_its_graph_back(tmp_path: Path) -> None:
    paths = _generated(tmp_path / "corpus", 5)
    result = api.build(paths, out=tmp_path / "out.ttl", store=False, stream=True)
    assert len(result.graph) == result.triple_count == len(result.triples)
    with pytest.raises(ValueError, match="pySHACL needs the graph in memory"):
        api.build(paths, stream=True, validator="pyshacl")


def test_a_violation_keeps_the_old_dump_when_streamed(project: Path) -> None:
    dump = project / "data" / "normgraph.ttl"
    before = dump.read_bytes()
    in_memory = api.build(api.Paths(project), store=False, stream=False, write=False)
    norms = project / "data" / "reference" / "norms.yaml"
    norms.write_text(norms.read_text(encoding="utf-8").replace('"13(k)"', '"13(z)"'),
                     encoding="utf-8")
    expected = api.build(api.Paths(project), store=False, stream=False, write=False)
    failed = api.build(api.Paths(project), stream=True)  # validated on disk
    assert in_memory.report.conforms and not failed.report.conforms and not failed.written
    assert dump.read_bytes() == before
    found = [f.line() for f in failed.report.findings]
    assert found == [f.line() for f in expected.report.findings]
    assert any("norm/13z" in line for line in found)
    assert not list(dump.parent.glob(".normgraph-runs-*"))
    assert not list(dump.parent.glob(".normgraph.ttl.*.tmp"))


def test_runs_a_killed_build_left_are_swept(tmp_path: Path) -> None:
    paths = _generated(tmp_path / "corpus", 3)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    left = paths.dump.parent / f".normgraph-runs-{dead}.x1y2z3.tmp"
    left.mkdir(parents=True)
    (left / "00000").write_text("a\tb\tc\n")
    result = api.build(paths, store=False, stream=True)
    assert result.ok and not left.exists()


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each build the CLI runs from now on is streamed."""
    made: list[bool] = []
    real = build_module.build

    def spy(*a: object, **k: object) -> api.BuildResult:
        result = real(*a, **k)  # type: ignore[arg-type]
        made.append(result.streamed)
        return result

    monkeypatch.setattr(api, "build", spy)
    return made


@pytest.mark.parametrize("how", [["--stream"], []], ids=["asked", "by-size"])
def test_the_cli_reports_a_streamed_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          how: list[str]) -> None:
    from typer.testing import CliRunner

    from normgraph.cli import app

    paths = _generated(tmp_path / "corpus", 8)
    memory = api.build(paths, out=tmp_path / "memory.ttl", store=False, stream=False)
    monkeypatch.setattr(build_module, "STREAM_FROM", 8 if not how else 10_000)
    made = _spied(monkeypatch)
    result = CliRunner().invoke(app, ["build", "--root", str(paths.root), *how, "--timings"])
    assert result.exit_code == 0, result.output
    assert made == [True]
    assert result.stdout.splitlines()[0] == (
        f"read 8 documents ({memory.instruments} with a symbol), {memory.references} "
        f"references; graph of {memory.triple_count} triples")
    # the stages in the order a streamed build runs them
    assert re.fullmatch(r"time: read [\d.]+ s, extract [\d.]+ s, graph [\d.]+ s, write "
                        r"[\d.]+ s, validate [\d.]+ s, store [\d.]+ s; [\d.]+ s in all; "
                        r"peak memory [\d,]+ MiB.*", result.stdout.splitlines()[1])
    assert paths.dump.read_bytes() == (tmp_path / "memory.ttl").read_bytes()
    assert not list(paths.dump.parent.glob(".normgraph-runs-*"))


def test_the_cli_builds_in_memory_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    from typer.testing import CliRunner

    from normgraph.cli import app

    paths = _generated(tmp_path / "corpus", 4)
    monkeypatch.setattr(build_module, "STREAM_FROM", 1)
    made = _spied(monkeypatch)
    for option in ("--in-memory", "--stream"):
        result = CliRunner().invoke(app, ["build", "--root", str(paths.root), option])
        assert result.exit_code == 0, result.output
    assert made == [False, True]


def test_sorted_runs_merge_in_code_point_order(tmp_path: Path) -> None:
    rng = random.Random(5)
    alphabet = "ab\t:<>\"\\é中\U0001f600 z"
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
             for _ in range(3_000)]
    lines += lines[:500]  # duplicates, within and across runs
    with SortedRuns(tmp_path, limit=2_000) as runs:
        for i in range(0, len(lines), 97):
            runs.add(lines[i : i + 97])
        assert len(runs.runs) > 5
        assert list(runs.merged()) == sorted(set(lines))
        scratch = runs.runs[0].parent
    assert not scratch.exists()
    with SortedRuns(tmp_path) as empty:
        assert list(empty.merged()) == []



def test_a_worker_that_starts_its_terms_again_writes_the_same_dump(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a worker keeps its terms (and their rendered text) from one document to the next, and
    # starts an empty table whenever it holds KEPT_TERMS: here many times in one build
    paths = _generated(tmp_path / "corpus", 30)
    monkeypatch.setattr(sources, "KEPT_TERMS", 300)
    _same(*_both(paths, tmp_path))


def test_kept_terms_are_shared_by_value_and_type_and_bounded() -> None:
    from normgraph.graph.vocab import Kept, literal, mint, minting

    kept = Kept(limit=5)
    with minting(kept):
        one, iri = literal(1), mint("https://example.org/a")
        # equal in Python, not in RDF: each its own literal
        assert [str(t) for t in (literal(True), literal(1.0))] == ["true", "1.0"]
        assert literal(1.0).datatype != one.datatype
    with minting(kept):  # a later document gets the same objects
        assert literal(1) is one and mint("https://example.org/a") is iri
        literal(2)
    assert len(kept) == 5
    with minting(kept):  # full: the table starts again
        assert literal(1) is not one and literal(1) == one
    assert len(kept) == 1 and not kept.texts


def test_kept_rendered_text_follows_the_base(monkeypatch: pytest.MonkeyPatch) -> None:
    # the text of a kept term holds the prefixes it was written with: another base's
    # prefixes write it anew
    from rdflib import RDFS

    from normgraph.graph.dump import subject_entries
    from normgraph.graph.vocab import Kept, minting, norm_iri

    kept = Kept()
    monkeypatch.setenv("NORMGRAPH_BASE", "https://a.example/")
    with minting(kept):
        triple = (norm_iri("n1"), RDFS.seeAlso, norm_iri("n2"))
        first = subject_entries([triple], kept)
    monkeypatch.setenv("NORMGRAPH_BASE", "https://b.example/")
    with minting(kept):
        second = subject_entries([triple], kept)
    assert first == ["https://a.example/norm/n1\trdfs:seeAlso\tnorm:n2"]
    assert second == ["https://a.example/norm/n1\trdfs:seeAlso\t<https://a.example/norm/n2>"]
