"""A local store asked many questions moves into memory once its time on disk has paid for the
load (``LocalStore(memory=None)``, what ``api.open_store`` hands out); one-shot commands and
dumps too large for the machine's memory stay on disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from normgraph import api
from normgraph.store import triplestore

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "normgraph.ttl"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "g.ttl"
    path.write_bytes(SHIPPED.read_bytes())
    return path


def _ask_until_moved(store: api.LocalStore, limit: int = 50) -> int:
    """Ask the catalogue's questions until the store has moved into memory; how many it took."""
    from test_answers import canon

    queries = list(api.load_queries().items())
    for asked in range(1, limit + 1):
        name, query = queries[asked % len(queries)]
        params = {p.name: p.example for p in query.params if p.example}
        before = store.in_memory
        rows = api.run_query(store, name, params).rows
        if before:
            return asked
        disk = api.run_query(api.LocalStore(store.dump, cache=store.home.parent,
                                            memory=False), name, params).rows
        assert canon(rows) == canon(disk), name
        store.wait()
    raise AssertionError(f"still on disk after {limit} questions")


def test_a_store_asked_enough_moves_into_memory_and_answers_alike(
        dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_answers import canon

    # a load this machine would take 0.2 s: a few questions on disk pay for it
    monkeypatch.setattr(triplestore, "LOAD_RATE", dump.stat().st_size / 0.2)
    store = api.LocalStore(dump, cache=tmp_path / "cache")
    assert not store.in_memory
    asked = _ask_until_moved(store)
    assert asked > 1  # it started on disk
    assert store.spent_on_disk < store.load_estimate()  # the count starts again after a move
    for name, query in api.load_queries().items():  # in memory, the same answers
        params = {p.name: p.example for p in query.params if p.example}
        assert canon(api.run_query(store, name, params).rows) == canon(
            api.run_query(api.LocalStore(dump, cache=tmp_path / "cache", memory=False), name,
                          params).rows), name
    assert store.in_memory


def test_a_dump_changed_after_the_move_is_answered_from_its_new_contents(
        dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triplestore, "LOAD_RATE", 1e15)  # the first question pays for it
    store = api.LocalStore(dump, cache=tmp_path / "cache")
    before = int(store.select(COUNT).rows[0]["n"])
    assert store.wait(timeout=60)
    dump.write_text(dump.read_text(encoding="utf-8") + (
        "\n<https://w3id.org/normgraph/id/A/RES/99/1> "
        "<http://data.europa.eu/eli/ontology#id_local> \"A/RES/99/1\" .\n"), encoding="utf-8")
    assert not store.in_memory  # the copy in memory is of the old dump
    assert int(store.select(COUNT).rows[0]["n"]) == before + 1


def test_a_store_stays_on_disk_when_told_or_when_memory_is_short(
        dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triplestore, "LOAD_RATE", 1e15)
    told = api.LocalStore(dump, cache=tmp_path / "cache", memory=False)
    for _ in range(3):
        told.select(COUNT)
    assert not told.wait(timeout=60)
    monkeypatch.setattr(triplestore, "memory_budget", lambda: dump.stat().st_size)
    short = api.LocalStore(dump, cache=tmp_path / "cache")
    for _ in range(3):
        short.select(COUNT)
    assert not short.wait(timeout=60)
    assert short.spent_on_disk > short.load_estimate()  # it would have moved, memory allowing


def test_a_process_gets_one_store_per_dump_so_its_questions_add_up(
        dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMGRAPH_CACHE", str(tmp_path / "cache"))
    first = api.open_store(dump)
    assert api.open_store(dump) is first
    assert api.open_store(dump.parent / ".." / dump.parent.name / dump.name) is first
    monkeypatch.setenv("NORMGRAPH_CACHE", str(tmp_path / "elsewhere"))
    assert api.open_store(dump) is not first
    others = [tmp_path / f"{n}.ttl" for n in range(5)]
    for other in others:
        other.write_bytes(b"")
        api.open_store(other)
    monkeypatch.setenv("NORMGRAPH_CACHE", str(tmp_path / "cache"))
    assert api.open_store(dump) is not first  # only the last few are kept


def test_a_process_ending_while_the_move_runs_ends_cleanly(tmp_path: Path) -> None:
    big = tmp_path / "big.ttl"
    text = SHIPPED.read_text(encoding="utf-8")
    big.write_text(text + "".join(
        f"<https://example.org/s{n}> <https://example.org/p> \"{n}\" .\n"
        for n in range(300_000)), encoding="utf-8")
    script = (
        "import sys; from pathlib import Path\n"
        "from normgraph.store import triplestore as t\n"
        "t.LOAD_RATE = 1e15\n"
        "s = t.LocalStore(Path(sys.argv[1]), cache=Path(sys.argv[2]))\n"
        "s.select('ASK { ?s ?p ?o }')\n"
        "assert s._promoting is not None and s._promoting.is_alive()\n"
        "print('asked')\n")
    proc = subprocess.run([sys.executable, "-c", script, str(big), str(tmp_path / "cache")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "asked\n" and proc.stderr == ""


def test_a_command_asks_on_disk_and_never_loads_the_dump_into_memory(
        dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from normgraph.cli import app

    monkeypatch.setenv("NORMGRAPH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(triplestore, "LOAD_RATE", 1e15)  # any question would pay for a load
    for _ in range(2):
        result = CliRunner().invoke(app, ["query", "timeline", "--dump", str(dump)])
        assert result.exit_code == 0, result.output
    held = [(key[2], store) for key, store in triplestore._OPEN.items()
            if key[0] == str(dump.resolve())]
    assert [memory for memory, _ in held] == [False]  # the commands' one store, kept on disk
    used = held[0][1]
    assert used.spent_on_disk == 0.0 and not used.wait(timeout=60)
    assert api.open_store(dump, memory=False) is used
    assert api.open_store(dump) is not used  # a notebook's store is another
