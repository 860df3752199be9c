"""Bad input, interrupted and concurrent builds, hostile parameters: one-line errors, the
other documents still processed, nothing already built lost or half-written."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from normgraph import api
from normgraph.cli import app
from normgraph.read.readers import MAX_BYTES, ReadError, read_bytes

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
NORMGRAPH = str(Path(sys.executable).with_name("normgraph"))

RESOLUTION = (
    "---\nsymbol: {symbol}\n---\nThe General Assembly,\n\n"
    "Recalling its resolution 75/240 of 31 December 2020,\n\n1. Welcomes the report A/79/214;\n"
)


def _build(project: Path, *extra: str):
    result = runner.invoke(app, ["build", "--root", str(project), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result


def _add(project: Path, name: str, data: bytes | str) -> Path:
    path = project / "data" / "sources" / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


# -- bad documents: one line each, naming the file; the others still processed ------------------

@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.txt", b"", "empty file"),
    ("binary.bin", bytes(range(256)) * 20, "binary file"),
    ("unclosed.txt", b"---\ntitle: x\nsymbol: A/RES/99/1\n\nThe General Assembly,\n",
     "never closes"),
])
def test_unreadable_documents_fail_alone(project: Path, name: str, data: bytes,
                                         message: str) -> None:
    _add(project, name, data)
    result = _build(project)
    assert result.exit_code == 1
    errors = [ln for ln in _stderr_lines(result) if ln.startswith("error:")]
    assert len(errors) == 1 and name in errors[0] and message in errors[0]
    assert "Traceback" not in result.output
    # the other documents made it into the dump
    dump = (project / "data" / "normgraph.ttl").read_text(encoding="utf-8")
    assert "A/RES/80/16" in dump and "A/75/816" in dump


@pytest.mark.parametrize(("encoding", "bom"), [("latin-1", b""), ("utf-16", b""),
                                               ("utf-8", b"\xef\xbb\xbf")])
def test_other_encodings_are_decoded(encoding: str, bom: bytes) -> None:
    text = "The General Assembly,\n\nRecalling its resolution 75/240 on the café,\n"
    doc = read_bytes(bom + text.encode(encoding), "x.txt")
    assert "café" in doc.text
    from normgraph.extract.records import extract

    e = extract(doc)
    assert [(r.symbol, r.relation) for r in e.references] == [("A/RES/75/240", "recalls")]


def test_windows_line_endings_give_the_same_extraction(tmp_path: Path) -> None:
    source = (ROOT / "data" / "sources" / "000_cdab6decd82e2069.txt").read_bytes()
    crlf = tmp_path / "000_crlf.txt"
    crlf.write_bytes(source.replace(b"\n", b"\r\n"))
    [a], _ = api.ingest([ROOT / "data" / "sources" / "000_cdab6decd82e2069.txt"])
    [b], errors = api.ingest([crlf])  # one at a time: both claim A/RES/79/237
    assert not errors
    assert [(r.symbol, r.relation, r.paragraph) for r in a.references] == \
        [(r.symbol, r.relation, r.paragraph) for r in b.references]


def test_malformed_front_matter_date_is_a_warning_and_not_recorded(project: Path) -> None:
    _add(project, "bad-date.txt", "---\nsymbol: A/RES/99/9\ndate: 2025-02-30\ntitle: T\n---\n"
         "The General Assembly,\n\nRecalling its resolution 75/240,\n")
    result = _build(project)
    assert result.exit_code == 0
    warnings = [ln for ln in _stderr_lines(result) if "bad-date.txt" in ln]
    assert len(warnings) == 1 and "2025-02-30" in warnings[0]
    dump = (project / "data" / "normgraph.ttl").read_text(encoding="utf-8")
    assert "2025-02-30" not in dump and "id/A/RES/99/9>" in dump


def test_a_symbol_that_cannot_exist_is_ignored_with_a_warning(project: Path) -> None:
    _add(project, "bad-symbol.txt", RESOLUTION.format(symbol="A/RES/80/16/16/x"))
    result = _build(project)
    assert result.exit_code == 0
    [line] = [ln for ln in _stderr_lines(result) if "bad-symbol.txt" in ln]
    assert "A/RES/80/16/16/x" in line and "malformed" in line
    assert "80/16/16" not in (project / "data" / "normgraph.ttl").read_text(encoding="utf-8")


def test_a_document_citing_itself(project: Path) -> None:
    _add(project, "self.txt", "---\nsymbol: A/RES/99/8\ntitle: T\n---\nThe General Assembly,\n\n"
         "Recalling its resolution 99/8 and its resolution 75/240,\n")
    result = _build(project)
    [line] = [ln for ln in _stderr_lines(result) if "self.txt" in ln]
    assert "cites its own symbol A/RES/99/8" in line
    g = api.load_graph(project / "data" / "normgraph.ttl")
    from normgraph.graph.vocab import ELI, instrument_iri

    me = instrument_iri("A/RES/99/8")
    assert (me, ELI.cites, me) not in g
    assert (me, ELI.cites, instrument_iri("A/RES/75/240")) in g


def test_two_files_claiming_the_same_symbol(project: Path) -> None:
    first = project / "data" / "sources" / "001_afe3f602325e065d.txt"
    _add(project, "zz-copy.txt", first.read_bytes())
    result = _build(project)
    assert result.exit_code == 1
    [line] = [ln for ln in _stderr_lines(result) if ln.startswith("error:")]
    assert "zz-copy.txt" in line and "001_afe3f602325e065d.txt" in line and "A/RES/80/16" in line


def test_a_huge_file_is_refused_clearly(project: Path) -> None:
    big = _add(project, "huge.txt", b"")
    with open(big, "wb") as fh:  # just over the limit, written sparsely
        fh.truncate(MAX_BYTES + 1)
    started = time.monotonic()
    result = _build(project)
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    [line] = [ln for ln in _stderr_lines(result) if "huge.txt" in ln]
    assert "larger than" in line


def test_a_50_mb_text_is_read(tmp_path: Path) -> None:
    paragraph = "Recalling its resolution 75/240 of 31 December 2020, and noting the report.\n\n"
    data = ("The General Assembly,\n\n" + paragraph * (50 * 1024 * 1024 // len(paragraph)))
    assert len(data) < MAX_BYTES
    doc = read_bytes(data.encode(), "big.txt")
    assert len(doc.text) == len(data)


def test_a_file_that_vanishes_between_listing_and_reading(project: Path) -> None:
    files = sorted((project / "data" / "sources").iterdir())
    gone = project / "data" / "sources" / "gone.txt"
    result = api.build(api.Paths(project), files=[*files, gone])
    assert [e.file for e in result.errors] == [str(gone)]
    assert "no such file" in result.errors[0].message.lower() or \
        "not found" in result.errors[0].message.lower()
    assert result.written is not None  # the others were processed and written


def test_ingest_reports_a_bad_file_and_prints_the_good_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    good = ROOT / "data" / "sources" / "000_cdab6decd82e2069.txt"
    result = runner.invoke(app, ["ingest", str(bad), str(good), "--format", "json"])
    assert result.exit_code == 1
    assert '"A/RES/79/237"' in result.stdout
    assert _stderr_lines(result) == [f"normgraph: {bad}: binary file, not text"] or \
        (len(_stderr_lines(result)) == 1 and "bad.txt" in result.stderr)


def test_read_errors_are_one_line() -> None:
    for data in (b"", b"\x00" * 50, b"---\nx: [\n---\ntext"):
        with pytest.raises(ReadError) as info:
            read_bytes(data, "f.txt")
        assert "\n" not in str(info.value)


# -- --strict --------------------------------------------------------------------------------

def test_strict_fails_on_a_warning_and_keeps_the_old_dump(project: Path) -> None:
    dump = project / "data" / "normgraph.ttl"
    before = dump.read_bytes()
    _add(project, "latin.txt", "The General Assembly,\n\nRecalling its resolution 75/240, "
         "caf\xe9,\n".encode("latin-1"))
    result = _build(project, "--strict")
    assert result.exit_code == 1
    assert "--strict" in result.stderr
    assert dump.read_bytes() == before
    assert _build(project).exit_code == 0  # without --strict the warning does not fail


# -- nothing lost, nothing half-written -----------------------------------------------------

def _no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_build_leaves_the_old_dump(project: Path, sig: int) -> None:
    dump = project / "data" / "normgraph.ttl"
    before = dump.read_bytes()
    proc = subprocess.Popen([NORMGRAPH, "build", "--root", str(project)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)  # past start-up, inside the build
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    after = dump.read_bytes()
    if proc.returncode == 0:  # it finished before the signal: then the dump is whole
        assert after.rstrip().endswith(b".")
    else:
        assert proc.returncode in (130, -sig, 128 + sig)
        assert after == before
        assert b"Traceback" not in err
    assert _no_temp_files(dump.parent)


def test_two_builds_at_once_give_one_whole_dump(project: Path) -> None:
    dump = project / "data" / "normgraph.ttl"
    expected = dump.read_bytes()
    dump.unlink()
    procs = [subprocess.Popen([NORMGRAPH, "build", "--root", str(project)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for _ in range(2)]
    for p in procs:
        p.wait(timeout=120)
    assert [p.returncode for p in procs] == [0, 0]
    assert dump.read_bytes() == expected
    assert _no_temp_files(dump.parent)


def test_a_violation_leaves_no_temp_file(project: Path) -> None:
    norms = project / "data" / "reference" / "norms.yaml"
    norms.write_text(norms.read_text(encoding="utf-8").replace('"13(k)"', '"13(z)"'),
                     encoding="utf-8")
    before = (project / "data" / "normgraph.ttl").read_bytes()
    assert _build(project).exit_code == 1
    assert (project / "data" / "normgraph.ttl").read_bytes() == before
    assert _no_temp_files(project / "data")


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path

