"""YAML that attacks (issue 19, item 4) and YAML that is merely wrong (issue 18, item 5): front
matter, the catalog and the reference data are read with limits (no aliases, bounded depth and
size) and checked against a schema; each fault is one line naming the file and the line, with
no traceback, in bounded time and memory."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from normgraph.cli import app
from normgraph.read.safe_yaml import MAX_DEPTH, YamlError, load

ROOT = Path(__file__).resolve().parents[2]
BODY = "\nThe General Assembly,\n\n1. Decides to remain seized of the matter.\n"
LAUGHS = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def _cli(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"traceback: {result.exception!r}")
    return result


def _one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


FRONT_MATTER = [
    ("nested", "title: " + "[" * 10_000 + "\n", "front matter line 2: nested more than"),
    ("laughs", LAUGHS, "line 2: YAML anchors and aliases are not accepted"),
    ("surrogate", 'title: "x \\ud800 y"\n', "line 2: a lone surrogate character"),
    ("huge", "title: " + "x" * 300_000 + "\n", "larger than 256 KiB"),
    ("not yaml", "title: [unclosed\n", "front matter line 3: not valid YAML ("),
]


@pytest.mark.parametrize(("name", "block", "fault"), FRONT_MATTER, ids=[f[0] for f in FRONT_MATTER])
def test_hostile_front_matter_is_one_line(tmp_path: Path, name: str, block: str,
                                          fault: str) -> None:
    source = tmp_path / "doc.txt"
    source.write_text("---\n" + block + "---\n" + BODY, encoding="utf-8")
    good = ROOT / "data" / "sources" / "001_afe3f602325e065d.txt"
    start = time.perf_counter()
    result = _cli("ingest", str(source), str(good), "--format", "json")
    assert time.perf_counter() - start < 30
    assert result.exit_code == 1
    line = _one_line(result)
    assert line.startswith(f"normgraph: {source}: ") and fault in line, line
    assert '"A/RES/80/16"' in result.stdout  # the other file is still read


def test_a_nested_front_matter_value_is_a_note_not_a_failure(tmp_path: Path) -> None:
    source = tmp_path / "doc.txt"
    source.write_text("---\nsymbol: A/RES/70/237\ntags: [a, b]\n---\n" + BODY, encoding="utf-8")
    from normgraph.read.readers import read

    doc = read(source)
    assert doc.metadata["symbol"] == "A/RES/70/237"
    assert "front matter line 3: tags is not a single value; ignored" in doc.notes


CATALOG = [
    ("about: 5", "  - file: a.txt\n    kind: report\n    about: 5\n",
     "line 4: about: expected text, got 5"),
    ("titel", "  - file: a.txt\n    kind: report\n    titel: A title\n",
     "line 4: titel: unknown key"),
    ("impossible date", "  - file: a.txt\n    kind: report\n    date: 2021-02-30\n",
     "line 4: date: 2021-02-30 is not a real date"),
    ("no kind", "  - file: a.txt\n", "line 2: documents[1]: document record without kind"),
    ("unknown kind", "  - file: a.txt\n    kind: memo\n", "line 3: a.txt: kind 'memo'"),
    ("nested", "  - file: " + "[" * 10_000 + "\n", "nested more than"),
    ("laughs", "  - file: a.txt\n    kind: report\n" + "".join(
        "    " + ln + "\n" for ln in LAUGHS.splitlines()), "anchors and aliases"),
    ("surrogate", '  - file: "x \\ud800 y"\n    kind: report\n', "line 2: a lone surrogate"),
]


@pytest.mark.parametrize(("name", "records", "fault"), CATALOG, ids=[c[0] for c in CATALOG])
def test_a_bad_catalog_is_one_line_naming_file_and_line(project: Path, name: str, records: str,
                                                        fault: str) -> None:
    catalog = project / "data" / "catalog.yaml"
    catalog.write_text("documents:\n" + records, encoding="utf-8")
    dump = project / "data" / "normgraph.ttl"
    before = dump.read_bytes()
    result = _cli("build", "--root", str(project))
    assert result.exit_code == 1
    line = _one_line(result)
    assert line.startswith(f"normgraph: {catalog}: ") and fault in line, line
    assert dump.read_bytes() == before  # nothing already built lost


REFERENCE = [
    ("themes.yaml", ("  - key: supply-chain\n", "  - key: supply-chain\n    colour: red\n"),
     "colour: unknown key"),
    ("instruments.yaml", ("  - symbol: A/65/201\n",
                          "  - symbol: A/65/201\n    date: 2018-13-05\n"),
     "date: 2018-13-05 is not a real date"),
]


@pytest.mark.parametrize(("file", "edit", "fault"), REFERENCE, ids=[r[0] for r in REFERENCE])
def test_bad_reference_data_is_one_line_naming_file_and_line(project: Path, file: str,
                                                             edit: tuple[str, str],
                                                             fault: str) -> None:
    path = project / "data" / "reference" / file
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    line_no = text[: text.index(edit[0])].count("\n") + 2
    result = _cli("build", "--root", str(project))
    assert result.exit_code == 1
    line = _one_line(result)
    assert line == f"normgraph: {path}: line {line_no}: {fault}" or (
        line.startswith(f"normgraph: {path}: line {line_no}: ") and fault in line), line


def test_limits_hold_without_the_cli() -> None:
    with pytest.raises(YamlError, match="nested more than"):
        load("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert load("a: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)) is not None
    with pytest.raises(YamlError, match="line 1: key 'a' given twice"):
        load("{a: 1, a: 2}")
    with pytest.raises(YamlError, match="merge keys|anchors"):
        load("b: {<<: {x: 1}}")
    # dates stay as written: a schema checks them
    assert load("d: 2021-02-30") == {"d": "2021-02-30"}


def test_the_shipped_yaml_fits_its_schemas() -> None:
    from normgraph import api

    assert api.load_catalog(ROOT / "data" / "catalog.yaml")
    reference = api.load_reference(ROOT / "data" / "reference")
    assert reference.themes and reference.bodies and reference.instruments
