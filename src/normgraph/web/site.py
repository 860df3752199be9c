"""Pages a person can read: one per instrument, norm, principle, theme and body, an index, a
timeline and a search page, each resource also as Turtle and JSON-LD (its concise bounded
description) beside its page, at the path its IRI has under the base, so the IRIs dereference
when the folder is hosted there. ``normgraph site`` writes them; ``normgraph serve`` renders
the same pages on request.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS
from rdflib.term import Node

from ..api import (
    CITO,
    ELI,
    NG,
    RELATION_BY_PROPERTY,
    base,
    load_graph,
    serialize,
    to_turtle,
    write_atomic,
)

__all__ = ["Site", "write_site"]

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#1d2330}
a{color:#1f4f99}header{border-bottom:1px solid #ccd;margin-bottom:1rem}
.meta{color:#555}.para{margin:.6rem 0;padding:.3rem .6rem;border-left:3px solid #dde}
.num{font-weight:bold;margin-right:.5rem}.refs{font-size:.9em;color:#444}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;
text-align:left;vertical-align:top}figure{overflow-x:auto;margin:0}
figure svg{display:block;width:100%;height:auto;max-height:80vh}
.side td.text{max-width:38rem}mark{background:#ffe9a8}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _anchor(number: Any) -> str:
    """The HTML id of a paragraph on its document's page: '56 (b3)' -> 'para-56-b3'."""
    return "para-" + "-".join(str(number).replace("(", " ").replace(")", " ").split())


