"""`normgraph serve` as a consumer meets it: content negotiation on resource IRIs, a
read-only SPARQL endpoint with a row limit and a timeout. The server runs as a subprocess on
a free loopback port."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import _free_port
from normgraph.graph.vocab import NG, instrument_iri

ROOT = Path(__file__).resolve().parents[2]
DUMP = ROOT / "data" / "normgraph.ttl"
NORMGRAPH = str(Path(sys.executable).with_name("normgraph"))


def start_server(*extra: str) -> tuple[str, subprocess.Popen]:
    port = _free_port()
    proc = subprocess.Popen([NORMGRAPH, "serve", "--port", str(port), "--dump", str(DUMP),
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=1).read()
            return url, proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(proc.stderr.read().decode() if proc.stderr else "no server")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    url, proc = start_server("--row-limit", "50")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def get(url: str, accept: str | None = None, data: bytes | None = None,
        content_type: str | None = None) -> tuple[int, str, bytes, dict[str, str]]:
    headers = {}
    if accept:
        headers["Accept"] = accept
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read(), dict(e.headers)


def test_turtle_for_an_instrument_iri(server: str) -> None:
    status, media, body, _ = get(server + "/id/A/RES/80/16", "text/turtle")
    assert status == 200 and media.startswith("text/turtle")
    g = Graph().parse(data=body.decode(), format="turtle")
    assert (instrument_iri("A/RES/80/16"), NG.endorses, instrument_iri("A/80/257")) in g


def test_html_json_ld_and_n_triples(server: str) -> None:
    status, media, body, headers = get(server + "/id/A/RES/80/16",
                                       "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
    assert status == 200 and media.startswith("text/html") and headers.get("Vary") == "Accept"
    assert b"<h1>A/RES/80/16</h1>" in body
    status, media, body, _ = get(server + "/id/A/RES/80/16", "application/ld+json")
    assert status == 200 and media == "application/ld+json"
    assert len(Graph().parse(data=body.decode(), format="json-ld")) > 50
    status, media, body, _ = get(server + "/id/A/RES/80/16", "application/n-triples")
    assert status == 200 and len(Graph().parse(data=body.decode(), format="nt")) > 50
    status, media, _, _ = get(server + "/id/A/RES/80/16.ttl")
    assert status == 200 and media.startswith("text/turtle")


def test_unknown_resource_and_unacceptable_type(server: str) -> None:
    assert get(server + "/id/A/RES/99/999", "text/html")[0] == 404
    assert get(server + "/id/A/RES/80/16", "image/png")[0] == 406


def test_sparql_get_and_post_equal_rdflib(server: str) -> None:
    query = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?s WHERE "
             "{ ?s eli:date_document ?d } ORDER BY ?s")
    expected = [str(r[0]) for r in Graph().parse(DUMP, format="turtle").query(query)]
    status, media, body, _ = get(server + "/sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 200 and media == "application/sparql-results+json"
    assert [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]] == expected
    status, _, body, _ = get(server + "/sparql", data=query.encode(),
                             content_type="application/sparql-query")
    assert [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]] == expected
    status, media, body, _ = get(server + "/sparql", accept="text/csv",
                                 data=urllib.parse.urlencode({"query": query}).encode(),
                                 content_type="application/x-www-form-urlencoded")
    assert media.startswith("text/csv") and body.decode().splitlines()[1:] == expected


def test_updates_are_refused(server: str) -> None:
    for data, media in ((b"update=DROP%20ALL", "application/x-www-form-urlencoded"),
                        (b"DROP ALL", "application/sparql-update"),
                        (b"DELETE WHERE { ?s ?p ?o }", "application/sparql-query")):
        assert get(server + "/sparql", data=data, content_type=media)[0] == 403
    assert get(server + "/update", data=b"DROP ALL",
               content_type="application/sparql-update")[0] == 403
    n = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    body = get(server + "/sparql?" + urllib.parse.urlencode({"query": n}))[2]
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == len(
        Graph().parse(DUMP, format="turtle"))


def test_row_limit_and_malformed_query(server: str) -> None:
    status, _, body, headers = get(server + "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert status == 200 and headers.get("X-Result-Truncated") == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 50
    assert get(server + "/sparql?query=SELECT%20WHERE%20%7B")[0] == 400


def test_a_query_over_its_time_is_stopped() -> None:
    url, proc = start_server("--query-timeout", "1")
    try:
        heavy = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        started = time.monotonic()
        status, _, body, _ = get(url + "/sparql?" + urllib.parse.urlencode({"query": heavy}))
        assert status == 503 and b"longer than 1 s" in body
        assert time.monotonic() - started < 15
        # the server still answers afterwards
        ok = get(url + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
        assert ok[0] == 200 and json.loads(ok[2])["boolean"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=10)
