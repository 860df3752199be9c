"""Speed and scale: the whole pass and the queries on generated UN-like corpora, beside the two
baselines a user would otherwise write (plain rdflib, plain pyoxigraph) on the same data.

    python benchmarks/scale.py                 # 100 and 1,000 documents (a few minutes)
    # the README's tables (under 10 minutes)
    python benchmarks/scale.py --rdflib-limit 400000 1000 10000
    python benchmarks/scale.py --build-only 100000   # the largest build (about 8 minutes,
                                                     # more the first time: it writes the corpus)

Per size it prints the build time and peak memory by stage (read, extract, graph, validate,
write), the dump size, lineage and thematic query latency in-process and as a CLI call, the
baselines, and their ratios; then `normgraph lineage 80/16` on the shipped data beside
`python -c "import rdflib"`. Each build runs in its own process, so peaks are per size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
NORMGRAPH = str(Path(sys.executable).with_name("normgraph"))


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_build(root: Path) -> None:
    """Build one corpus and print timings and peak memory by stage as JSON."""
    sys.path.insert(0, str(ROOT / "src"))
    from normgraph import api

    peaks: dict[str, float] = {}
    last = {"stage": None}

    def progress(stage: str, advance: int = 0, total: int | None = None) -> None:
        if last["stage"] and last["stage"] != stage:
            peaks[last["stage"]] = round(_rss_mib())
        last["stage"] = stage

    sys.path.insert(0, str(HERE))
    import cpu

    sampled = cpu.CpuByPart() if cpu.available() else None
    result = api.build(api.Paths(root), progress=progress)
    peaks[last["stage"] or "write"] = round(_rss_mib())
    spent = sampled.stop() if sampled is not None else None
    dump = root / "data" / "normgraph.ttl"
    print(json.dumps({"timings": result.timings, "peaks": peaks,
                      "triples": result.triple_count, "conforms": result.report.conforms,
                      "streamed": result.streamed, "cpu": spent,
                      "dump_mib": round(dump.stat().st_size / 2**20, 1),
                      "peak_mib": round(_rss_mib()),
                      # the largest process the build started: a worker (they read,
                      # extract and, in a streamed build, make and render their documents'
                      # part of the graph) or a streamed build's checker
                      # (normgraph.check.apart)
                      "worker_mib": round(resource.getrusage(
                          resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}))


def _best(fn, repeat: int = 5) -> float:
    """The best of ``repeat`` runs, or of as many as fit in 0.1 s (at most 50) when that is
    more: a query of a millisecond is otherwise timed on a handful of noisy runs."""
    times: list[float] = []
    while len(times) < repeat or (sum(times) < 0.1 and len(times) < 50):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _wall(cmd: list[str], repeat: int = 3, env: dict[str, str] | None = None) -> float:
    def run() -> None:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)

    return _best(run, repeat)


def child_rdflib(dump: Path, root_iri: str, theme_iri: str) -> None:
    """Plain rdflib: parse the dump, run the two queries once; a JSON line per step, a
    ``{"start": step}`` line before each so that the parent can stop a step that runs away."""
    sys.path.insert(0, str(ROOT / "src"))
    from rdflib import Graph, URIRef

    from normgraph.store.catalogue import get_query

    def step(name: str, fn) -> None:
        print(json.dumps({"start": name}), flush=True)
        t = time.perf_counter()
        fn()
        print(json.dumps({name: round(time.perf_counter() - t, 3)}), flush=True)

    g = Graph()
    step("rdflib_parse", lambda: g.parse(dump, format="turtle"))
    lineage, theme = get_query("lineage"), get_query("theme")
    # a parameter is bound under its query variable (grlc style: ?_root_iri)
    root_var, theme_var = lineage.param("root").variable, theme.param("theme").variable
    step("lineage_rdflib", lambda: list(g.query(lineage.text,
                                                initBindings={root_var: URIRef(root_iri)})))
    step("theme_rdflib", lambda: list(g.query(theme.text,
                                              initBindings={theme_var: URIRef(theme_iri)})))


def rdflib_baseline(dump: Path, root_iri: str, theme_iri: str,
                    budget: float) -> dict[str, object]:
    """Run :func:`child_rdflib` in its own process; a step still running after ``budget``
    seconds is stopped and reported as ``{step}_over: budget``."""
    import selectors

    proc = subprocess.Popen([PYTHON, __file__, "--rdflib-child", str(dump), root_iri,
                             theme_iri], stdout=subprocess.PIPE, bufsize=0)
    out: dict[str, object] = {}
    running, deadline, pending = None, time.monotonic() + budget, b""
    fd = proc.stdout.fileno()  # type: ignore[union-attr]
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while True:
            if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                out[f"{running}_over"] = budget
                proc.kill()
                break
            chunk = os.read(fd, 65536)  # unbuffered: every line read is handled at once
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                item = json.loads(line)
                if "start" in item:
                    running, deadline = item["start"], time.monotonic() + budget
                else:
                    out.update(item)
    proc.wait()
    return out


def measure(size: int, work: Path, rdflib_limit: int, build_only: bool = False,
            rdflib_budget: float = 300.0) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE))
    import corpus

    root = work / f"corpus-{size}"
    if not (root / "data" / "sources").is_dir():
        corpus.write(size, root)
    truth = json.loads((root / "ground_truth.json").read_text())
    newest = truth[-1]["symbol"]
    # the build makes the local query store in this cache, as `normgraph build` does in the
    # user's; the first query after it is timed below
    cache = Path(tempfile.mkdtemp(prefix="ng-cache-"))
    # keepers off, but where one is timed on purpose (the `kept` column): commands and the
    # disk column must not be answered by a keeper their own time on disk started
    env = dict(os.environ, NORMGRAPH_CACHE=str(cache), NORMGRAPH_KEEPER="0")
    os.environ["NORMGRAPH_KEEPER"] = "0"
    t = time.perf_counter()
    proc = subprocess.run([PYTHON, __file__, "--child", str(root)], capture_output=True,
                          text=True, check=True, env=env)
    total = time.perf_counter() - t
    out: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["size"], out["build_wall"], out["newest"] = size, round(total, 2), newest
    dump = root / "data" / "normgraph.ttl"
    if build_only:
        shutil.rmtree(cache, ignore_errors=True)
        return out

    from normgraph.answer.lineage import lineage
    from normgraph.store.catalogue import bind, get_query, load_queries, run
    from normgraph.store.terms import Term, bind_values
    from normgraph.store.triplestore import LocalStore

    # the first answers after the build, each a new process, then the same again
    first = [NORMGRAPH, "lineage", newest, "--dump", str(dump)]
    out["first_answer_cli"] = _wall(first, repeat=1, env=env)
    out["second_answer_cli"] = _wall(first, repeat=1, env=env)
    first_theme = [NORMGRAPH, "query", "theme", "-p", "theme=critical-infrastructure",
                   "--dump", str(dump)]
    out["first_theme_cli"] = _wall(first_theme, repeat=1, env=env)
    # a one-shot command's store: on disk, whatever it is asked
    store = LocalStore(dump, cache=cache, memory=False)
    # what the same first answer costs when the store is made by the query (a dump changed
    # by other means): the store and its link index, loaded from the dump
    rebuilt = LocalStore(dump, cache=Path(tempfile.mkdtemp(prefix="ng-cache-")))
    t = time.perf_counter()
    rebuilt.store()
    out["store_build"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    rebuilt.link_index()
    out["index_build"] = round(time.perf_counter() - t, 2)
    shutil.rmtree(rebuilt.home.parent, ignore_errors=True)
    rebuilt = None
    # a fresh process's first call reads the index from disk; later calls reuse it
    out["lineage_ours_first"] = _best(
        lambda: lineage(LocalStore(dump, cache=cache), newest), 3)
    out["lineage_ours"] = _best(lambda: lineage(store, newest))
    out["theme_ours"] = _best(lambda: run(store, "theme", {"theme": "critical-infrastructure"}))
    out["lineage_cli"] = _wall([NORMGRAPH, "lineage", newest, "--dump", str(dump)], env=env)
    out["theme_cli"] = _wall([NORMGRAPH, "theme", "critical infrastructure", "--dump",
                              str(dump)], env=env)

    lineage_text = get_query("lineage").text
    theme_text = get_query("theme").text
    root_iri = f"https://w3id.org/normgraph/id/{newest}"
    theme_iri = "https://w3id.org/normgraph/theme/critical-infrastructure"

    import pyoxigraph as ox

    t = time.perf_counter()
    plain = ox.Store()
    plain.bulk_load(path=str(dump), format=ox.RdfFormat.TURTLE)
    out["oxigraph_load"] = round(time.perf_counter() - t, 2)
    # the same query text, bound the same way (a VALUES block; see normgraph.store.terms)
    # a parameter is bound under its query variable (grlc style: ?_root_iri)
    root_var = get_query("lineage").param("root").variable  # type: ignore[union-attr]
    theme_var = get_query("theme").param("theme").variable  # type: ignore[union-attr]
    lq = bind_values(lineage_text, {root_var: Term(root_iri)})
    tq = bind_values(theme_text, {theme_var: Term(theme_iri)})
    out["lineage_oxigraph"] = _best(lambda: list(plain.query(lq)))
    out["theme_oxigraph"] = _best(lambda: list(plain.query(tq)))
    # every catalogue query, the same text bound the same way, on our store (what `normgraph
    # query` and `normgraph sparql` run: on disk), on the store of a process that asks many
    # questions (a notebook's `api.query`: it moves into memory once its time on disk pays
    # for the load) and on plain pyoxigraph, turn about
    values = {"root": newest, "instrument": newest, "source": newest,
              "target": truth[0]["symbol"], "theme": "critical-infrastructure",
              "norm": "13(f)"}
    texts: dict[str, str] = {}
    for name, query in load_queries().items():
        raw = {p.name: values[p.name] for p in query.params if p.required}
        if name == "descendants":  # what builds on the oldest instrument: most of the corpus
            raw = {"root": truth[0]["symbol"]}
        texts[name] = bind_values(query.text, bind(query, raw))
    session = LocalStore(dump, cache=cache)
    t, asked = time.perf_counter(), 0
    # the catalogue in turn, as a notebook might ask it (a dump too large for this machine's
    # memory stays on disk: then the session column is the disk one again)
    while not session.in_memory and asked < 40 * len(texts):
        session.select(list(texts.values())[asked % len(texts)])
        asked += 1
    out["session_move"] = {"questions": asked, "seconds": round(time.perf_counter() - t, 2),
                           "estimate": round(session.load_estimate(), 2)}
    # the keeper of the dump (what commands that follow each other on it end up asking),
    # started here as `normgraph keeper start` does
    os.environ["NORMGRAPH_KEEPER"] = "1"
    t = time.perf_counter()
    kept = store.keep()
    out["keeper"] = {"ready": round(time.perf_counter() - t, 2), "load": kept.loaded_in,
                     "mib": kept.resident_mib}
    out["theme_cli_kept"] = _wall(first_theme, env=dict(env, NORMGRAPH_KEEPER="1"))
    out["theme_cli_disk"] = _wall(first_theme, env=env)
    os.environ["NORMGRAPH_KEEPER"] = "0"

    def asked_of_keeper(text: str) -> None:
        os.environ["NORMGRAPH_KEEPER"] = "1"
        try:
            store.select(text)
        finally:
            os.environ["NORMGRAPH_KEEPER"] = "0"

    catalogue: dict[str, list[float]] = {}
    for name, text in texts.items():
        repeat = 3 if size <= 1000 else 2
        catalogue[name] = [_best(lambda: store.select(text), repeat),  # noqa: B023
                           _best(lambda: session.select(text), repeat),  # noqa: B023
                           _best(lambda: list(plain.query(text)), repeat),  # noqa: B023
                           _best(lambda: asked_of_keeper(text), repeat)]  # noqa: B023
    store.stop_keeper()
    session = None
    out["catalogue"] = catalogue
    out["lineage_store_sparql"] = catalogue["lineage"][0]
    plain = None  # free it before the rdflib baseline

    if out["triples"] <= rdflib_limit:  # type: ignore[operator]
        out.update(rdflib_baseline(dump, root_iri, theme_iri, rdflib_budget))
    store = None
    shutil.rmtree(cache, ignore_errors=True)
    return out


def shipped_side_by_side() -> dict[str, float]:
    dump = ROOT / "data" / "normgraph.ttl"
    subprocess.run([NORMGRAPH, "lineage", "80/16", "--dump", str(dump)], check=True,
                   stdout=subprocess.DEVNULL)  # the local store exists after this
    ours = _wall([NORMGRAPH, "lineage", "80/16", "--dump", str(dump)], repeat=5)
    rdflib = _wall([PYTHON, "-c", "import rdflib"], repeat=5)
    return {"lineage_80_16": ours, "import_rdflib": rdflib}


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.4f}" if v < 0.01 else f"{v:.3f}" if v < 10 else f"{v:.1f}"
    return "–" if v is None else str(v)


def _rdflib(r: dict[str, object], query: str) -> object:
    """An rdflib cell: the time, '> budget' if the step was stopped, '–' if not run."""
    if f"{query}_rdflib_over" in r:
        return f"> {r[f'{query}_rdflib_over']:.0f} (stopped)"
    return r.get(f"{query}_rdflib")


def _cpu_line(r: dict[str, object]) -> str:
    spent: dict[str, float] = r["cpu"]  # type: ignore[assignment]
    total = sum(spent.values())
    wall = float(r["build_wall"])  # type: ignore[arg-type]
    return (f"- {r['size']:,} documents: {total:,.1f} s of CPU in {wall:,.1f} s "
            f"({total / wall:.2f} cores of {os.cpu_count()}): the workers {spent['workers']:,}, "
            f"the build's own process {spent['build']:,} (merge and write, the store's load, "
            f"the validation and link-index queries), RocksDB's compaction "
            f"{spent['compaction']:,}, the checker {spent['checker']:,}")


def report(rows: list[dict[str, object]], shipped: dict[str, float]) -> str:
    lines = ["Build (seconds by stage; reading, extraction and, in a streamed build, the "
             "workers' part of the graph share their wall time; peak resident memory of the "
             "build process at the end of each stage, and of the largest process it started: a "
             "worker, or a streamed build's checker):", "",
             "| documents | triples | build wall | read | extract | graph | write | validate "
             "| store | peak MiB after extract / graph / all | largest worker or checker MiB "
             "| build | dump MiB |", "|" + "---|" * 13]
    for r in rows:
        t, peaks = r["timings"], r["peaks"]  # type: ignore[index]
        peak = " / ".join(f"{p:,}" for p in (peaks.get("extract"), peaks.get("graph"),
                                             r["peak_mib"]))
        lines.append("| " + " | ".join(_fmt(x) for x in (
            f"{r['size']:,}", f"{r['triples']:,}", r["build_wall"], t.get("read"),
            t.get("extract"), t.get("graph"), t.get("write"), t.get("validate"),
            t.get("store"), peak, f"{r.get('worker_mib', 0):,}",
            "streamed" if r.get("streamed") else "in memory", r["dump_mib"])) + " |")
    spent = [r for r in rows if r.get("cpu")]
    if spent:
        lines += ["", "Where the build's CPU time went (seconds, sampled from /proc; see "
                  "benchmarks/cpu.py):", ""]
        lines += [_cpu_line(r) for r in spent]
    lines += ["", "Build stages after validation: the local query store and its link index "
              "(`store`), then the first answers after the build, each a new process (seconds):",
              "", "| documents | store (after validation) | first `lineage` CLI | second "
              "| first `query theme` CLI | store made by a query instead: load + link index |",
              "|" + "---|" * 6]
    for r in rows:
        if "first_answer_cli" not in r:
            continue
        lines.append("| " + " | ".join(_fmt(x) for x in (
            f"{r['size']:,}", r["timings"].get("store"),  # type: ignore[union-attr]
            r["first_answer_cli"], r["second_answer_cli"], r["first_theme_cli"],
            f"{r['store_build']} + {r['index_build']}")) + " |")
    queried = [r for r in rows if "catalogue" in r]
    if queried:
        names = list(queried[0]["catalogue"])  # type: ignore[arg-type]
        lines += ["", "Every catalogue query, the same text bound the same way (seconds, best "
                  "of several runs): on our local store on disk (`disk`: what a one-shot "
                  "command such as `normgraph query` or `normgraph sparql` runs with no "
                  "keeper), asked of the dump's keeper (`kept`: the same command once one "
                  "holds the dump), on the store of a process that has asked enough to move "
                  "into memory (`session`: a notebook, a site), and on plain pyoxigraph in "
                  "memory; ratios to pyoxigraph, target <= 1.5x:", "",
                  "| query | " + " | ".join(f"{r['size']:,} disk | kept | session | pyoxigraph "
                                            f"| ratio disk | ratio kept | ratio session"
                                            for r in queried)
                  + " |", "|" + "---|" * (1 + 7 * len(queried))]
        for name in names:
            cells = [f"`{name}`"]
            for r in queried:
                disk, held, plain, kept = r["catalogue"][name]  # type: ignore[index]
                cells += [_fmt(disk), _fmt(kept), _fmt(held), _fmt(plain),
                          f"{disk / max(plain, 1e-6):.2f}x", f"{kept / max(plain, 1e-6):.2f}x",
                          f"{held / max(plain, 1e-6):.2f}x"]
            lines.append("| " + " | ".join(cells) + " |")
        for r in queried:
            for column, label in ((0, "on disk"), (3, "kept"), (1, "in a session")):
                ratios = {n: v[column] / max(v[2], 1e-6)
                          for n, v in r["catalogue"].items()}  # type: ignore[union-attr]
                over = sorted((n for n, x in ratios.items() if x > 1.5), key=ratios.get,
                              reverse=True)
                lines.append(f"{r['size']:,} documents, {label}: {len(ratios) - len(over)} "
                             f"of {len(ratios)} queries within 1.5x; over: "
                             + (", ".join(f"{n} {ratios[n]:.1f}x" for n in over) or "none"))
            keeper = r["keeper"]
            lines.append(f"{r['size']:,} documents: the keeper answered after "
                         f"{keeper['ready']} s (its load {keeper['load']} s), holding "  # type: ignore[index]
                         f"{keeper['mib']:,.0f} MiB; `normgraph query theme` kept "  # type: ignore[index]
                         f"{_fmt(r['theme_cli_kept'])} s wall against "
                         f"{_fmt(r['theme_cli_disk'])} s "
                         f"on disk")
            move = r["session_move"]
            lines.append(f"{r['size']:,} documents: the session moved into memory after "
                         f"{move['questions']} questions and {move['seconds']} s "  # type: ignore[index]
                         f"(load expected to take {move['estimate']} s)")  # type: ignore[index]
    lines += ["", "Queries (seconds, best of several runs; CLI = wall time of the command):", "",
              "| documents | lineage ours | ours, first call | pyoxigraph | rdflib "
              "| lineage.rq on our store | lineage CLI | theme ours | theme pyoxigraph "
              "| theme rdflib | theme CLI |", "|" + "---|" * 11]
    queried = [r for r in rows if "lineage_ours" in r]
    for r in queried:
        lines.append("| " + " | ".join(_fmt(x) for x in (
            f"{r['size']:,}", r["lineage_ours"], r["lineage_ours_first"], r["lineage_oxigraph"],
            _rdflib(r, "lineage"), r["lineage_store_sparql"], r["lineage_cli"],
            r["theme_ours"], r["theme_oxigraph"], _rdflib(r, "theme"), r["theme_cli"]))
            + " |")
    lines.append("")
    for r in queried:
        ratio = r["lineage_ours"] / r["lineage_oxigraph"]  # type: ignore[operator]
        line = (f"{r['size']:,} documents: lineage ours / pyoxigraph = {ratio:.2f}x "
                f"(target <= 1.5x)")
        if r.get("lineage_rdflib"):
            faster = r["lineage_rdflib"] / r["lineage_ours"]  # type: ignore[operator]
            line += f"; rdflib / ours = {faster:.0f}x (target >= 10x)"
        elif r.get("lineage_rdflib_over"):
            faster = r["lineage_rdflib_over"] / r["lineage_ours"]  # type: ignore[operator]
            line += (f"; rdflib / ours > {faster:.0f}x (rdflib stopped after "
                     f"{r['lineage_rdflib_over']:.0f} s; target >= 10x)")
        if r.get("rdflib_parse_over"):
            line += f"; rdflib parse stopped after {r['rdflib_parse_over']:.0f} s"
        if r.get("rdflib_parse"):
            line += (f"; rdflib parse {r['rdflib_parse']} s vs pyoxigraph load "
                     f"{r['oxigraph_load']} s")
        line += (f"; a store made by a query instead of the build: {r['store_build']} s, "
                 f"link index {r['index_build']} s")
        lines.append(line)
    ratio = shipped["lineage_80_16"] / shipped["import_rdflib"]
    lines.append(f"shipped data: `normgraph lineage 80/16` {shipped['lineage_80_16']:.3f} s wall, "
                 f"`python -c 'import rdflib'` {shipped['import_rdflib']:.3f} s: "
                 f"{ratio:.2f}x (target <= 3x)")
    return "\n".join(lines)


# -- full-text search (issue 17): its own section, run with --search ----------------------------

#: (words, filters) timed on each corpus: a common phrase, a rarer one with a kind filter, a
#: theme filter, and a date range
SEARCH_CASES = [
    ("critical infrastructure", {}),
    ("points of contact", {"kind": "resolution"}),
    ("capacity-building", {"theme": "capacity-building"}),
    ("stability and security", {"since": "1990-01-01", "until": "1999-12-31"}),
]


def search_timing(size: int, work: Path) -> dict[str, object]:
    """Index a generated corpus of ``size`` documents for full-text search (the local store
    first), then time each search of :data:`SEARCH_CASES` (best of five, in-process, the index
    opened by each call as the CLI does) and ``normgraph search`` as a new process."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE))
    import corpus

    from normgraph import api

    root = work / f"corpus-{size}"
    if not (root / "data" / "sources").is_dir():
        corpus.write(size, root)
    dump = root / "data" / "normgraph.ttl"
    if not dump.is_file():
        subprocess.run([PYTHON, __file__, "--child", str(root)], capture_output=True,
                       check=True)
    cache = Path(tempfile.mkdtemp(prefix="ng-cache-"))
    store = api.LocalStore(dump, cache=cache)
    t = time.perf_counter()
    store.store()
    out: dict[str, object] = {"size": size, "store_build": round(time.perf_counter() - t, 2)}
    t = time.perf_counter()
    db = api.search_index(store)
    out["index_build"] = round(time.perf_counter() - t, 2)
    out["paragraphs"] = db.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
    db.close()
    out["index_mib"] = round((store.home / "search.sqlite").stat().st_size / 2**20, 1)
    for words, filters in SEARCH_CASES:
        f = api.SearchFilters(**filters)
        hits = api.search_paragraphs(store, words, f)
        key = words + "".join(f" --{k} {v}" for k, v in filters.items())
        seconds = _best(lambda w=words, f=f: api.search_paragraphs(store, w, f))
        out[key] = {"seconds": round(seconds, 4),
                    "hits": len(hits), "ranked": bool(hits) and hits[0]["ranked"]}
    env = dict(os.environ, NORMGRAPH_CACHE=str(cache))
    out["cli"] = round(_wall([NORMGRAPH, "search", SEARCH_CASES[0][0], "--dump", str(dump)],
                             env=env), 3)
    shutil.rmtree(cache, ignore_errors=True)
    return out


