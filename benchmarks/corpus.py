"""A deterministic generator of UN-like corpora for benchmarks: source texts, not triples, so
the whole pass (read, extract, graph, validate, write) is measured.

Each document is a General Assembly resolution in the layout of a PDF extract: masthead,
adoption line, "NN/N. Title", "The General Assembly,", preambular and operative paragraphs
(15 in all) with 3-6 typed references to earlier generated instruments and reports, some with
their dates, some in footnotes. ``ground_truth`` says which references each document states.

    python benchmarks/corpus.py 1000 /tmp/corpus-1000     # writes data/sources + catalog.yaml
"""

from __future__ import annotations

import datetime
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
TOPICS = ["information and telecommunications in the context of international security",
          "the protection of critical infrastructure", "capacity-building in the use of ICTs",
          "points of contact for ICT incidents", "supply chain security of ICT products",
          "responsible reporting of ICT vulnerabilities", "the role of regional organizations"]
PRE = [("Recalling", "recalls", "its resolution"), ("Reaffirming", "reaffirms", "its resolution"),
       ("Welcoming", "welcomes", "the report"), ("Noting", "notes", "the report"),
       ("Taking note of", "takes note of", "the report")]
OPS = [("Welcomes", "welcomes"), ("Endorses", "endorses"), ("Takes note of", "takes note of"),
       ("Recalls", "recalls"), ("Notes", "notes")]
FILLER = ("States should continue to cooperate in developing and applying measures to increase "
          "stability and security in the use of ICTs, taking into account the views of Member "
          "States, regional organizations and other relevant stakeholders")


@dataclass
class Doc:
    symbol: str
    date: datetime.date
    title: str
    # (symbol, relation, paragraph, date) of every reference the text states
    refs: list[tuple[str, str, str, str | None]] = field(default_factory=list)


def _spoken(d: datetime.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _short(symbol: str) -> str:
    return symbol.split("/", 2)[2]  # A/RES/70/12 -> 70/12


def generate(n: int, seed: int = 7) -> tuple[list[tuple[str, str]], list[Doc]]:
    """``n`` documents as (file name, text) pairs, and their ground truth."""
    rng = random.Random(seed)
    docs: list[Doc] = []
    files: list[tuple[str, str]] = []
    per_session = max(50, n // 40)
    start = datetime.date(1990, 1, 1)
    for i in range(n):
        session = 45 + i // per_session
        number = 1 + i % per_session
        symbol = f"A/RES/{session}/{number}"
        date = start + datetime.timedelta(days=(i * 3) % 365 + 365 * (i // per_session))
        doc = Doc(symbol, date, f"Developments in {rng.choice(TOPICS)} ({i})")
        paragraphs: list[str] = []
        footnotes: list[str] = []
        earlier = docs[-200:]
        # 6 preambular, 9 operative paragraphs; references in about a third of them
        for k in range(6):
            verb, rel, noun = PRE[(i + k) % len(PRE)]
            label = f"pp{k + 1}"
            if earlier and k < 4 and rng.random() < 0.7:
                target = rng.choice(earlier)
                if noun.startswith("its resolution"):
                    text = (f"{verb} {noun} {_short(target.symbol)} of {_spoken(target.date)}, "
                            f"and {FILLER.lower()},")
                    doc.refs.append((target.symbol, rel, label, target.date.isoformat()))
                else:
                    report = f"A/{target.symbol.split('/')[2]}/{100 + rng.randrange(800)}"
                    footnotes.append(report)
                    text = (f"{verb} {noun} of the Secretary-General,{len(footnotes)} and "
                            f"{FILLER.lower()},")
                    doc.refs.append((report, rel, label, None))
            else:
                text = f"{verb} that {FILLER.lower()},"
            paragraphs.append(text)
        for k in range(9):
            verb, rel = OPS[(i + k) % len(OPS)]
            label = str(k + 1)
            if earlier and k < 3 and rng.random() < 0.6:
                target = rng.choice(earlier)
                report = f"A/{target.symbol.split('/')[2]}/{100 + rng.randrange(800)}"
                text = f"{k + 1}. {verb} the report contained in document {report};"
                doc.refs.append((report, rel, label, None))
            else:
                text = f"{k + 1}. Calls upon Member States to ensure that {FILLER.lower()};"
            paragraphs.append(text)
        body = "\n\n".join(paragraphs)
        notes = ""
        if footnotes:
            notes = "\n\n__________________\n" + "\n".join(
                f"{j + 1} {sym}." for j, sym in enumerate(footnotes))
        text = (f"United Nations {symbol}\n\nGeneral Assembly\n\n"
                f"Resolution adopted by the General Assembly on {_spoken(date)}\n\n"
                f"{session}/{number}. {doc.title}\n\nThe General Assembly,\n\n{body}\n\n"
                f"{40 + k}th plenary meeting\n{_spoken(date)}{notes}\n")
        files.append((f"{i:06d}.txt", text))
        docs.append(doc)
    return files, docs


def write(n: int, root: Path, seed: int = 7) -> list[Doc]:
    """A project folder (data/sources, data/catalog.yaml) with ``n`` generated documents."""
    files, docs = generate(n, seed)
    sources = root / "data" / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    for name, text in files:
        (sources / name).write_text(text, encoding="utf-8")
    (root / "data" / "catalog.yaml").write_text("documents: []\n", encoding="utf-8")
    (root / "ground_truth.json").write_text(json.dumps(
        [{"symbol": d.symbol, "refs": d.refs} for d in docs]), encoding="utf-8")
    return docs


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/normgraph-corpus-{count}")
    write(count, out)
    print(f"wrote {count} documents to {out}")
