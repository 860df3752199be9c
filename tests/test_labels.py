"""The relation labels read true both ways: no output says that one document "establishes"
another, and a walk downwards speaks English ("recalled by", never "recalls by")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS
from typer.testing import CliRunner

from normgraph.api import NG, RELATION_BY_PROPERTY
from normgraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
DUMP = ROOT / "data" / "normgraph.ttl"
runner = CliRunner()

#: a document said to establish a document: "A/RES/80/16 establishes A/RES/75/240", or the
#: word as a relation (a table cell, a count); the sources' own prose ("to establish a new
#: group", "established by") goes on with a lower-case word and is not a claim of ours
FALSE_CLAIM = re.compile(r"\bestablishes\b(?!\s+[a-z])", re.I)
#: an inverse made by pasting "by" after an active verb: "recalls by", "refers to by"
BAD_INVERSE = re.compile(r"\b(?:\w+s|refers to|takes note of|decides to [\w ]+?) by\b")


def cli(*args: str) -> str:
    result = runner.invoke(app, [*args, "--dump", str(DUMP)])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_relation_has_an_english_inverse_in_the_ontology_and_the_code() -> None:
    from normgraph.graph.builder import ontology_graph
    from normgraph.graph.vocab import RELATION_INVERSE, RELATIONS

    onto = ontology_graph()
    for name, prop in RELATIONS.items():
        assert onto.value(prop, RDFS.label) == Literal(name, lang="en")
        inverse = RELATION_INVERSE[name]
        assert onto.value(prop, NG.inverseLabel) == Literal(inverse, lang="en")
        assert inverse.endswith(" by") and not BAD_INVERSE.search(inverse), inverse
        assert not FALSE_CLAIM.search(name)


def test_the_dump_labels_no_relation_establishes() -> None:
    g = Graph().parse(DUMP, format="turtle")
    labels = [str(o) for p in RELATION_BY_PROPERTY for o in g.objects(p, RDFS.label)]
    assert "cites as establishing act" in labels
    assert not [label for label in labels if FALSE_CLAIM.search(label)]


@pytest.mark.parametrize("args", [
    ("lineage", "80/16", "--all"),
    ("lineage", "75/240", "--down", "--all"),
    ("lineage", "73/27", "--down", "--all", "-f", "table"),
    ("lineage", "80/16", "-f", "md", "--all"),
    ("lineage", "80/16", "-f", "dot"),
    ("path", "80/16", "73/27"),
    ("show", "80/16"),
    ("show", "75/240"),
    ("stats",),
])
def test_cli_outputs_never_say_a_document_establishes_another(args: tuple[str, ...]) -> None:
    out = cli(*args)
    assert not FALSE_CLAIM.search(out), out
    assert not BAD_INVERSE.search(out.replace("passed by", "")), out


def test_down_tree_uses_the_inverse_labels() -> None:
    out = cli("lineage", "75/240", "--down", "--all")
    assert "cited as establishing act by A/RES/80/16" in out
    assert "recalled by A/RES/80/16" in out


def test_site_pages_and_readme_never_say_establishes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["site", "-o", str(tmp_path / "site"), "--dump", str(DUMP)])
    assert result.exit_code == 0, result.output
    pages = list((tmp_path / "site").rglob("*.html"))
    assert pages
    for page in pages:
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        assert not FALSE_CLAIM.search(text), page
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert not FALSE_CLAIM.search(readme)