def search_report(rows: list[dict[str, object]]) -> str:
    """The search figures as a Markdown table."""
    cases = [w + "".join(f" --{k} {v}" for k, v in f.items()) for w, f in SEARCH_CASES]
    head = ["documents", "paragraphs", "index build s", "index MiB",
            *[f"`{c}` s (hits)" for c in cases], "CLI s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [f"{r['size']:,}", f"{r['paragraphs']:,}", str(r["index_build"]),
                 str(r["index_mib"])]
        cells += [f"{r[c]['seconds']} ({r[c]['hits']}"  # type: ignore[index]
                  + ("" if r[c]["ranked"] else ", unranked") + ")" for c in cases]  # type: ignore[index]
        cells.append(str(r["cli"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "normgraph-bench")
    parser.add_argument("--rdflib-limit", type=int, default=4_000_000,
                        help="skip the rdflib baseline above this many triples")
    parser.add_argument("--build-only", action="store_true",
                        help="measure the build only (for 100,000 documents, whose queries "
                             "would load 30M triples into the baselines)")
    parser.add_argument("--rdflib-budget", type=float, default=300.0,
                        help="stop an rdflib step (parse, a query) after this many seconds")
    parser.add_argument("--search", action="store_true",
                        help="time full-text search only (index build and searches)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rdflib-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_build(args.child)
        return
    if args.rdflib_child:
        child_rdflib(Path(args.rdflib_child[0]), *args.rdflib_child[1:])
        return
    args.work.mkdir(parents=True, exist_ok=True)
    if args.search:
        found = [search_timing(size, args.work) for size in args.sizes]
        print(search_report(found))
        return
    rows = []
    for size in args.sizes:
        rows.append(measure(size, args.work, args.rdflib_limit, args.build_only,
                            args.rdflib_budget))
        print(json.dumps(rows[-1]), file=sys.stderr)
    print(report(rows, shipped_side_by_side()))


if __name__ == "__main__":
    main()
