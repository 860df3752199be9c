"""The ``normgraph`` command: exit codes, one-line errors, and real output checked against what
rdflib itself reads from the shipped dump."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from normgraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
DUMP = ROOT / "data" / "normgraph.ttl"
BASE = "https://w3id.org/normgraph/"
ELI = "http://data.europa.eu/eli/ontology#"
NG = "https://w3id.org/normgraph/ontology#"
R8016 = URIRef(BASE + "id/A/RES/80/16")

#: relation name printed by the CLI -> property in the graph (the normgraph relation set)
RELATIONS = {
    "recalls": "recalls", "reaffirms": "reaffirms", "welcomes": "welcomes",
    "endorses": "endorses", "takes note of": "takesNoteOf", "notes": "notes",
    "cites as establishing act": "citesEstablishingAct", "responds to": "requests",
    "decides to include in the agenda": "includesInAgenda", "refers to": "refersTo",
}


def run(*args: str | Path):
    """Invoke the CLI in-process; an uncaught exception (a traceback for the user) fails."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"normgraph {' '.join(map(str, args))} raised "
                             f"{result.exception!r}\n{result.output}") from result.exception
    return result


def one_line(text: str) -> str:
    lines = text.strip("\n").splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def console_script() -> list[str]:
    exe = Path(sys.executable).with_name("normgraph")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("normgraph")
    if found is None:
        pytest.skip("the normgraph console script is not installed")
    return [found]


@pytest.fixture(scope="module")
def dump_graph() -> Graph:
    return Graph().parse(DUMP, format="turtle")


# -- validate ------------------------------------------------------------------------------------


def test_validate_the_shipped_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("validate", "data/normgraph.ttl")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1].startswith("data/normgraph.ttl: conforms (")
    assert "Violation" not in result.stdout
    assert result.stderr == ""


