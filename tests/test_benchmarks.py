"""The benchmark corpus generator: deterministic, and what it generates is what the
extractor finds and the lineage shows."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from normgraph import api
from normgraph.answer.lineage import lineage
from normgraph.store.triplestore import LocalStore

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402


def test_generator_is_deterministic() -> None:
    a, _ = corpus.generate(30, seed=3)
    b, _ = corpus.generate(30, seed=3)
    c, _ = corpus.generate(30, seed=4)
    assert a == b and a != c


def test_generated_corpus_builds_and_its_references_are_found(tmp_path: Path) -> None:
    docs = corpus.write(40, tmp_path)
    result = api.build(api.Paths(tmp_path))
    assert result.report.conforms and not result.errors
    found = {(e.symbol, r.symbol, r.relation, r.paragraph)
             for e in result.extractions for r in e.references}
    expected = {(d.symbol, s, rel, p) for d in docs for s, rel, p, _date in d.refs}
    assert expected and expected <= found
    # the newest instrument's lineage holds the links it states
    newest = docs[-1]
    lin = lineage(LocalStore(tmp_path / "data" / "normgraph.ttl", cache=tmp_path / "cache"),
                  newest.symbol, depth=1)
    stated = {(s, rel, p) for s, rel, p, _ in newest.refs}
    assert stated == {(lk.target, lk.relation, lk.paragraph) for lk in lin.links}


class _QueriesOnly:
    """The same local store seen without its link index, so lineage runs lineage.rq."""

    def __init__(self, store: LocalStore) -> None:
        self.select = store.select


def test_generated_corpus_lineage_from_the_index_equals_the_transitive_query(
        tmp_path: Path) -> None:
    docs = corpus.write(60, tmp_path, seed=11)
    assert api.build(api.Paths(tmp_path)).ok
    store = LocalStore(tmp_path / "data" / "normgraph.ttl", cache=tmp_path / "cache")
    deep = 0
    for doc in docs[-8:]:
        for direction in ("up", "down"):
            mine = lineage(store, doc.symbol, direction)
            theirs = lineage(_QueriesOnly(store), doc.symbol, direction)  # type: ignore[arg-type]
            assert mine.links == theirs.links and mine.as_json() == theirs.as_json()
            deep = max(deep, max(mine.depth.values()))
    assert deep >= 3  # chains, not only direct links


def _reads(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # the process ended meanwhile
        return b""


def _keeper_cmd(dump: str) -> bytes:
    return b"\0".join([sys.executable.encode(), b"-m", b"normgraph.store.keeper",
                        dump.encode()])


def test_the_scale_benchmark_runs_and_prints_its_tables(tmp_path: Path) -> None:
    import os
    import subprocess

    env = dict(os.environ, NORMGRAPH_CACHE=str(tmp_path / "cache"))
    proc = subprocess.run([sys.executable, str(BENCH / "scale.py"), "40", "--work",
                           str(tmp_path)], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert "| documents | triples | build wall |" in out
    build_row = next(line for line in out.splitlines() if line.startswith("| 40 | "))
    assert int(build_row.split("|")[2].replace(",", "")) > 1000  # triples
    assert "40 documents: lineage ours / pyoxigraph = " in out
    # the build's CPU time by what spent it, beside its wall time
    spent = re.search(r"^- 40 documents: ([\d.]+) s of CPU in ([\d.]+) s \([\d.]+ cores of "
                      r"\d+\): the workers ([\d.]+), the build's own process ([\d.]+) .*"
                      r"RocksDB's compaction ([\d.]+), the checker ([\d.]+)$", out, re.M)
    assert spent is not None, out
    parts = [float(spent[i]) for i in (3, 4, 5, 6)]
    assert float(spent[4]) > 0 and abs(sum(parts) - float(spent[1])) < 0.2
    assert "rdflib / ours = " in out
    assert "shipped data: `normgraph lineage 80/16`" in out
    # every catalogue query on our store on disk, asked of the dump's keeper and in a session
    # that moved into memory, beside plain pyoxigraph, with the three ratios
    for name in api.load_queries():
        row = next(line for line in out.splitlines() if line.startswith(f"| `{name}` |"))
        disk, kept, session, plain, *ratios = (c.strip() for c in row.split("|")[2:9])
        assert min(float(disk), float(kept), float(session), float(plain)) >= 0
        assert all(r.endswith("x") and float(r[:-1]) > 0 for r in ratios) and len(ratios) == 3
    assert "40 documents, on disk: " in out and "40 documents, in a session: " in out
    assert "40 documents, kept: " in out
    assert " queries within 1.5x; over: " in out
    keeper = re.search(r"^40 documents: the keeper answered after ([\d.]+) s \(its load "
                       r"([\d.]+) s\), holding ([\d,]+) MiB; `normgraph query theme` kept "
                       r"([\d.]+) s wall against ([\d.]+) s on disk$", out, re.M)
    assert keeper is not None, out
    assert float(keeper[1]) >= float(keeper[2]) and float(keeper[3].replace(",", "")) > 0
    # the benchmark stopped the keeper it started
    dump = str(tmp_path / "corpus-40" / "data" / "normgraph.ttl")
    assert not [cmd for cmd in Path("/proc").glob("[0-9]*/cmdline")
                if _reads(cmd).startswith(_keeper_cmd(dump))]
    assert "40 documents: the session moved into memory after " in out
    # the first answer after the build, timed as a new process
    first = next(line for line in out.splitlines() if line.startswith("| 40 | ")
                 and line.count("|") == 7)
    assert float(first.split("|")[3]) > 0


def test_the_build_cpu_is_told_apart_by_what_spent_it() -> None:
    import subprocess
    import time

    import cpu

    if not cpu.available():
        return
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.6: pass"
    sampled = cpu.CpuByPart(interval=0.05)
    worker = subprocess.Popen([sys.executable, "-c", burn])
    # a checker is told by its command line, as the build starts it
    checker = subprocess.Popen([sys.executable, "-c", burn, "normgraph.check.apart"])
    start = time.process_time()
    while time.process_time() - start < 0.3:
        pass
    worker.wait()
    checker.wait()
    spent = sampled.stop()
    assert set(spent) == set(cpu.PARTS)
    assert spent["checker"] >= 0.5
    assert 0.5 <= spent["workers"] < 1.0  # the checker's time is not counted twice
    assert spent["build"] >= 0.25
    assert spent["compaction"] == 0
