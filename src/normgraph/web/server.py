"""``normgraph serve``: the pages of :mod:`normgraph.web.site` at their IRI paths with content
negotiation, and a read-only SPARQL 1.1 Protocol endpoint at ``/sparql``.

Built on the standard library's ``http.server`` (``ThreadingHTTPServer``). The endpoint follows
the SPARQL 1.1 Protocol: GET, POST of a form and POST of ``application/sparql-query``; SELECT
and ASK answered in JSON, XML, CSV or TSV and CONSTRUCT and DESCRIBE in Turtle, N-Triples,
JSON-LD or RDF/XML, by ``Accept``, each parsed and serialised by Oxigraph itself.

Queries run in a pool of worker processes, each holding the graph in an in-memory Oxigraph
store and answering one query at a time under its own timeout: a query that overruns has its
worker stopped and replaced (HTTP 503), and so has one that kills its worker (HTTP 500). Results
are cut at the row limit (the ``X-Result-Truncated`` header says so). Updates are refused
(HTTP 403), and so is ``SERVICE`` unless allowed, so that the server fetches nothing. SIGTERM
stops the server as Ctrl-C does, workers included; a worker whose server was killed ends by
itself, even in the middle of a query.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import re
import signal
import sys
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from ..api import base, form_of
from .site import Site, describe_as

__all__ = ["serve", "make_server"]

MEDIA = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8",
         "jsonld": "application/ld+json", "nt": "application/n-triples"}
_ACCEPT = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl",
           "application/x-turtle": "ttl", "application/ld+json": "jsonld",
           "application/json": "jsonld", "application/n-triples": "nt", "text/plain": "nt"}


def negotiate(accept: str, offers: dict[str, Any], default: Any) -> Any:
    """The offer that best fits an Accept header (q-values honoured; ``type/*`` takes the first
    offer of that type, ``*/*`` and an empty header the default), None when nothing fits."""
    if not accept.strip():
        return default
    ranked = []
    for k, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, k, bits[0].lower()))
    for _q, _k, media in sorted(ranked):
        if media in offers:
            return offers[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            for offer, value in offers.items():
                if offer.startswith(media[:-1]):
                    return value
    return None


def _negotiate(accept: str) -> str | None:
    """The page format for an Accept header, None when nothing fits."""
    return negotiate(accept, _ACCEPT, "html")


# the formats of a SPARQL answer, by media type, first the default; the store serialises each
# (pyoxigraph's QueryResultsFormat for solutions and booleans, RdfFormat for graphs)
RESULT_MEDIA = {"application/sparql-results+json": "JSON", "application/json": "JSON",
                "application/sparql-results+xml": "XML", "application/xml": "XML",
                "text/xml": "XML", "text/csv": "CSV", "text/tab-separated-values": "TSV"}
GRAPH_MEDIA = {"text/turtle": "TURTLE", "application/x-turtle": "TURTLE",
               "application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES",
               "application/ld+json": "JSON_LD", "application/rdf+xml": "RDF_XML"}


def _worker(dump: str, conn: Any, parent: int) -> None:
    """A query process: the dump in an in-memory Oxigraph store, answering one request at a
    time from its pipe until the pipe closes, or until the server process ``parent`` is gone
    (killed, it cannot stop its workers: one deep in a runaway query would never read its
    pipe again, and would run on alone)."""
    import pyoxigraph as ox

    threading.Thread(target=_orphaned_exit, args=(parent,), daemon=True).start()
    store = ox.Store()
    store.bulk_load(path=dump, format=ox.RdfFormat.TURTLE)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except EOFError:  # the server has gone
            return
        try:
            conn.send(_answer(store, *request))
        except Exception as exc:  # a malformed query: one line back to the client
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            conn.send(("error", text))


def _orphaned_exit(parent: int) -> None:
    """End this process as soon as its parent has gone (it is then another's child). Oxigraph
    evaluates a query without holding the GIL, so this thread runs during one."""
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


def _answer(store: Any, query: str, accept: str, limit: int, default_graphs: list[str],
            named_graphs: list[str]) -> tuple[Any, ...]:
    """("ok", media type, body, truncated) or ("unacceptable", offers), the store's parser
    and serialisers doing the work; at most ``limit`` solutions or triples."""
    import itertools

    import pyoxigraph as ox

    options: dict[str, Any] = {}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    result = store.query(query, **options)
    graph = isinstance(result, ox.QueryTriples)
    offers = GRAPH_MEDIA if graph else RESULT_MEDIA
    name = negotiate(accept, offers, next(iter(offers.values())))
    if name is None:
        return ("unacceptable", ", ".join(offers))
    if isinstance(result, ox.QueryBoolean):
        fmt = getattr(ox.QueryResultsFormat, name)
        return ("ok", fmt.media_type, result.serialize(format=fmt), False)
    items = list(itertools.islice(result, limit + 1))
    truncated = len(items) > limit
    del items[limit:]
    if graph:
        fmt = getattr(ox.RdfFormat, name)
        return ("ok", fmt.media_type, ox.serialize(items, format=fmt), truncated)
    # pyoxigraph serialises only the QuerySolutions it returned, all of them: the first rows
    # go through SPARQL JSON (which it parses) to come back as its QuerySolutions
    names = [v.value for v in result.variables]
    bindings = [{n: _json_term(row[n]) for n in names if row[n] is not None} for row in items]
    document = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}})
    fmt = getattr(ox.QueryResultsFormat, name)
    solutions = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
    return ("ok", fmt.media_type, solutions.serialize(format=fmt), truncated)


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


class _Worker:
    """One query process and the parent's end of its pipe."""

    def __init__(self, dump: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(dump, child, os.getpid()), daemon=True)
        self.proc.start()
        child.close()  # so that the parent sees EOF when the worker dies
        if self.conn.recv() != "ready":
            raise RuntimeError("the query worker did not start")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.conn.close()


class QueryPool:
    """Query processes, each answering one query at a time under its own timeout.

    A request takes an idle worker (waiting at most the timeout for one); a query that overruns
    the timeout, or that kills its worker (Oxigraph's parser recurses, so thousands of nested
    groups overflow its stack), has its worker stopped and replaced in the background, so the
    pool keeps its size and the other workers keep answering meanwhile."""

    def __init__(self, dump: Path, size: int, timeout: float, limit: int) -> None:
        self.dump, self.size, self.timeout, self.limit = str(dump), size, timeout, limit
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.workers: set[_Worker] = set()
        self._guard = threading.Lock()  # guards the set only, never held during a query
        self._closed = False
        starters = [threading.Thread(target=self._add) for _ in range(size)]
        for t in starters:
            t.start()
        for t in starters:
            t.join()
        if len(self.workers) < size:
            self.close()
            raise RuntimeError(f"{dump}: the query workers did not start")

    def _add(self) -> None:
        try:
            worker = _Worker(self.dump)
        except (OSError, EOFError, RuntimeError):
            return
        with self._guard:
            if self._closed:
                worker.stop()
                return
            self.workers.add(worker)
        self.idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._guard:
            self.workers.discard(worker)
        worker.stop()
        threading.Thread(target=self._add, daemon=True).start()

    def run(self, query: str, accept: str = "", default_graphs: list[str] | None = None,
            named_graphs: list[str] | None = None) -> tuple[Any, ...]:
        """Answer one query: ("ok", media, body, truncated), ("error", message),
        ("unacceptable", offers), ("busy", message), ("timeout", message) or ("crashed",
        message)."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                worker = self.idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return ("busy", f"every query worker stayed busy for {self.timeout:g} s")
            # a worker that died while idle (killed from outside) has closed its end of the
            # pipe: the pipe says so even where waitpid cannot (a child reaped elsewhere)
            if worker.proc.is_alive() and not worker.conn.poll(0):
                break
            self._replace(worker)  # wait for another
        try:
            worker.conn.send((query, accept, self.limit, default_graphs or [],
                              named_graphs or []))
            if worker.conn.poll(self.timeout):
                answer = worker.conn.recv()
                self.idle.put(worker)
                return answer
            outcome = ("timeout", f"the query ran longer than {self.timeout:g} s")
        except (EOFError, OSError):
            outcome = ("crashed", "the query stopped its worker (nested too deeply?); "
                       "a new worker is started")
        self._replace(worker)
        return outcome

    def close(self) -> None:
        """Stop every worker."""
        with self._guard:
            self._closed = True
            workers, self.workers = list(self.workers), set()
        for worker in workers:
            worker.stop()


#: the deepest nesting of groups, brackets and parentheses a query may have: far above what a
#: real query needs, well below what overflows the parser's stack
MAX_DEPTH = 200


class Handler(BaseHTTPRequestHandler):
    site: Site
    pool: QueryPool
    prefix: str
    allow_service: bool
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
            self._protocol(urllib.parse.parse_qs(url.query), None)
            return
        if path in ("/update", "/store"):
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
            return
        self._resource(path)

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
            return
        declared = (self.headers.get("Content-Length") or "0").strip()
        if not declared.isdigit():
            self.close_connection = True  # the body's end is unknown: no next request on it
            self._error(HTTPStatus.BAD_REQUEST, f"Content-Length {declared!r} is not a number")
            return
        length = int(declared)
        if length > 1_000_000:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too large")
            return
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query)
        if media == "application/sparql-query":  # the query is the body, graphs in the URL
            self._protocol(params, raw)
        elif media == "application/x-www-form-urlencoded":
            self._protocol(urllib.parse.parse_qs(raw), None)
        elif media == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, "updates are refused: the endpoint is read-only")
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        "send application/sparql-query or a form")

    def do_PUT(self) -> None:
        self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT

    # -- SPARQL -----------------------------------------------------------------------------------
    def _protocol(self, params: dict[str, list[str]], body: str | None) -> None:
        """A query operation of the SPARQL 1.1 Protocol: the query (from the body, or the
        ``query`` parameter) with its ``default-graph-uri`` and ``named-graph-uri`` lists."""
        if "update" in params:
            self._error(HTTPStatus.FORBIDDEN, "updates are refused: the endpoint is read-only")
            return
        queries = [body] if body is not None else params.get("query", [])
        if len(queries) > 1:
            self._error(HTTPStatus.BAD_REQUEST, "more than one query")
            return
        self._sparql(queries[0] if queries else "", params.get("default-graph-uri", []),
                     params.get("named-graph-uri", []))

    def _sparql(self, query: str, default_graphs: list[str], named_graphs: list[str]) -> None:
        if not query.strip():
            self._error(HTTPStatus.BAD_REQUEST, "no query (use ?query=...)")
            return
        form = form_of(query)
        if form.update:
            self._error(HTTPStatus.FORBIDDEN, "updates are refused: the endpoint is read-only")
            return
        if form.service and not self.allow_service:
            self._error(HTTPStatus.FORBIDDEN, "SERVICE is refused: this endpoint answers from "
                        "its own graph (serve --allow-service to allow it)")
            return
        if form.depth > MAX_DEPTH:
            self._error(HTTPStatus.BAD_REQUEST, f"malformed query: nested deeper than "
                        f"{MAX_DEPTH} levels")
            return
        answer = self.pool.run(query, self.headers.get("Accept") or "", default_graphs,
                               named_graphs)
        status = answer[0]
        if status == "ok":
            _status, media, body, truncated = answer
            self._send(200, body, media,
                       {"X-Result-Truncated": "true" if truncated else "false"})
        elif status == "unacceptable":
            self._error(HTTPStatus.NOT_ACCEPTABLE, f"available: {answer[1]}")
        elif status in ("timeout", "busy"):
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, answer[1])
        elif status == "crashed":
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, answer[1])
        else:
            self._error(HTTPStatus.BAD_REQUEST, f"malformed query: {answer[1]}")

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


class _Server(ThreadingHTTPServer):
    """The threading server, with a one-line log for a request that failed unexpectedly
    instead of the standard library's traceback."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError)):
            return  # the client left: nothing to report
        print(f"normgraph serve: {client_address[0]}: {type(exc).__name__}: {exc}",
              file=sys.stderr, flush=True)


def make_server(dump: Path, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0,
                limit: int = 10_000, workers: int = 2,
                allow_service: bool = False) -> tuple[ThreadingHTTPServer, QueryPool]:
    """The HTTP server and its pool of query workers (not yet serving)."""
    graph = Graph().parse(dump, format="turtle")
    site = Site(graph, dump)
    pool = QueryPool(dump, workers, timeout, limit)
    prefix = "/"  # the base's path is served at the root: <base>id/X is /id/X
    handler = type("NormgraphHandler", (Handler,), {"site": site, "pool": pool,
                                                    "prefix": prefix,
                                                    "allow_service": allow_service})
    return _Server((host, port), handler), pool


def serve(dump: Path, host: str = "127.0.0.1", port: int = 8000, timeout: float = 10.0,
          limit: int = 10_000, workers: int = 2, allow_service: bool = False) -> None:
    """Serve the pages and the SPARQL endpoint until interrupted."""
    server, pool = make_server(dump, host, port, timeout, limit, workers, allow_service)
    print(f"serving {dump} at http://{host}:{server.server_address[1]}/ "
          f"(SPARQL at /sparql; Ctrl-C stops)", flush=True)

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # a service manager's SIGTERM stops it as Ctrl-C does

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
        server.RequestHandlerClass.site.close()  # type: ignore[attr-defined]