class Site:
    """Renders pages and resource descriptions from a graph."""

    def __init__(self, graph: Graph, dump: Path | None = None) -> None:
        self.g = graph
        self.base = base()
        self.dump = dump
        self._store: Any = None
        self._tmp: str | None = None

    # -- where things live ------------------------------------------------------------------
    def local(self, iri: Any) -> str | None:
        """The path of a resource under the base ('id/A/RES/80/16'), or None."""
        text = str(iri)
        return text[len(self.base):] if text.startswith(self.base) else None

    def href(self, iri: Any, here: str, anchor: str = "") -> str:
        """A relative link from page ``here`` to the page of ``iri``."""
        path = self.local(iri)
        if path is None:
            return str(iri)
        target = path + ".html"
        rel = os.path.relpath(target, os.path.dirname(here) or ".")
        return rel + (f"#{anchor}" if anchor else "")

    @cached_property
    def resources(self) -> dict[str, list[URIRef]]:
        """The resources that get a page, by kind."""
        g = self.g
        kinds = {"instrument": NG.Instrument, "publication": NG.Publication, "norm": NG.Norm,
                 "principle": NG.Principle, "theme": NG.Theme, "pillar": NG.Pillar,
                 "body": ORG.Organization}
        return {k: sorted((s for s in g.subjects(RDF.type, c) if isinstance(s, URIRef)), key=str)
                for k, c in kinds.items()}

    @cached_property
    def _kinds(self) -> dict[URIRef, str]:
        return {iri: kind for kind, items in self.resources.items() for iri in items}

    def kind_of(self, iri: URIRef) -> str | None:
        return self._kinds.get(iri)

    # -- descriptions -----------------------------------------------------------------------
    def cbd(self, iri: URIRef) -> Graph:
        """The resource's triples, and for documents those of their paragraphs and citations."""
        out = Graph()
        todo: list[Node] = [iri]
        seen: set[Any] = set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for p, o in self.g.predicate_objects(node):
                out.add((node, p, o))
                if p == ELI.has_part:
                    todo.append(o)
            if node != iri:
                for c in self.g.subjects(CITO.hasCitingEntity, node):
                    todo.append(c)
        return out

    def label(self, iri: Any) -> str:
        g = self.g
        for p in (ELI.id_local, SKOS.notation, SKOS.prefLabel, DCTERMS.title):
            v = g.value(iri, p)
            if v is not None:
                return str(v)
        return str(iri).rsplit("/", 1)[-1]

    # -- pages --------------------------------------------------------------------------------
    def _page(self, title: str, body: str, here: str, iri: Any = None) -> str:
        alt = ""
        if iri is not None:
            name = os.path.basename(here)[: -len(".html")]
            alt = (f'<link rel="alternate" type="text/turtle" href="{_e(name)}.ttl">'
                   f'<link rel="alternate" type="application/ld+json" href="{_e(name)}.jsonld">')
        home = os.path.relpath("index.html", os.path.dirname(here) or ".")
        timeline = os.path.relpath("timeline.html", os.path.dirname(here) or ".")
        search = os.path.relpath("search.html", os.path.dirname(here) or ".")
        return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<meta name=\"viewport\" content=\"width=device-width\">"
                f"<title>{_e(title)} · normgraph</title><style>{STYLE}</style>{alt}</head>"
                f"<body><header><a href=\"{_e(home)}\">normgraph</a> · "
                f"<a href=\"{_e(timeline)}\">timeline</a> · "
                f"<a href=\"{_e(search)}\">search</a></header><main>{body}</main>"
                + (f"<footer class=\"meta\"><p>IRI: <code>{_e(iri)}</code> · also as "
                   f"<a href=\"{_e(os.path.basename(here)[:-5])}.ttl\">Turtle</a> and "
                   f"<a href=\"{_e(os.path.basename(here)[:-5])}.jsonld\">JSON-LD</a></p>"
                   f"</footer>" if iri is not None else "")
                + "</body></html>\n")

    def page(self, iri: URIRef) -> str | None:
        kind = self.kind_of(iri)
        here = (self.local(iri) or "x") + ".html"
        if kind in ("instrument", "publication"):
            return self._document(iri, here)
        if kind in ("norm", "principle", "theme", "pillar"):
            return self._concept(iri, here, kind)
        if kind == "body":
            return self._body(iri, here)
        return None

    def _document(self, iri: URIRef, here: str) -> str:
        g = self.g
        title = g.value(iri, ELI.title) or g.value(iri, DCTERMS.title)
        symbol = g.value(iri, ELI.id_local)
        kind = g.value(g.value(iri, ELI.type_document), SKOS.prefLabel)
        meta = [x for x in (kind, g.value(iri, ELI.date_document),
                            g.value(g.value(iri, ELI.passed_by), SKOS.prefLabel)) if x]
        out = [f"<h1>{_e(symbol or title)}</h1>"]
        if symbol and title:
            out.append(f"<p class=\"title\">{_e(title)}</p>")
        out.append(f"<p class=\"meta\">{' · '.join(_e(m) for m in meta)}</p>")
        links = []
        for p, o in sorted(g.predicate_objects(iri), key=lambda x: (str(x[0]), str(x[1]))):
            if p in RELATION_BY_PROPERTY:
                links.append(f"<li>{_e(RELATION_BY_PROPERTY[p])} "
                             f"<a href=\"{_e(self.href(o, here))}\">{_e(self.label(o))}</a></li>")
        if links:
            out.append("<h2>Builds on</h2><ul class=\"lineage\">" + "".join(links) + "</ul>")
        cited = sorted({(RELATION_BY_PROPERTY[p], s) for s, p in g.subject_predicates(iri)
                        if p in RELATION_BY_PROPERTY}, key=lambda x: (str(x[1]), x[0]))
        if cited:
            out.append("<h2>Cited by</h2><ul>" + "".join(
                f"<li><a href=\"{_e(self.href(s, here))}\">{_e(self.label(s))}</a> "
                f"{_e(rel)} it</li>" for rel, s in cited) + "</ul>")
        picture = self.picture(symbol) if symbol else None
        if picture:
            out.append(f"<h2>Lineage</h2><figure>{picture}</figure>")
        touched: dict[str, set[Any]] = defaultdict(set)
        paras = sorted(self._parts(iri), key=lambda p: int(g.value(p, NG.ordinal) or 0))
        items = []
        for p in paras:
            number = g.value(p, ELI.number)
            refs = []
            for c in sorted(g.subjects(CITO.hasCitingEntity, p), key=str):
                cited_iri = g.value(c, CITO.hasCitedEntity)
                characterization = g.value(c, CITO.hasCitationCharacterization)
                rel = RELATION_BY_PROPERTY.get(characterization, "") if characterization else ""
                refs.append(f"{_e(rel)} <a href=\"{_e(self.href(cited_iri, here))}\">"
                            f"{_e(self.label(cited_iri))}</a>")
            for prop, kind_name in ((NG.restatesNorm, "norm"), (ELI.is_about, "theme"),
                                    (NG.addressesPillar, "pillar")):
                for o in g.objects(p, prop):
                    if (o, RDF.type, NG.Theme) in g or kind_name != "theme":
                        touched[kind_name].add(o)
            text = g.value(p, NG.text) or ""
            anchor = _anchor(number)
            items.append(f"<div class=\"para\" id=\"{_e(anchor)}\"><span class=\"num\">"
                         f"{_e(number)}</span>{_e(text)}"
                         + (f"<div class=\"refs\">{'; '.join(refs)}</div>" if refs else "")
                         + "</div>")
        for kind_name, label in (("norm", "Norms it restates"), ("theme", "Themes"),
                                 ("pillar", "Pillars")):
            if touched[kind_name]:
                out.append(f"<h2>{label}</h2><ul>" + "".join(
                    f"<li><a href=\"{_e(self.href(c, here))}\">{_e(self.label(c))}</a> "
                    f"{_e(g.value(c, SKOS.prefLabel) if kind_name == 'norm' else '')}</li>"
                    for c in sorted(touched[kind_name], key=str)) + "</ul>")
        if items:
            out.append("<h2>Paragraphs</h2>" + "".join(items))
        return self._page(str(symbol or title), "".join(out), here, iri)

    def _parts(self, iri: Any) -> list[Any]:
        out, todo = [], list(self.g.objects(iri, ELI.has_part))
        while todo:
            p = todo.pop()
            out.append(p)
            todo.extend(self.g.objects(p, ELI.has_part))
        return out

    def _para_link(self, para: Any, here: str) -> str:
        g = self.g
        doc = para
        while g.value(doc, ELI.is_part_of) is not None:
            doc = g.value(doc, ELI.is_part_of)
        number = g.value(para, ELI.number)
        anchor = _anchor(number)
        return (f"<a href=\"{_e(self.href(doc, here, anchor))}\">{_e(self.label(doc))} "
                f"para {_e(number)}</a>")

    def _concept(self, iri: URIRef, here: str, kind: str) -> str:
        g = self.g
        label = g.value(iri, SKOS.prefLabel)
        notation = g.value(iri, SKOS.notation)
        out = [f"<h1>{_e(notation or label)}</h1>", f"<p class=\"title\">{_e(label)}</p>"]
        for prop, name in ((SKOS.definition, "Text"), (SKOS.note, "Note")):
            for v in g.objects(iri, prop):
                out.append(f"<p><strong>{name}:</strong> {_e(v)}</p>")
        alts = sorted(str(a) for a in g.objects(iri, SKOS.altLabel))
        if alts:
            out.append(f"<p class=\"meta\">Also: {_e(', '.join(alts))}</p>")
        source = g.value(iri, PROV.hadPrimarySource)
        if source is not None:
            out.append(f"<p>Source: {self._para_link(source, here)}</p>")
        for group in g.subjects(SKOS.member, iri):
            out.append(f"<p>Group: {_e(g.value(group, SKOS.prefLabel))}</p>")
        prop = {"norm": NG.restatesNorm, "theme": ELI.is_about, "pillar": NG.addressesPillar,
                "principle": ELI.is_about}[kind]
        paras = sorted(g.subjects(prop, iri), key=str)
        if kind == "norm":
            out.append(self._side_by_side(source, paras, here))
        elif paras:
            out.append(f"<h2>Paragraphs ({len(paras)})</h2><ul>" + "".join(
                f"<li>{self._para_link(p, here)}</li>" for p in paras) + "</ul>")
        return self._page(str(notation or label), "".join(out), here, iri)

    def _document_of(self, para: Any) -> Any:
        doc = para
        while self.g.value(doc, ELI.is_part_of) is not None:
            doc = self.g.value(doc, ELI.is_part_of)
        return doc

    def _side_by_side(self, source: Any, restating: list[Any], here: str) -> str:
        """A norm's paragraphs side by side, oldest first (undated first), as `normgraph norm`
        lists them: instrument, date, paragraph, how it was matched, the text."""
        g = self.g
        rows = [(source, "states")] if source is not None else []
        rows += [(p, "restates") for p in restating]

        def order(row: tuple[Any, str]) -> tuple[str, str, int]:
            doc = self._document_of(row[0])
            return (str(g.value(doc, ELI.date_document) or ""), self.label(doc),
                    int(g.value(row[0], NG.ordinal) or 0))

        cells = []
        for para, match in sorted(rows, key=order):
            doc = self._document_of(para)
            cells.append(f"<tr><td>{_e(self.label(doc))}</td>"
                         f"<td>{_e(g.value(doc, ELI.date_document) or '')}</td>"
                         f"<td>{self._para_link(para, here)}</td><td>{_e(match)}</td>"
                         f"<td class=\"text\">{_e(g.value(para, NG.text) or '')}</td></tr>")
        return ("<h2>Side by side</h2><table class=\"side\"><tr><th>instrument</th>"
                "<th>date</th><th>paragraph</th><th>match</th><th>text</th></tr>"
                + "".join(cells) + "</table>")

    def _value(self, node: Any, here: str) -> str:
        """A value in a card: a link where the node has a page, else its name or text."""
        if isinstance(node, URIRef):
            if (node, ELI.number, None) in self.g:
                return self._para_link(node, here)
            if self.kind_of(node) is not None:
                return f"<a href=\"{_e(self.href(node, here))}\">{_e(self.label(node))}</a>"
            return _e(self.label(node) if (node, None, None) in self.g else node)
        return _e(node)

    def _body(self, iri: URIRef, here: str) -> str:
        """A body's page: every fact the graph states about it, then what points at it."""
        g = self.g
        nm = g.namespace_manager
        label = g.value(iri, SKOS.prefLabel)
        out = [f"<h1>{_e(label)}</h1>"]
        alts = sorted(str(a) for a in g.objects(iri, SKOS.altLabel))
        if alts:
            out.append(f"<p class=\"meta\">Also: {_e(', '.join(alts))}</p>")
        skip = {RDF.type, SKOS.prefLabel, SKOS.altLabel}
        facts = sorted((nm.normalizeUri(str(p)), o) for p, o in g.predicate_objects(iri)
                       if p not in skip)
        out.append("<table>" + "".join(f"<tr><th>{_e(p)}</th><td>{self._value(o, here)}</td>"
                                       f"</tr>" for p, o in facts) + "</table>")
        inbound = sorted((nm.normalizeUri(str(p)), s) for s, p in g.subject_predicates(iri))
        if inbound:
            out.append("<h2>Pointing at it</h2><ul>" + "".join(
                f"<li>{self._value(s, here)} <span class=\"meta\">{_e(p)}</span></li>"
                for p, s in inbound) + "</ul>")
        return self._page(str(label), "".join(out), here, iri)

    def search_rows(self) -> list[dict[str, Any]]:
        """What the search page searches: every paragraph with text, its link and filing."""
        g = self.g
        here = "search.html"
        rows = []
        for para, text in g.subject_objects(NG.text):
            if (para, ELI.number, None) not in g:
                continue
            doc = self._document_of(para)
            rows.append({
                "doc": self.label(doc), "para": str(g.value(para, ELI.number)),
                "href": self.href(doc, here, _anchor(g.value(para, ELI.number))),
                "kind": str(g.value(g.value(doc, ELI.type_document), SKOS.prefLabel) or ""),
                "date": str(g.value(doc, ELI.date_document) or ""),
                "themes": sorted(str(t).rsplit("/", 1)[-1]
                                 for t in g.objects(para, ELI.is_about)
                                 if (t, RDF.type, NG.Theme) in g),
                "text": str(text)})
        rows.sort(key=lambda r: (r["date"], r["doc"], r["para"]))
        return rows

    def search(self) -> str:
        """The search page: the paragraphs travel inside it as JSON and a few lines of script
        keep those holding every word (a word also matches as the start of one), with the
        same filters as `normgraph search` (kind, theme, date range); no server needed."""
        rows = self.search_rows()
        kinds = sorted({r["kind"] for r in rows if r["kind"]})
        themes = sorted({t for r in rows for t in r["themes"]})
        data = json.dumps(rows, ensure_ascii=False).replace("</", "<\\/")
        options = "".join(f"<option>{_e(k)}</option>" for k in kinds)
        theme_options = "".join(f"<option>{_e(t)}</option>" for t in themes)
        body = (
            "<h1>Search the paragraphs</h1><form id=\"search\" onsubmit=\"return false\">"
            "<input id=\"q\" type=\"search\" size=\"40\" placeholder=\"national ownership\" "
            "autofocus> <select id=\"kind\"><option value=\"\">any kind</option>"
            f"{options}</select> <select id=\"theme\"><option value=\"\">any theme</option>"
            f"{theme_options}</select> from <input id=\"since\" type=\"date\"> to "
            "<input id=\"until\" type=\"date\"></form><p id=\"count\" class=\"meta\"></p>"
            "<ol id=\"hits\"></ol>"
            f"<script type=\"application/json\" id=\"rows\">{data}</script>"
            f"<script>{SEARCH_SCRIPT}</script>")
        return self._page("Search", body, "search.html")

    def index(self) -> str:
        here = "index.html"
        res = self.resources
        out = ["<h1>normgraph</h1><p>The UN cyber-norms instruments, their paragraphs, the "
               "references between them, and the norms, principles and themes they address."
               "</p>"]
        for kind, title in (("instrument", "Instruments"), ("publication", "Web pages and news"),
                            ("norm", "Norms"), ("principle", "Capacity-building principles"),
                            ("pillar", "Pillars"), ("theme", "Themes"), ("body", "Bodies")):
            if res[kind]:
                out.append(f"<h2>{title}</h2><ul>" + "".join(
                    f"<li><a href=\"{_e(self.href(i, here))}\">{_e(self.label(i))}</a> "
                    f"{_e(self.g.value(i, ELI.title) or self.g.value(i, SKOS.prefLabel) or '')}"
                    "</li>" for i in res[kind]) + "</ul>")
        return self._page("normgraph", "".join(out), here)

    def timeline(self) -> str:
        here = "timeline.html"
        rows = sorted((str(d), i) for i, d in self.g.subject_objects(ELI.date_document)
                      if (i, RDF.type, NG.Instrument) in self.g)
        body = "<h1>Timeline</h1><table><tr><th>date</th><th>instrument</th><th>title</th></tr>"
        body += "".join(f"<tr><td>{_e(d)}</td><td><a href=\"{_e(self.href(i, here))}\">"
                        f"{_e(self.label(i))}</a></td><td>{_e(self.g.value(i, ELI.title))}"
                        f"</td></tr>" for d, i in rows) + "</table>"
        return self._page("Timeline", body, here)

    def picture(self, symbol: Any) -> str | None:
        """The lineage of an instrument as inline SVG (Graphviz), or its DOT text."""
        if self.dump is None:
            return None
        from ..api import LocalStore, lineage
        from ..api import lineage_dot as to_dot

        if self._store is None:
            from ..api import sweep_dead

            # the stores of sites whose process was killed before it could remove them
            sweep_dead(Path(tempfile.gettempdir()), "normgraph-site.*.tmp")
            self._tmp = tempfile.mkdtemp(prefix=f"normgraph-site.{os.getpid()}.", suffix=".tmp")
            self._store = LocalStore(self.dump, cache=Path(self._tmp))
        lin = lineage(self._store, str(symbol), depth=2)
        if not lin.links:
            return None
        dot = to_dot(lin)
        exe = shutil.which("dot")
        if exe:
            proc = subprocess.run([exe, "-Tsvg"], input=dot.encode(), capture_output=True,
                                  timeout=60)
            if proc.returncode == 0:
                svg = proc.stdout.decode("utf-8")
                return _fit(svg[svg.find("<svg"):])
        return f"<pre>{_e(dot)}</pre>"

    def close(self) -> None:
        self._store = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)


