"""The notebook API: ``normgraph.api`` answers what the CLI answers, with symbols written as a
user writes them and values typed (dates as ``datetime.date``, ordinals as ``int``); the
package runs as ``python -m normgraph``, ships ``py.typed`` and the repository its licence."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from normgraph import api
from normgraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
DUMP = ROOT / "data" / "normgraph.ttl"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return api.LocalStore(DUMP, cache=tmp_path_factory.mktemp("cache"))


@pytest.fixture()
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMGRAPH_CACHE", str(tmp_path / "cache"))


def test_lineage_takes_a_short_symbol_as_the_cli_does(store) -> None:
    short = api.lineage(store, "80/16")
    full = api.lineage(store, "A/RES/80/16")
    assert short.root == "A/RES/80/16"
    assert short.links and short.links == full.links
    cli = CliRunner().invoke(app, ["lineage", "80/16", "--format", "json", "--dump", str(DUMP)])
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.stdout) == short.as_json()


def test_lineage_without_a_store_uses_the_default_dump(own_cache: None, store) -> None:
    assert api.lineage("80/16", direction="up").links == api.lineage(store, "80/16").links


def test_lineage_values_are_typed(store) -> None:
    result = api.lineage(store, "80/16")
    dated = [i for i in result.instruments.values() if i.date is not None]
    assert dated and all(isinstance(i.date, datetime.date) for i in dated)
    assert all(isinstance(lk.ordinal, int) and lk.ordinal > 0 for lk in result.links)
    # the JSON interface keeps ISO strings
    as_json = {i["symbol"]: i["date"] for i in result.as_json()["instruments"]}
    assert all(as_json[i.symbol] == i.date.isoformat() for i in dated)


def test_a_decision_number_resolves_to_the_decision(store) -> None:
    symbols = {row["symbol"] for row in api.query("instruments", store=store)}
    decisions = sorted(s for s in symbols if s.startswith("A/DEC/"))
    assert decisions, "the shipped graph holds decisions"
    short = decisions[0].removeprefix("A/DEC/")
    assert api.full_symbol(store, short) == decisions[0]


def test_unknown_and_malformed_symbols_raise(store) -> None:
    with pytest.raises(api.UnknownSymbol, match="nearest known"):
        api.lineage(store, "99/999")
    with pytest.raises(api.SymbolError):
        api.lineage(store, "not a symbol")


def test_query_gives_typed_rows_equal_to_the_cli(store) -> None:
    rows = api.query("lineage", store=store, root="80/16")
    cli = CliRunner().invoke(app, ["query", "lineage", "-p", "root=80/16", "--format", "json",
                                   "--dump", str(DUMP)])
    assert cli.exit_code == 0, cli.output
    text_rows = json.loads(cli.stdout)
    assert len(rows) == len(text_rows) > 0
    for typed, text in zip(rows, text_rows, strict=True):
        assert isinstance(typed["ordinal"], int) and str(typed["ordinal"]) == text["ordinal"]
        for key in ("citedDate", "fromDate", "toDate"):
            if typed[key] is not None:
                assert isinstance(typed[key], datetime.date)
                assert typed[key].isoformat() == text[key]
        assert typed["toSymbol"] == text["toSymbol"]


def test_query_takes_dates_and_rejects_unknown_parameters(store) -> None:
    with pytest.raises(api.ParameterError):
        api.query("lineage", store=store, nope="1")
    with pytest.raises(api.ParameterError):
        api.query("no-such-query", store=store)


@pytest.mark.parametrize(("value", "datatype", "expected"), [
    ("2020-12-31", "date", datetime.date(2020, 12, 31)),
    ("2020-02-31", "date", "2020-02-31"),  # not a date: kept as written, never guessed
    ("12", "integer", 12), ("12", "int", 12), ("1.0", "integer", "1.0"),
    ("true", "boolean", True), ("2.5", "double", 2.5), ("x", None, "x"),
])
def test_python_value(value: str, datatype: str | None, expected: object) -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert api.python_value(value, xsd + datatype if datatype else None) == expected


def test_python_dash_m_runs_the_command() -> None:
    out = subprocess.run([sys.executable, "-m", "normgraph", "--help"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "lineage" in out.stdout and "build" in out.stdout


def test_package_is_typed_and_licensed() -> None:
    assert (ROOT / "src" / "normgraph" / "py.typed").is_file()
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "CC BY 4.0" in licence
    assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_every_public_name_has_a_docstring() -> None:
    missing = [name for name in api.__all__
               if callable(getattr(api, name)) and not getattr(api, name).__doc__]
    assert not missing, missing


def test_search_takes_words_and_filters_as_keywords_and_gives_dates() -> None:
    """``api.search`` as a notebook calls it: the text, filters as keywords, the default
    store; dates come back as dates, and the filters narrow what comes back."""
    import datetime

    hits = api.search("national ownership", store=api.open_store(DUMP))
    assert [(h["document"], h["paragraph"]) for h in hits][:1] == [("A/75/816", "56 (b6)")]
    assert hits[0]["date"] == datetime.date(2021, 3, 12)
    assert api.search("national ownership", store=api.open_store(DUMP), kind="resolution") == []
    dated = api.search("points of contact", store=api.open_store(DUMP),
                       since=datetime.date(2024, 1, 1))
    assert dated and all(h["date"] >= datetime.date(2024, 1, 1) for h in dated)


def test_a_build_takes_its_folders_as_strings(project: Path, own_cache: None) -> None:
    # a notebook writes paths as text: the same build as with Path objects
    out = project / "out" / "g.ttl"
    result = api.build(api.Paths(str(project)), out=str(out))
    assert result.report.conforms and result.written == out
    assert out.read_bytes() == DUMP.read_bytes()
