"""Faults of a remote store: down, slow, HTTP 500, malformed answers, a connection closed
mid-push. Each is a one-line error; hostile values never reach a server as SPARQL."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import start_oxigraph
from normgraph.cli import app
from normgraph.store.terms import StoreError, Term
from normgraph.store.triplestore import RemoteStore, push

ROOT = Path(__file__).resolve().parents[2]
DUMP = ROOT / "data" / "normgraph.ttl"
runner = CliRunner()


class _Misbehaving(http.server.BaseHTTPRequestHandler):
    mode = "500"

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def _answer(self) -> None:
        if self.mode == "slow":
            time.sleep(5)
        if self.mode == "500":
            self.send_error(500, "boom")
            return
        if self.mode == "close":
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(min(length, 100))
            self.connection.shutdown(socket.SHUT_RDWR)
            self.connection.close()
            return
        body = b"{not json" if self.mode == "garbage" else b'{"head": {}, "results": 3}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer


@pytest.fixture()
def misbehaving() -> Iterator[tuple[str, type[_Misbehaving]]]:
    handler = type("Handler", (_Misbehaving,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # a slow answer finishing after its client gave up is expected here: no traceback on the
    # stderr that a later CliRunner test captures
    server.handle_error = lambda *args: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def _one_line(result) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize(("mode", "expected"), [("500", "HTTP 500"), ("garbage", "malformed"),
                                                ("wrongshape", "malformed"),
                                                ("slow", "timed out")])
def test_faulty_endpoint_is_a_one_line_error(misbehaving, mode: str, expected: str) -> None:
    url, handler = misbehaving
    handler.mode = mode
    result = runner.invoke(app, ["lineage", "80/16", "--endpoint", url + "/query",
                                 "--timeout", "1"])
    assert result.exit_code == 1
    assert expected in _one_line(result)


def test_push_closed_mid_way_is_a_one_line_error(misbehaving) -> None:
    url, handler = misbehaving
    handler.mode = "close"
    result = runner.invoke(app, ["push", "--endpoint", url + "/store", "--dump", str(DUMP),
                                 "--timeout", "5"])
    assert result.exit_code == 1
    assert "push failed" in _one_line(result)


def test_a_store_that_goes_down(tmp_path: Path) -> None:
    url, proc = start_oxigraph(tmp_path / "store")
    push(DUMP, url + "/store")
    assert RemoteStore(url + "/query").select("ASK { ?s ?p ?o }").rows == [{"ask": "true"}]
    proc.terminate()
    proc.wait(timeout=10)
    result = runner.invoke(app, ["norms", "--endpoint", url + "/query", "--timeout", "2"])
    assert result.exit_code == 1
    assert "cannot connect" in _one_line(result) or "connection" in result.stderr
    with pytest.raises(StoreError):
        push(DUMP, url + "/store", timeout=2)


@pytest.mark.oxigraph
@pytest.mark.parametrize("value", ['80/16"} DROP ALL {', "80/16>\nDROP ALL", "}" * 50,
                                   "x" * 5000, "DROP ALL", "80/16#", "\x00\x07"])
def test_hostile_parameters_never_reach_the_server(oxigraph: str, value: str) -> None:
    remote = RemoteStore(oxigraph + "/query")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = remote.select(count).rows
    result = runner.invoke(app, ["query", "lineage", "--param", f"root={value}", "--endpoint",
                                 oxigraph + "/query"])
    assert result.exit_code == 2
    _one_line(result)
    assert remote.select(count).rows == before


@pytest.mark.oxigraph
def test_a_quoted_literal_is_bound_as_a_literal_on_the_server(oxigraph: str) -> None:
    remote = RemoteStore(oxigraph + "/query")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = remote.select(count).rows
    hostile = Term('x" } } ; DROP ALL ; SELECT * { { "', "literal")
    rows = remote.select("SELECT ?s WHERE { ?s ?p ?label }", {"label": hostile}).rows
    assert rows == []
    assert remote.select(count).rows == before


def test_sparql_updates_are_refused_locally() -> None:
    for update in ("DROP ALL", "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
                   "DELETE WHERE { ?s ?p ?o }", "CLEAR DEFAULT", "LOAD <http://x/y>"):
        result = runner.invoke(app, ["sparql", update, "--dump", str(DUMP)])
        assert result.exit_code == 2 and "not allowed" in _one_line(result)


def test_sparql_look_alikes_are_answered_locally() -> None:
    """A variable, a prefix or a string that spells an update word is no update."""
    for query in ("SELECT ?add WHERE { ?add a ?type } LIMIT 2",
                  "PREFIX insert: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
                  "SELECT ?s WHERE { ?s insert:type ?t } LIMIT 2",
                  "SELECT ?s WHERE { ?s ?p 'DROP ALL' } # CLEAR DEFAULT"):
        result = runner.invoke(app, ["sparql", query, "--dump", str(DUMP), "--format", "json"])
        assert result.exit_code == 0, result.output
