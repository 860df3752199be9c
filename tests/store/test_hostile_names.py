"""IRIs every consumer reads (issue 19, item 2): source files named with spaces, ``#``,
``%zz``, quotes, ``<>``, a backslash, a newline, a tab, control characters, ``^{}|`` and a
backtick, and a catalog ``url:`` with a space, give a dump that pyoxigraph, Raptor's rapper
and Jena's riot all read; an IRI that cannot be made valid refuses the dump in one line."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from normgraph.cli import app
from normgraph.graph.vocab import IRIError, check_iri, encode_iri, iri_segment, is_iri, mint

ROOT = Path(__file__).resolve().parents[2]
NORMGRAPH = str(Path(sys.executable).with_name("normgraph"))
runner = CliRunner()

HOSTILE_NAMES = ["a b.txt", "#x.txt", "%zz.txt", 'q".txt', "<a>.txt", "back\\slash.txt",
                 "new\nline.txt", "tab\t.txt", "ctl\x01\x7f.txt", "^{}|.txt", "`tick`.txt",
                 "é ü.txt"]
RESOLUTION = ("---\nsymbol: A/RES/99/{n}\n---\nThe General Assembly,\n\n"
              "Recalling its resolution 75/240 of 31 December 2020,\n\n"
              "1. Welcomes the report A/79/214;\n")


@pytest.fixture(scope="module")
def hostile_dump(tmp_path_factory) -> Path:
    """A project whose sources bear every hostile name, and a catalog URL with a space,
    built with `normgraph build`."""
    root = tmp_path_factory.mktemp("hostile")
    sources = root / "data" / "sources"
    sources.mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    for n, name in enumerate(HOSTILE_NAMES, start=1):
        (sources / name).write_text(RESOLUTION.format(n=n), encoding="utf-8")
    (sources / "page.txt").write_text("A page about capacity-building.\n", encoding="utf-8")
    (root / "data" / "catalog.yaml").write_text(
        "documents:\n  - file: page.txt\n    kind: web page\n"
        "    url: https://example.org/a page/ü?q=1 2#frag ment\n", encoding="utf-8")
    proc = subprocess.run([NORMGRAPH, "build", "--root", str(root)], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return root / "data" / "normgraph.ttl"


def _source_iris(text: str) -> set[str]:
    return {line.split("<", 1)[1].split(">", 1)[0] for line in text.splitlines()
            if "/source/" in line and "<" in line}


def test_file_names_become_one_encoded_segment() -> None:
    assert iri_segment("a b#1%zz.txt") == "a%20b%231%25zz.txt"
    assert iri_segment("new\nline\t.txt") == "new%0Aline%09.txt"
    assert iri_segment('^{}|`"<>\\') == "%5E%7B%7D%7C%60%22%3C%3E%5C"
    assert iri_segment("é ü") == "é%20ü"  # letters beyond ASCII stay as they are (ucschar)
    for name in HOSTILE_NAMES:
        assert is_iri("https://w3id.org/normgraph/source/" + iri_segment(name)), name


def test_mint_encodes_what_no_iri_may_hold() -> None:
    assert encode_iri("https://example.org/a b/%zz/%20") == "https://example.org/a%20b/%25zz/%20"
    assert str(mint("https://example.org/a\nb")) == "https://example.org/a%0Ab"
    assert is_iri(str(mint("https://example.org/{x}|^`")))


@pytest.mark.parametrize("value", ["no scheme", "http://a/b c", "http://a/%zz", "http://a/<",
                                   "1http://a", "http://a/b\n", ""])
def test_invalid_iris_are_refused(value: str) -> None:
    assert not is_iri(value)
    with pytest.raises(IRIError, match="not a valid IRI"):
        check_iri(value)


@pytest.mark.parametrize("value", ["http://a/b c", "http://a/%zz", "no scheme"])
def test_no_writer_takes_an_invalid_subject(value: str) -> None:
    # the in-memory writer checks each subject as it writes it; a streamed build's entries
    # have their subjects checked when they are made, and the merge writes them unchecked
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS

    from normgraph.graph.dump import subject_entries, turtle_chunks

    triples = [(URIRef(value), RDFS.label, Literal("x"))]
    graph = Graph()
    graph.add(triples[0])
    with pytest.raises(IRIError, match="not a valid IRI"):
        list(turtle_chunks(graph))
    with pytest.raises(IRIError, match="not a valid IRI"):
        subject_entries(triples)


@pytest.mark.parametrize("value", ["https://w3id.org/normgraph/id/A/RES/80/16", "urn:isbn:1",
                                   "http://[::1]:8080/p?q#f", "https://例え.jp/パス",
                                   "mailto:a@b.org", "https://a.org/x%20y?q=%C3%A9"])
def test_valid_iris_pass(value: str) -> None:
    assert check_iri(value) == value


def test_pyoxigraph_reads_the_dump(hostile_dump: Path) -> None:
    quads = list(ox.parse(path=str(hostile_dump), format=ox.RdfFormat.TURTLE))
    names = {q.object.value for q in quads if q.predicate.value.endswith("/terms/title")}
    assert set(HOSTILE_NAMES) <= names  # each file's name, as received, is its title
    sources = {q.subject.value for q in quads if "/source/" in q.subject.value}
    assert len(sources) >= len(HOSTILE_NAMES)
    assert all(is_iri(s) for s in sources)
    urls = {q.object.value for q in quads if q.object.value.startswith("https://example.org")}
    assert urls == {"https://example.org/a%20page/ü?q=1%202#frag%20ment"}


def test_rapper_reads_the_dump(hostile_dump: Path) -> None:
    if shutil.which("rapper") is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    proc = subprocess.run(["rapper", "-i", "turtle", "-c", str(hostile_dump)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Error" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr
    count = sum(1 for _ in ox.parse(path=str(hostile_dump), format=ox.RdfFormat.TURTLE))
    assert f"returned {count} triples" in proc.stderr


def _riot(tmp: Path) -> list[str] | None:
    """The command that runs Jena's riot from Debian's libapache-jena-java, or None.

    Debian's jena-core moves the bundled Xerces classes to ``xerces.*`` but leaves their
    message bundles under ``org/apache/jena/ext/xerces``; without them Jena fails to start
    ("internal error" in XSSimpleTypeDecl). The bundles are copied to where the classes look."""
    jars = "/usr/share/java"
    core = Path(jars, "jena-core.jar")
    if shutil.which("java") is None or not core.exists():
        return None
    fix = tmp / "jena-messages"
    with zipfile.ZipFile(core) as z:
        for member in z.namelist():
            if member.startswith("org/apache/jena/ext/xerces/") and member.endswith(
                    ".properties"):
                target = fix / member.replace("org/apache/jena/ext/", "", 1)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(member))
    wanted = ["commons-lang3", "commons-io", "commons-codec", "commons-compress", "commons-csv",
              "slf4j-api", "slf4j-simple", "dexx.collection", "gson", "jsonld-java",
              "jackson-core", "jackson-databind", "jackson-annotations", "httpclient",
              "httpcore", "commons-cli", "guava", "thrift", "protobuf"]
    path = [str(fix), *sorted(p for p in glob.glob(f"{jars}/jena-*.jar") if "-4." not in p)]
    path += [f"{jars}/{name}.jar" for name in wanted if os.path.exists(f"{jars}/{name}.jar")]
    return ["java", "-cp", os.pathsep.join(path), "riotcmd.riot"]


def test_riot_reads_the_dump(hostile_dump: Path, tmp_path: Path) -> None:
    riot = _riot(tmp_path)
    if riot is None:
        pytest.skip("Jena's riot (Debian libapache-jena-java) is not installed")
    bad = tmp_path / "bad.nt"
    bad.write_text('<http://a/b c> <http://a/p> "x" .\n', encoding="utf-8")
    # riot itself refuses an IRI with a space: the check below can fail
    assert subprocess.run([*riot, "--validate", str(bad)], capture_output=True,
                          timeout=120).returncode != 0
    proc = subprocess.run([*riot, "--validate", str(hostile_dump)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "WARN" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr[-2000:]


def test_an_iri_that_cannot_be_made_valid_refuses_the_dump(project: Path) -> None:
    dump = project / "data" / "normgraph.ttl"
    before = dump.read_bytes()
    source = project / "data" / "sources" / "page.txt"
    source.write_text("A page about capacity-building.\n", encoding="utf-8")
    with open(project / "data" / "catalog.yaml", "a", encoding="utf-8") as fh:
        fh.write("  - file: page.txt\n    kind: web page\n    url: not an address\n")
    result = runner.invoke(app, ["build", "--root", str(project)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines[-1].endswith("'not%20an%20address' is not a valid IRI (RFC 3987)"), lines
    assert "not written" in lines[-1]
    assert dump.read_bytes() == before
    assert not [p for p in dump.parent.iterdir() if p.name.endswith(".tmp")]