def _fit(svg: str) -> str:
    """The picture scaled into its box: Graphviz's fixed size dropped for the viewBox, so a
    wide lineage shrinks to the page's width (the CSS caps its height) instead of scrolling
    its root out of sight."""
    return re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg', svg, count=1)


#: the search page's script: every word must start a word of the text; filters as the CLI's
SEARCH_SCRIPT = """
const rows = JSON.parse(document.getElementById('rows').textContent);
const $ = id => document.getElementById(id);
const esc = s => s.replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
function run() {
  const words = $('q').value.toLowerCase().match(/[\\p{L}\\p{N}]+/gu) || [];
  const kind = $('kind').value, theme = $('theme').value;
  const since = $('since').value, until = $('until').value;
  const res = words.map(w => new RegExp('(^|[^\\\\p{L}\\\\p{N}])(' + w + ')', 'iu'));
  const hits = words.length ? rows.filter(r => res.every(re => re.test(r.text))
    && (!kind || r.kind === kind) && (!theme || r.themes.includes(theme))
    && (!since || (r.date && r.date >= since)) && (!until || (r.date && r.date <= until))) : [];
  $('count').textContent = words.length ? hits.length + ' paragraph(s)' : '';
  const list = $('hits');
  list.replaceChildren();
  for (const r of hits.slice(0, 200)) {
    let text = esc(r.text);
    for (const w of words) text = text.replace(new RegExp(
      '(^|[^\\\\p{L}\\\\p{N}])(' + w + '[\\\\p{L}\\\\p{N}]*)', 'giu'), '$1<mark>$2</mark>');
    const li = document.createElement('li'), a = document.createElement('a');
    const meta = document.createElement('span'), div = document.createElement('div');
    li.className = 'hit';
    a.href = r.href;
    a.textContent = r.doc + ' para ' + r.para;
    meta.className = 'meta';
    meta.textContent = r.kind + ' ' + r.date;
    div.innerHTML = text;  // escaped above; only the marks are markup
    li.append(a, ' ', meta, div);
    list.append(li);
  }
}
for (const id of ['q', 'kind', 'theme', 'since', 'until']) {
  $(id).addEventListener('input', run);
  $(id).addEventListener('change', run);
}
const given = new URLSearchParams(location.search).get('q');
if (given) { $('q').value = given; }
run();
"""


def describe_as(graph: Graph, fmt: str) -> str:
    if fmt == "ttl":
        return to_turtle(graph)
    return serialize(graph, fmt)


def write_site(dump: Path, folder: Path) -> int:
    """Write the static site for ``dump`` into ``folder``; returns the number of pages."""
    graph = load_graph(dump)
    site = Site(graph, dump)
    count = 0
    try:
        for items in site.resources.values():
            for iri in items:
                path = site.local(iri)
                page = site.page(iri)
                if path is None or page is None:
                    continue
                cbd = site.cbd(iri)
                write_atomic(folder / f"{path}.html", page)
                write_atomic(folder / f"{path}.ttl", describe_as(cbd, "ttl"))
                write_atomic(folder / f"{path}.jsonld", describe_as(cbd, "jsonld"))
                count += 1
        write_atomic(folder / "index.html", site.index())
        write_atomic(folder / "timeline.html", site.timeline())
        write_atomic(folder / "search.html", site.search())
        count += 3
    finally:
        site.close()
    return count
