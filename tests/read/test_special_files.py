"""Only regular files are read, and every read is bounded by the bytes actually read: a FIFO,
a device behind a symbolic link, a file name that is not UTF-8 are one-line errors naming the
file, and the other documents are still processed (issue 19, item 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from normgraph.read.catalog import CatalogError, load_catalog
from normgraph.read.readers import ReadError, read_file

NORMGRAPH = str(Path(sys.executable).with_name("normgraph"))
GOOD = "The General Assembly,\n\nRecalling its resolution 75/240,\n\n1. Welcomes A/79/214;\n"


def _hostile_folder(folder: Path) -> dict[str, Path]:
    os.mkfifo(folder / "fifo.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    bad_name = folder / os.fsdecode(b"latin-\xe9.txt")
    bad_name.write_text(GOOD, encoding="utf-8")
    return {"fifo": folder / "fifo.txt", "zero": folder / "zero.txt",
            "good": folder / "good.txt", "bad_name": bad_name}


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(ReadError, match="FIFO"):
        read_file(tmp_path / "pipe.txt")


def test_a_device_behind_a_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(ReadError, match="device, not a regular file"):
        read_file(tmp_path / "zero.txt")


def test_the_size_limit_counts_bytes_read_not_stat(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 5000)
    assert read_file(path, limit=5000) == b"x" * 5000
    with pytest.raises(ReadError, match="larger than 4999 bytes"):
        read_file(path, limit=4999)


def test_a_file_name_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"caf\xe9.txt")
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(ReadError, match="file name is not valid UTF-8"):
        read_file(path)


def test_ingest_refuses_special_files_and_reads_the_rest(tmp_path: Path) -> None:
    files = _hostile_folder(tmp_path)
    # a subprocess: a FIFO that blocked would hang here, and the timeout says so
    proc = subprocess.run([NORMGRAPH, "ingest", *map(str, files.values())],
                          capture_output=True, timeout=120)
    assert proc.returncode == 1
    assert b"Traceback" not in proc.stderr
    lines = proc.stderr.decode("utf-8").splitlines()
    assert len(lines) == 3, lines
    assert any("fifo.txt: is a FIFO" in ln for ln in lines)
    assert any("zero.txt: is a device" in ln for ln in lines)
    assert any("latin-\\xe9.txt: file name is not valid UTF-8" in ln for ln in lines)
    assert b'"file": ' in proc.stdout and b"good.txt" in proc.stdout


def test_build_refuses_special_files_and_writes_the_rest(project: Path) -> None:
    sources = project / "data" / "sources"
    files = _hostile_folder(sources)
    files["good"].unlink()  # its text would claim no symbol; the corpus is enough
    proc = subprocess.run([NORMGRAPH, "build", "--root", str(project)], capture_output=True,
                          timeout=300)
    assert b"Traceback" not in proc.stderr
    errors = [ln for ln in proc.stderr.decode("utf-8").splitlines() if ln.startswith("error:")]
    assert len(errors) == 3, errors
    assert proc.returncode == 1
    assert b"wrote " in proc.stdout


def test_a_catalog_that_is_a_fifo_is_one_line(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "catalog.yaml")
    with pytest.raises(CatalogError, match="catalog.yaml: is a FIFO"):
        load_catalog(tmp_path / "catalog.yaml")


def test_reference_data_that_is_a_fifo_is_one_line(project: Path) -> None:
    norms = project / "data" / "reference" / "norms.yaml"
    norms.unlink()
    os.mkfifo(norms)
    proc = subprocess.run([NORMGRAPH, "build", "--root", str(project)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1].endswith(
        "norms.yaml: is a FIFO (named pipe), not a regular file; only regular files are read")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_query_file_that_is_not_a_regular_file_is_one_line(tmp_path: Path, kind: str) -> None:
    query = tmp_path / "q.rq"
    if kind == "fifo":
        os.mkfifo(query)
    else:
        query.symlink_to("/dev/zero")
    proc = subprocess.run([NORMGRAPH, "sparql", f"@{query}"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"normgraph: {query}: cannot read the query (")
    assert "not a regular file" in lines[0]


def test_a_query_file_is_read_and_run(tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }", encoding="utf-8")
    proc = subprocess.run([NORMGRAPH, "sparql", f"@{query}", "--format", "csv"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "n" and int(proc.stdout.splitlines()[1]) > 0
