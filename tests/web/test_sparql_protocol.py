"""`normgraph serve`'s /sparql as SPARQL clients meet it: every result format by Accept, GET and
both POST forms, CONSTRUCT and DESCRIBE, updates refused by their form (not by a keyword met
anywhere), real clients (SPARQLWrapper, rdflib's SPARQLStore, Apache Jena's rsparql), and the
endpoint staying up and at home under hostile requests."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from test_server import DUMP, get, start_server

NG_ID = "https://w3id.org/normgraph/id/"
SELECT = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?s ?d WHERE "
          "{ ?s eli:date_document ?d } ORDER BY ?s")
CONSTRUCT = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> CONSTRUCT { ?s eli:date_document "
             "?d } WHERE { ?s eli:date_document ?d }")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    url, proc = start_server()
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def local() -> Graph:
    return Graph().parse(DUMP, format="turtle")


def ask(url: str, query: str, accept: str | None = None) -> tuple[int, str, bytes, dict]:
    return get(url + "/sparql?" + urllib.parse.urlencode({"query": query}), accept)


def _rows(local: Graph) -> list[tuple[str, str]]:
    return [(str(s), str(d)) for s, d in local.query(SELECT)]


@pytest.mark.parametrize(("accept", "media", "fmt"), [
    ("application/sparql-results+json", "application/sparql-results+json", "JSON"),
    ("application/sparql-results+xml", "application/sparql-results+xml", "XML"),
    ("text/tab-separated-values", "text/tab-separated-values", "TSV"),
    ("application/json;q=0.5, text/csv", "text/csv", "CSV"),
])
def test_select_in_each_result_format(server: str, local: Graph, accept: str, media: str,
                                      fmt: str) -> None:
    status, got, body, _ = ask(server, SELECT, accept)
    assert status == 200 and got.startswith(media)
    if fmt == "CSV":
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0] == ["s", "d"] and [tuple(r) for r in rows[1:]] == _rows(local)
        return
    parsed = ox.parse_query_results(body, format=getattr(ox.QueryResultsFormat, fmt))
    assert [v.value for v in parsed.variables] == ["s", "d"]
    assert [(r["s"].value, r["d"].value) for r in parsed] == _rows(local)


@pytest.mark.parametrize("fmt", ["JSON", "XML", "CSV", "TSV"])
def test_ask_in_each_result_format(server: str, fmt: str) -> None:
    fmt_ = getattr(ox.QueryResultsFormat, fmt)
    for query, expected in (("ASK { ?s ?p ?o }", True), ("ASK { <urn:x:none> ?p ?o }", False)):
        status, media, body, _ = ask(server, query, fmt_.media_type.split(";")[0])
        assert status == 200 and media == fmt_.media_type
        if fmt == "CSV":  # no parser for CSV results: the boolean is the body
            assert body.decode().strip() == str(expected).lower()
        else:
            assert bool(ox.parse_query_results(body, format=fmt_)) is expected


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"), ("", "turtle")])
def test_construct_in_each_graph_format(server: str, local: Graph, accept: str,
                                        rdflib_format: str) -> None:
    status, media, body, _ = ask(server, CONSTRUCT, accept or None)
    assert status == 200 and media.startswith(accept or "text/turtle")
    got = Graph().parse(data=body.decode(), format=rdflib_format)
    expected = local.query(CONSTRUCT).graph
    assert len(got) == len(expected) > 0 and isomorphic(got, expected)


def test_describe_returns_the_resource(server: str) -> None:
    iri = NG_ID + "A/RES/80/16"
    status, media, body, _ = ask(server, f"DESCRIBE <{iri}>", "text/turtle")
    assert status == 200 and media.startswith("text/turtle")
    g = Graph().parse(data=body.decode(), format="turtle")
    assert {str(s) for s in g.subjects()} >= {iri} and len(g) > 5


def test_get_and_both_post_forms_agree(server: str) -> None:
    accept = "text/tab-separated-values"
    via_get = ask(server, SELECT, accept)[2]
    form = get(server + "/sparql", accept, urllib.parse.urlencode({"query": SELECT}).encode(),
               "application/x-www-form-urlencoded")[2]
    direct = get(server + "/sparql", accept, SELECT.encode(), "application/sparql-query")[2]
    assert via_get == form == direct and via_get.count(b"\n") > 5


def test_look_alike_queries_are_answered_and_updates_refused(server: str) -> None:
    for query in ("SELECT ?add WHERE { ?add a ?type } LIMIT 3",
                  "PREFIX insert: <http://data.europa.eu/eli/ontology#> "
                  "SELECT ?s WHERE { ?s insert:date_document ?d } LIMIT 3",
                  "SELECT ?s WHERE { ?s ?p \"DROP ALL\" }  # DELETE WHERE { ?s ?p ?o }",
                  "SELECT ?s WHERE { ?s <urn:x:INSERT> ?o }"):
        status, _, body, _ = ask(server, query)
        assert status == 200, (query, body)
        assert "results" in json.loads(body)
    for update in ("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
                   "PREFIX select: <urn:x:> DELETE WHERE { ?s select:p ?o }",
                   "# select\nDROP ALL", "WITH <urn:x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                   "LOAD <http://127.0.0.1:9/x>"):
        assert ask(server, update)[0] == 403
        assert get(server + "/sparql", data=update.encode(),
                   content_type="application/sparql-query")[0] == 403
    # nothing was changed
    assert ask(server, "ASK { <urn:x:a> ?p ?o }", "text/csv")[2].strip() == b"false"


def test_unacceptable_and_malformed(server: str) -> None:
    assert ask(server, SELECT, "image/png")[0] == 406
    assert ask(server, CONSTRUCT, "application/sparql-results+xml")[0] == 406
    status, _, body, _ = ask(server, "SELECT ?s WHERE { ?s ?p }")
    assert status == 400 and body.startswith(b"malformed query")


def test_sparqlwrapper_reads_the_endpoint(server: str, local: Graph) -> None:
    from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [(r["s"]["value"], r["d"]["value"]) for r in rows] == _rows(local)
    client.setReturnFormat(XML)
    assert len(client.query().convert().getElementsByTagName("result")) == len(rows)
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().count("\n") == len(rows) + 1
    client.setMethod("POST")
    client.setQuery("ASK { ?s ?p ?o }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    got = Graph().parse(data=client.query().convert().decode(), format="turtle")
    assert isomorphic(got, local.query(CONSTRUCT).graph)


def test_rdflib_sparqlstore_reads_the_endpoint(server: str, local: Graph) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    as_json = Graph(store=SPARQLStore(server + "/sparql", returnFormat="json"))
    assert [(str(s), str(d)) for s, d in as_json.query(SELECT)] == _rows(local)
    assert as_json.query("ASK { ?s ?p ?o }").askAnswer is True
    # rdflib's default: SPARQL XML results, and RDF/XML for graphs
    remote = Graph(store=SPARQLStore(server + "/sparql", method="POST_FORM"))
    assert [(str(s), str(d)) for s, d in remote.query(SELECT)] == _rows(local)
    assert isomorphic(remote.query(CONSTRUCT).graph, local.query(CONSTRUCT).graph)
    assert len(remote) == len(local)  # SPARQLStore counts with a SELECT (COUNT(*))


def _jena() -> tuple[str | None, str]:
    """The class path of Debian's Jena (libapache-jena-java) when its rsparql starts here,
    else None and why not. The whole /usr/share/java cannot serve: it holds two SLF4J
    bindings that refuse each other."""
    jars = Path("/usr/share/java")
    if not shutil.which("java") or not (jars / "jena-arq.jar").is_file():
        return None, "Apache Jena (Debian's libapache-jena-java) or java is not installed"
    names = ["slf4j-api", "slf4j-nop", "dexx.collection", "httpclient", "httpcore",
             "jsonld-java", "thrift", "protobuf", "titanium-json-ld", "jakarta.json-api",
             "gson", "guava"]
    paths = sorted(jars.glob("jena-*.jar")) + sorted(jars.glob("commons-*.jar")) \
        + sorted(jars.glob("jackson-*.jar")) + [jars / f"{n}.jar" for n in names]
    classpath = ":".join(str(p) for p in paths if p.is_file() and not p.stem[-1].isdigit())
    probe = subprocess.run(["java", "-cp", classpath, "arq.rsparql", "--version"],
                           capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        last = [line for line in probe.stderr.splitlines() if "Caused by" in line][-1:]
        return None, f"Jena's rsparql does not start here ({(last or ['?'])[0].strip()})"
    return classpath, ""


def test_jena_rsparql_reads_the_endpoint(server: str, local: Graph) -> None:
    classpath, why_not = _jena()
    if classpath is None:
        pytest.skip(why_not)

    def rsparql(query: str, results: str) -> str:
        done = subprocess.run(["java", "-cp", classpath, "arq.rsparql",
                               "--service", server + "/sparql", "--query", "-",
                               "--results", results],
                              input=query, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    rows = list(csv.reader(io.StringIO(rsparql(SELECT, "CSV"))))
    assert [tuple(r) for r in rows[1:]] == _rows(local)
    got = Graph().parse(data=rsparql(CONSTRUCT, "TTL"), format="turtle")
    assert isomorphic(got, local.query(CONSTRUCT).graph)


# -- staying up and at home ------------------------------------------------------------------

def _workers(server_pid: int) -> list[int]:
    """The server's query processes (its spawned children, not the resource tracker)."""
    out = []
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        for pid in (task / "children").read_text().split():
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"multiprocessing.spawn" in cmd and b"resource_tracker" not in cmd:
                out.append(int(pid))
    return sorted(out)