def test_validate_through_the_installed_console_script() -> None:
    proc = subprocess.run([*console_script(), "validate", str(DUMP)], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert f"{DUMP}: conforms" in proc.stdout
    assert "Traceback" not in proc.stderr


def _edited_dump(tmp_path: Path, edit) -> Path:
    g = Graph().parse(DUMP, format="turtle")
    before = len(g)
    edit(g)
    assert len(g) != before, "the edit changed nothing"
    out = tmp_path / "edited.ttl"
    g.serialize(out, format="turtle")
    return out


def _strip_symbol(g: Graph) -> None:
    assert g.value(R8016, URIRef(ELI + "id_local")) == Literal("A/RES/80/16")
    g.remove((R8016, URIRef(ELI + "id_local"), None))


PARA_1 = URIRef(BASE + "id/A/RES/80/16/para/1")


def _orphan_paragraph(g: Graph) -> None:
    assert (PARA_1, URIRef(ELI + "is_part_of"), R8016) in g
    g.remove((PARA_1, URIRef(ELI + "is_part_of"), None))


NORM_13F = URIRef(BASE + "norm/13f")


def _endorse_a_norm(g: Graph) -> None:
    assert (NORM_13F, RDF.type, URIRef(NG + "Norm")) in g
    g.add((R8016, URIRef(NG + "endorses"), NORM_13F))


@pytest.mark.parametrize(("edit", "focus", "path"), [
    (_strip_symbol, R8016, "eli:id_local"),
    (_orphan_paragraph, PARA_1, "eli:is_part_of"),
    (_endorse_a_norm, R8016, "ng:endorses"),
], ids=["no-symbol", "no-instrument", "endorses-a-norm"])
def test_validate_an_edited_dump_names_the_offending_node(tmp_path: Path, edit, focus: URIRef,
                                                         path: str) -> None:
    target = _edited_dump(tmp_path, edit)
    result = run("validate", target)
    assert result.exit_code == 1, result.output
    violations = [line for line in result.stdout.splitlines() if line.startswith("Violation:")]
    assert len(violations) == 1, result.stdout
    assert violations[0].startswith(f"Violation: {focus} {path}: "), violations
    assert "conforms" not in result.stdout


def test_validate_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nothere.ttl"
    result = run("validate", missing)
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert str(missing) in line and "no such file" in line
    assert result.stdout == ""


@pytest.mark.parametrize("content", [b"this is { not Turtle at all\n", b"\x89PNG\r\n\x1a\n\x00\xff"],
                         ids=["text", "binary"])
def test_validate_a_file_that_is_not_turtle(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(content)
    result = run("validate", bad)
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert line.startswith(f"normgraph: {bad}: cannot be parsed as Turtle")
    assert result.stdout == ""


def test_validate_non_turtle_through_the_console_script(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("Recalling its resolution 75/240,\n", encoding="utf-8")
    proc = subprocess.run([*console_script(), "validate", str(bad)], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 1
    assert one_line(proc.stderr).startswith(f"normgraph: {bad}: cannot be parsed as Turtle")


# -- export --------------------------------------------------------------------------------------


def _read_back(path: Path, fmt: str) -> set[tuple]:
    if fmt == "trig":
        ds = Dataset()
        ds.parse(path, format="trig")
        return {(s, p, o) for s, p, o, _g in ds.quads((None, None, None, None))}
    parser = {"nt": "nt", "jsonld": "json-ld", "ttl": "turtle"}[fmt]
    return set(Graph().parse(path, format=parser))


@pytest.mark.parametrize("fmt", ["nt", "jsonld", "trig", "ttl"])
def test_export_writes_every_triple(tmp_path: Path, fmt: str, dump_graph: Graph) -> None:
    out = tmp_path / f"export.{fmt}"
    result = run("export", "--format", fmt, "-o", out, "--dump", DUMP)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {out}"
    triples = _read_back(out, fmt)
    assert len(triples) == len(dump_graph)
    assert triples == set(dump_graph)


def test_export_nt_to_stdout_is_one_triple_a_line(dump_graph: Graph) -> None:
    result = run("export", "-f", "nt", "--dump", DUMP)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(dump_graph)
    assert lines == sorted(lines)


def test_export_an_unknown_format(tmp_path: Path) -> None:
    out = tmp_path / "x.xml"
    result = run("export", "--format", "xml", "-o", out, "--dump", DUMP)
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "'xml'" in line and "ttl, nt, jsonld, trig" in line
    assert not out.exists()


def test_export_to_a_folder_is_one_line(tmp_path: Path) -> None:
    result = run("export", "-f", "nt", "-o", tmp_path, "--dump", DUMP)
    assert result.exit_code == 1
    assert one_line(result.stderr) == f"normgraph: {tmp_path}: cannot be written (Is a directory)"
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


# -- stats ---------------------------------------------------------------------------------------


def _parse_table(text: str) -> dict[str, dict[str, int]]:
    sections: dict[str, dict[str, int]] = {}
    current: dict[str, int] = {}
    for line in text.splitlines():
        if not line.startswith(" "):
            current = sections.setdefault(line.rstrip(":"), {})
            continue
        count, key = line.strip().split(None, 1)
        current[key] = int(count)
    return sections


def test_stats_counts_classes_and_relations(dump_graph: Graph) -> None:
    result = run("stats", "--dump", DUMP)
    assert result.exit_code == 0, result.output
    table = _parse_table(result.stdout)
    assert set(table) == {"classes", "relations", "total"}
    classes = Counter(str(o) for o in dump_graph.objects(None, RDF.type))
    assert table["classes"] == dict(classes)
    relations = {name: n for name, local in RELATIONS.items()
                 if (n := len(list(dump_graph.triples((None, URIRef(NG + local), None)))))}
    assert table["relations"] == relations
    assert table["total"] == {"triples": len(dump_graph)}
    # the numbers are about the corpus, not empty sections
    assert table["classes"][NG + "Instrument"] == len(set(
        dump_graph.subjects(RDF.type, URIRef(NG + "Instrument")))) > 0
    assert table["relations"]["endorses"] >= 2


def test_stats_json_matches_the_table() -> None:
    table = _parse_table(run("stats", "--dump", DUMP).stdout)
    result = run("stats", "--dump", DUMP, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == table


def test_stats_an_unknown_format() -> None:
    result = run("stats", "--dump", DUMP, "--format", "xml")
    assert result.exit_code == 2
    assert "'xml'" in one_line(result.stderr)
    assert result.stdout == ""


def test_stats_on_a_missing_dump(tmp_path: Path) -> None:
    result = run("stats", "--dump", tmp_path / "none.ttl")
    assert result.exit_code == 1
    assert "no dump here" in one_line(result.stderr)


# -- show ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["80/16", "A/RES/80/16", "a/res/80/16"])
def test_show_accepts_every_spelling_of_a_symbol(text: str) -> None:
    result = run("show", text, "--dump", DUMP)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"A/RES/80/16  <{R8016}>"
    assert "  endorses -> A/80/257" in lines
    assert "  eli:id_local: A/RES/80/16" in lines
    assert lines[-1] == "  paragraphs: header, title, pp1, pp2, pp3, 1, 2, 3, 4"
    assert result.stdout == run("show", "A/RES/80/16", "--dump", DUMP).stdout


def test_show_json_lists_the_links(dump_graph: Graph) -> None:
    result = run("show", "80/16", "--dump", DUMP, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["symbol"] == "A/RES/80/16" and data["iri"] == str(R8016)
    assert {"relation": "endorses", "symbol": "A/80/257"} in data["cites"]
    expected = sorted((name, str(dump_graph.value(o, URIRef(ELI + "id_local"))))
                      for name, local in RELATIONS.items()
                      for o in dump_graph.objects(R8016, URIRef(NG + local)))
    assert sorted((c["relation"], c["symbol"]) for c in data["cites"]) == expected


def test_show_an_unknown_symbol_names_the_nearest(dump_graph: Graph) -> None:
    result = run("show", "99/999", "--dump", DUMP)
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert line.startswith("normgraph: unknown symbol '99/999'; nearest known: ")
    nearest = line.split("nearest known: ", 1)[1].split(", ")
    known = {str(o) for o in dump_graph.objects(None, URIRef(ELI + "id_local"))}
    assert nearest and set(nearest) <= known
    assert result.stdout == ""


def test_show_a_malformed_symbol() -> None:
    result = run("show", "A/RES/80/16/16/x", "--dump", DUMP)
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "'A/RES/80/16/16/x'" in line and "not a well-formed UN symbol" in line
    assert result.stdout == ""


def test_show_an_unknown_format() -> None:
    result = run("show", "80/16", "--dump", DUMP, "--format", "xml")
    assert result.exit_code == 2
    assert "'xml'" in one_line(result.stderr)


# -- ingest --------------------------------------------------------------------------------------

SOURCE_000 = sorted((ROOT / "data" / "sources").glob("000_*.txt"))


def test_ingest_json_schema_and_content() -> None:
    assert len(SOURCE_000) == 1
    source = SOURCE_000[0]
    result = run("ingest", source, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 1
    doc = data[0]
    assert list(doc) == ["file", "symbol", "type", "title", "date", "references",
                         "unresolved"]
    assert doc["file"] == str(source)
    assert (doc["symbol"], doc["type"], doc["date"]) == ("A/RES/79/237", "resolution",
                                                         "2024-12-24")
    assert doc["title"].startswith("Open-ended working group on security of and in the use")
    assert doc["references"]
    for ref in doc["references"]:
        assert list(ref) == ["symbol", "relation", "paragraph", "date"]
        assert ref["relation"] in RELATIONS
        assert ref["date"] is None or len(ref["date"]) == 10
    # the first preambular paragraph: "Recalling its resolutions 75/240 of 31 December 2020
    # and 76/19 of 6 December 2021"
    text = source.read_text(encoding="utf-8")
    assert "Recalling its resolutions [75/240](#) of 31 December 2020 and [76/19](#) of " \
           "6 December 2021" in text
    refs = doc["references"]
    assert {"symbol": "A/RES/75/240", "relation": "recalls", "paragraph": "pp1",
            "date": "2020-12-31"} in refs
    assert {"symbol": "A/RES/76/19", "relation": "recalls", "paragraph": "pp1",
            "date": "2021-12-06"} in refs
    assert {"symbol": "A/79/214", "relation": "endorses", "paragraph": "1",
            "date": None} in refs


def test_ingest_an_empty_file_and_a_good_one(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("ingest", empty, SOURCE_000[0])
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert line.startswith(f"normgraph: {empty}: ")
    data = json.loads(result.stdout)
    assert [d["symbol"] for d in data] == ["A/RES/79/237"]


def test_ingest_ttl_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    result = run("ingest", SOURCE_000[0], "--format", "ttl", "-o", out)
    assert result.exit_code == 0, result.output
    g = Graph().parse(out, format="turtle")
    r79237 = URIRef(BASE + "id/A/RES/79/237")
    assert (r79237, URIRef(NG + "recalls"), URIRef(BASE + "id/A/RES/75/240")) in g


def test_ingest_an_unknown_format() -> None:
    result = run("ingest", SOURCE_000[0], "--format", "xml")
    assert result.exit_code == 2
    assert "'xml'" in one_line(result.stderr)
    assert result.stdout == ""


def test_ingest_output_to_a_folder_is_one_line(tmp_path: Path) -> None:
    result = run("ingest", SOURCE_000[0], "-o", tmp_path)
    assert result.exit_code == 1
    assert one_line(result.stderr) == f"normgraph: {tmp_path}: cannot be written (Is a directory)"


# -- build ---------------------------------------------------------------------------------------


def test_build_in_a_copy_of_the_project(project: Path) -> None:
    dump = project / "data" / "normgraph.ttl"
    dump.unlink()
    result = run("build", "--root", project)
    assert result.exit_code == 0, result.output
    assert dump.is_file()
    g = Graph().parse(dump, format="turtle")
    assert f"graph of {len(g)} triples" in result.stdout
    assert result.stdout.splitlines()[-1] == f"wrote {dump}"
    assert g.value(R8016, URIRef(ELI + "id_local")) == Literal("A/RES/80/16")
    assert run("validate", dump).exit_code == 0


def test_build_timings_name_each_stage_in_the_order_it_ran(project: Path) -> None:
    result = run("build", "--root", project, "--timings")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == f"wrote {project / 'data' / 'normgraph.ttl'}"
    line = lines[-2]
    found = re.fullmatch(r"time: (.*); ([\d.]+) s in all; peak memory ([\d,]+) MiB(, the "
                         r"largest process it started [\d,]+ MiB)?", line)
    assert found is not None, line
    stages = [part.split(" ") for part in found[1].split(", ")]
    # a small graph is validated in memory before it is written, then the store is made
    assert [name for name, _, _ in stages] == ["read", "extract", "graph", "validate",
                                               "write", "store"]
    seconds = [float(value) for _, value, unit in stages if unit == "s"]
    assert len(seconds) == 6 and sum(seconds) <= float(found[2]) + 0.05
    assert int(found[3].replace(",", "")) > 0
    # without the option, no such line
    assert not any(line.startswith("time: ") for line in
                   run("build", "--root", project).stdout.splitlines())


def test_build_that_does_not_conform_keeps_the_old_dump(project: Path) -> None:
    dump = project / "data" / "normgraph.ttl"
    before = dump.read_bytes()
    norms = project / "data" / "reference" / "norms.yaml"
    norms.write_text(norms.read_text(encoding="utf-8").replace('"13(k)"', '"13(z)"'),
                     encoding="utf-8")
    result = run("build", "--root", project)
    assert result.exit_code == 1
    assert dump.read_bytes() == before
    assert any(line.startswith(f"Violation: {BASE}norm/13z skos:notation: ")
               for line in result.stderr.splitlines()), result.stderr
    assert result.stderr.splitlines()[-1].startswith("normgraph: the graph does not conform")


def test_build_with_a_broken_catalog_is_one_line(project: Path) -> None:
    catalog = project / "data" / "catalog.yaml"
    catalog.write_text("documents: [: not yaml\n", encoding="utf-8")
    result = run("build", "--root", project)
    assert result.exit_code == 1
    assert one_line(result.stderr).startswith(f"normgraph: {catalog}: line 1: not valid YAML")


def test_build_with_broken_reference_data_is_one_line(project: Path) -> None:
    norms = project / "data" / "reference" / "norms.yaml"
    norms.write_text("norms: [: not yaml\n", encoding="utf-8")
    result = run("build", "--root", project)
    assert result.exit_code == 1
    assert one_line(result.stderr).startswith(f"normgraph: {norms}: line 1: not valid YAML")


def test_build_root_that_is_not_a_project(tmp_path: Path) -> None:
    root = tmp_path / "nothere"
    result = run("build", "--root", root)
    assert result.exit_code == 2
    assert "no data/sources" in one_line(result.stderr)
    assert not root.exists()  # nothing written into a folder that is not a project


def test_build_out_to_a_folder_is_one_line(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run("build", "--root", project, "-o", folder)
    assert result.exit_code == 1
    assert one_line(result.stderr) == f"normgraph: {folder}: cannot be written (Is a directory)"


def test_default_dump_follows_normgraph_root(monkeypatch: pytest.MonkeyPatch,
                                             project: Path) -> None:
    """Without --dump, the query commands read $NORMGRAPH_ROOT/data/normgraph.ttl."""
    monkeypatch.setenv("NORMGRAPH_ROOT", str(project))
    assert run("show", "80/16").exit_code == 0
    (project / "data" / "normgraph.ttl").unlink()
    result = run("show", "80/16")
    assert result.exit_code == 1
    assert "no dump here" in one_line(result.stderr)



def test_the_lineage_command_loads_neither_rdflib_nor_networkx() -> None:
    """`normgraph lineage` answers from the link index; the libraries that parse and walk
    whole graphs stay unloaded, so the command starts quickly (a walk downwards may load the
    vocabulary for its inverse labels)."""
    script = ("import sys\nfrom normgraph.cli import main\n"
              "sys.argv = ['normgraph', 'lineage', '80/16']\n"
              "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
              "print(sorted(m for m in ('rdflib', 'networkx', 'pyshacl') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "A/RES/80/16" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "[]"
