"""Reading: a Turtle dump into rdflib (rdflib's own parser beside ``api.load_graph``, which
parses with pyoxigraph), and UN PDFs laid out as text (pdfminer.six) beside reading the same
documents as text.

    python benchmarks/load.py                       # the shipped dump, the fixture PDF
    python benchmarks/load.py DUMP.ttl ...          # other dumps (e.g. a built corpus)

Generated corpora come from ``benchmarks/corpus.py``; build one and pass its dump.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    from rdflib import Graph

    from normgraph import api
    from normgraph.read.readers import read_bytes

    dumps = [Path(a) for a in sys.argv[1:]] or [ROOT / "data" / "normgraph.ttl"]
    for dump in dumps:
        triples = len(api.load_graph(dump))
        plain = _best(lambda d=dump: Graph().parse(d, format="turtle"))
        fast = _best(lambda d=dump: api.load_graph(d))
        print(f"{dump.name}: {triples} triples; rdflib parser {plain:.2f} s, "
              f"load_graph (pyoxigraph) {fast:.2f} s, {plain / fast:.1f}x")
    pdf = ROOT / "tests" / "fixtures" / "pdf" / "A_RES_75_240.pdf"
    data = pdf.read_bytes()
    seconds = _best(lambda: read_bytes(data, pdf.name))
    text = ROOT.parent / "shared" / "corpus" / "A_RES_75_240.txt"
    line = f"{pdf.name} ({len(data)} bytes, 4 pages): read in {seconds:.2f} s"
    if text.is_file():
        raw = text.read_bytes()
        line += f"; its text in {_best(lambda: read_bytes(raw, text.name)):.3f} s"
    print(line)


if __name__ == "__main__":
    main()