def _wait_ended(pid: int) -> None:
    """Until the kernel has ended every thread of process ``pid`` (its files closed). Its main
    thread shows as a zombie ("Z") while the others may still be exiting, holding its pipe."""
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1]
            threads = os.listdir(f"/proc/{pid}/task")
        except FileNotFoundError:  # reaped already
            return
        if state == "Z" and len(threads) <= 1:
            return
        time.sleep(0.05)


def test_hostile_requests_leave_the_endpoint_answering() -> None:
    url, proc = start_server("--workers", "1")
    try:
        simple = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        nested = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
        status, _, body, _ = get(url + "/sparql", data=nested.encode(),
                                 content_type="application/sparql-query")
        assert status == 400 and b"nested deeper" in body
        # SERVICE would make the server fetch a URL of the client's choosing
        hits: list[str] = []
        with socket.socket() as trap:
            trap.bind(("127.0.0.1", 0))
            trap.listen()
            trap.settimeout(0.5)
            port = trap.getsockname()[1]
            status, _, body, _ = ask(url, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x>"
                                          " { ?s ?p ?o } }")
            try:
                trap.accept()
                hits.append("fetched")
            except TimeoutError:
                pass
        assert status == 403 and b"SERVICE is refused" in body and not hits
        # a worker killed from outside (as the kernel's OOM killer would) is replaced
        before = _workers(proc.pid)
        assert len(before) == 1
        os.kill(before[0], signal.SIGKILL)
        _wait_ended(before[0])  # a worker that died a while ago
        status, _, body, _ = ask(url, simple)
        assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 0, body
        after = _workers(proc.pid)
        assert len(after) == 1 and after != before
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert b"Traceback" not in err


