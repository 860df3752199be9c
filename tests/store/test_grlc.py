"""The canned queries follow grlc's conventions, so grlc could serve ``queries/`` as a web API:
``#+`` YAML decorators (summary, endpoint, tags...) and parameters as grlc-named variables. A
query rewritten as grlc rewrites it (the variable replaced by the value's term) answers what
normgraph's own binding answers; malformed headers are errors naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from normgraph import api
from normgraph.store.catalogue import GRLC_KIND, bind, parse_query

ROOT = Path(__file__).resolve().parents[2]
DUMP = ROOT / "data" / "normgraph.ttl"
QUERIES = sorted((ROOT / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return api.LocalStore(DUMP, cache=tmp_path_factory.mktemp("cache"))


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_decorators_read_as_grlc_reads_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # grlc: the "#+" lines, with "#+" stripped, are one YAML document
    meta = yaml.safe_load("\n".join(row.lstrip("#+") for row in text.split("\n")
                                    if row.startswith("#+")))
    assert isinstance(meta["summary"], str) and meta["summary"]
    assert meta["endpoint"].startswith("https://")
    query = api.get_query(path.stem)
    assert query.summary == " ".join(meta["summary"].split())
    for param in query.params:
        # grlc reads ?_name_kind as required, ?__name_kind as optional
        prefix = "_" if param.required else "__"
        assert param.variable == f"{prefix}{param.name}_{GRLC_KIND[param.type]}"
        assert f"?{param.variable}" in text


def _grlc_rewrite(query: api.Query, values: dict[str, str]) -> str:
    """What grlc sends to the endpoint: each parameter variable replaced by the term."""
    text = query.text
    for variable, term in bind(query, values).items():
        text = text.replace(f"?{variable}", term.sparql())
    return text


PARAMETRISED = [(q.name, {p.name: p.example for p in q.params if p.example})
                for q in api.load_queries().values() if q.params]


@pytest.mark.parametrize(("name", "values"), PARAMETRISED, ids=[n for n, _ in PARAMETRISED])
def test_a_grlc_rewrite_answers_as_normgraph_binds(store, name: str, values: dict) -> None:
    query = api.get_query(name)
    ours = api.run_query(store, name, values)
    theirs = store.select(_grlc_rewrite(query, values))
    assert ours.rows, f"the example of {name} finds rows"
    assert theirs.columns == ours.columns
    assert sorted(map(repr, theirs.rows)) == sorted(map(repr, ours.rows))


HEADER = "#+ summary: A test.\n#+ params:\n#+   root:\n#+     type: symbol\n"
BODY = "SELECT ?x WHERE { ?_root_iri ?p ?x }\n"


@pytest.mark.parametrize(("text", "fault"), [
    ("#+ summary: A test.\n#+ titel: typo\n" + BODY, "line 2: unknown decorator 'titel'"),
    ("#+ description: no summary\n" + BODY, "no '#+ summary:' line"),
    (HEADER + "SELECT ?x WHERE { ?root ?p ?x }\n", "line 3: parameter root: no variable"),
    (HEADER + "SELECT ?x WHERE { ?_root_string ?p ?x }\n", "should be ?_root_iri"),
    ("#+ summary: A test.\n" + BODY, "variable ?_root_iri is a grlc parameter without"),
    ("#+ summary: A test.\n#+ tags: &a [x]\n#+ more: *a\n" + BODY, "anchors and aliases"),
    (HEADER.replace("symbol", "colour") + BODY, "type is one of"),
])
def test_malformed_headers_name_file_and_line(text: str, fault: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_query(text, "q", Path("queries/q.rq"))
    message = str(err.value)
    assert message.startswith("queries/q.rq: ") and fault in message, message
    assert "\n" not in message
