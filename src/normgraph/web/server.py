"""``normgraph serve``: the pages of :mod:`normgraph.web.site` at their IRI paths with content
negotiation, and a read-only SPARQL 1.1 Protocol endpoint at ``/sparql``.

Built on the standard library's ``http.server`` (``ThreadingHTTPServer``). Each SPARQL query
runs in a worker process holding the graph in an in-memory Oxigraph store; a query that runs
longer than the timeout has its worker stopped (and replaced) and gets HTTP 503. Results are cut
at the row limit (the ``X-Result-Truncated`` header says so). Updates are refused.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import re
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from ..api import base, is_update
from .site import Site, describe_as

__all__ = ["serve", "make_server"]

MEDIA = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8",
         "jsonld": "application/ld+json", "nt": "application/n-triples"}
_ACCEPT = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl",
           "application/x-turtle": "ttl", "application/ld+json": "jsonld",
           "application/json": "jsonld", "application/n-triples": "nt", "text/plain": "nt"}


def _negotiate(accept: str) -> str | None:
    """The best format for an Accept header (q-values honoured), None when nothing fits."""
    if not accept.strip():
        return "html"
    offers = []
    for k, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        offers.append((-q, k, bits[0].lower()))
    for _q, _k, media in sorted(offers):
        if media in _ACCEPT:
            return _ACCEPT[media]
        if media in ("*/*", "text/*"):
            return "html"
    return None


def _worker(dump: str, conn: Any) -> None:
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=dump, format=ox.RdfFormat.TURTLE)
    conn.send("ready")
    while True:
        query, limit = conn.recv()
        try:
            result = store.query(query)
            if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
                conn.send(("ok", {"head": {}, "boolean": bool(result)}, False))
                continue
            if not hasattr(result, "variables"):
                conn.send(("error", "only SELECT and ASK queries are answered here", False))
                continue
            names = [v.value for v in result.variables]
            rows, truncated = [], False
            for n, solution in enumerate(result):
                if n >= limit:
                    truncated = True
                    break
                row = {}
                for name in names:
                    term = solution[name]
                    if term is not None:
                        row[name] = _json_term(term)
                rows.append(row)
            conn.send(("ok", {"head": {"vars": names}, "results": {"bindings": rows}},
                       truncated))
        except Exception as exc:  # a malformed query: one line back to the client
            conn.send(("error", str(exc).splitlines()[0] if str(exc) else "error", False))


def _json_term(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


class QueryRunner:
    """One worker process answering queries; replaced when a query overruns its time."""

    def __init__(self, dump: Path, timeout: float, limit: int) -> None:
        self.dump, self.timeout, self.limit = str(dump), timeout, limit
        self.lock = threading.Lock()
        self.proc: Any = None
        self.conn: Any = None
        self._start()

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(self.dump, child), daemon=True)
        self.proc.start()
        parent.recv()
        self.conn = parent

    def run(self, query: str) -> tuple[str, Any, bool]:
        with self.lock:
            self.conn.send((query, self.limit))
            if self.conn.poll(self.timeout):
                return self.conn.recv()
            self.proc.kill()
            self.proc.join()
            self._start()
            return ("timeout", f"the query ran longer than {self.timeout:g} s", False)

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()


class Handler(BaseHTTPRequestHandler):
    site: Site
    runner: QueryRunner
    prefix: str
    server_version = "normgraph"

    def log_message(self, *args: Any) -> None:
        pass

    # -- plumbing --------------------------------------------------------------------------------
    def _send(self, status: int, body: str | bytes, media: str,
              extra: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._send(status, f"{message}\n", "text/plain; charset=utf-8")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        if path == "/sparql":
            params = urllib.parse.parse_qs(url.query)
            self._sparql((params.get("query") or [""])[0])
            return
        if path in ("/update", "/store"):
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
            return
        self._resource(path)

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path != "/sparql":
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > 1_000_000:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too large")
            return
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/sparql-query":
            self._sparql(raw)
        elif media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(raw)
            if "update" in form:
                self._error(HTTPStatus.FORBIDDEN, "updates are refused: the endpoint is read-only")
                return
            self._sparql((form.get("query") or [""])[0])
        elif media == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, "updates are refused: the endpoint is read-only")
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        "send application/sparql-query or a form")

    def do_PUT(self) -> None:
        self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT

    # -- SPARQL -----------------------------------------------------------------------------------
    def _sparql(self, query: str) -> None:
        if not query.strip():
            self._error(HTTPStatus.BAD_REQUEST, "no query (use ?query=...)")
            return
        if is_update(query):
            self._error(HTTPStatus.FORBIDDEN, "updates are refused: the endpoint is read-only")
            return
        status, payload, truncated = self.runner.run(query)
        if status == "timeout":
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, payload)
            return
        if status != "ok":
            self._error(HTTPStatus.BAD_REQUEST, f"malformed query: {payload}")
            return
        extra = {"X-Result-Truncated": "true" if truncated else "false"}
        accept = self.headers.get("Accept") or ""
        if "text/csv" in accept and "results" in payload:
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\r\n")
            names = payload["head"]["vars"]
            writer.writerow(names)
            for row in payload["results"]["bindings"]:
                writer.writerow([row.get(n, {}).get("value", "") for n in names])
            self._send(200, buf.getvalue(), "text/csv; charset=utf-8", extra)
            return
        self._send(200, json.dumps(payload), "application/sparql-results+json", extra)

    # -- resources --------------------------------------------------------------------------------
    def _resource(self, path: str) -> None:
        if not path.startswith(self.prefix):
            self._error(HTTPStatus.NOT_FOUND, "not under the base")
            return
        local = path[len(self.prefix):]
        if local in ("", "index.html"):
            self._send(200, self.site.index(), MEDIA["html"])
            return
        pages = {"timeline.html": self.site.timeline, "search.html": self.site.search}
        if local in pages:
            self._send(200, pages[local](), MEDIA["html"])
            return
        fmt = None
        m = re.fullmatch(r"(.+)\.(html|ttl|jsonld|nt)", local)
        if m:
            local, fmt = m.group(1), m.group(2)
        else:
            fmt = _negotiate(self.headers.get("Accept") or "")
            if fmt is None:
                self._error(HTTPStatus.NOT_ACCEPTABLE,
                            "available: text/html, text/turtle, application/ld+json, "
                            "application/n-triples")
                return
        iri = URIRef(base() + local)
        if (iri, None, None) not in self.site.g:
            self._send(404, self.site._page("Not found", "<h1>Not found</h1><p>No resource "
                                            "has this IRI. Start from the <a href=\"/\">index"
                                            "</a>.</p>", "x.html"), MEDIA["html"])
            return
        if fmt == "html":
            page = self.site.page(iri)
            if page is None:  # a paragraph, a body...: its data, since it has no page
                fmt = "ttl"
            else:
                self._send(200, page, MEDIA["html"])
                return
        self._send(200, describe_as(self.site.cbd(iri), fmt), MEDIA[fmt])


def make_server(dump: Path, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0,
                limit: int = 10_000) -> tuple[ThreadingHTTPServer, QueryRunner]:
    graph = Graph().parse(dump, format="turtle")
    site = Site(graph, dump)
    runner = QueryRunner(dump, timeout, limit)
    prefix = "/"  # the base's path is served at the root: <base>id/X is /id/X
    handler = type("NormgraphHandler", (Handler,), {"site": site, "runner": runner,
                                                    "prefix": prefix})
    return ThreadingHTTPServer((host, port), handler), runner


def serve(dump: Path, host: str = "127.0.0.1", port: int = 8000, timeout: float = 10.0,
          limit: int = 10_000) -> None:
    server, runner = make_server(dump, host, port, timeout, limit)
    print(f"serving {dump} at http://{host}:{server.server_address[1]}/ "
          f"(SPARQL at /sparql; Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        runner.close()
        server.RequestHandlerClass.site.close()  # type: ignore[attr-defined]