def test_bad_content_length_is_a_400() -> None:
    url, proc = start_server("--workers", "1")
    try:
        host, port = urllib.parse.urlsplit(url).netloc.split(":")
        for length in ("abc", "-5", "1e3"):
            with socket.create_connection((host, int(port)), timeout=10) as s:
                s.sendall(f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                          f"application/sparql-query\r\nContent-Length: {length}\r\n\r\n"
                          "ASK {}".encode())
                reply = s.recv(4096).decode()
            assert reply.startswith("HTTP/1.0 400") and "Content-Length" in reply
        assert ask(url, "ASK { ?s ?p ?o }")[0] == 200
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert b"Traceback" not in err


def test_a_cheap_query_is_not_stuck_behind_an_expensive_one() -> None:
    url, proc = start_server("--workers", "2", "--query-timeout", "20")
    try:
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        outcome: list[int] = []

        def expensive() -> None:
            try:
                outcome.append(ask(url, heavy)[0])
            except OSError:  # the server was stopped first
                outcome.append(0)

        slow = threading.Thread(target=expensive)
        slow.start()
        status = ask(url, "ASK { ?s ?p ?o }")[0]
        # the cheap one is answered while the expensive one still runs in the other worker
        assert status == 200 and slow.is_alive()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    slow.join(timeout=30)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state  # a zombie has ended


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_the_workers_end_with_their_server_even_mid_query(how: int) -> None:
    url, proc = start_server("--workers", "2", "--query-timeout", "600")
    workers = _workers(proc.pid)
    try:
        assert len(workers) == 2 and all(_running(w) for w in workers)
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        threading.Thread(target=lambda: _quietly(ask, url, heavy), daemon=True).start()
        time.sleep(1.0)  # the runaway query is under way in a worker
        os.kill(proc.pid, how)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_running(w) for w in workers):
            time.sleep(0.1)
        assert not [w for w in workers if _running(w)]
    finally:  # nothing left running whatever failed
        for pid in (proc.pid, *workers):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=30)


def _quietly(fn, *args) -> None:  # type: ignore[no-untyped-def]
    try:
        fn(*args)
    except OSError:
        pass
