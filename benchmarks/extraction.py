"""Extraction accuracy: precision, recall and F1 per relation type and overall, against the
hand-checked gold files in tests/gold/ (the seeds), tests/gold/corpus/ (real UN resolutions
of the General Assembly's ICT-security line, shipped in data/sources), tests/gold/fixtures/
(synthetic documents of every form) and tests/gold/real/ (UN resolutions on other topics);
then the symbols found per series (GA resolution, decision, report, HRC, SC, ECOSOC, draft,
other) over all of them; then the norm and theme tags against
tests/gold/tags/restatements.yaml (the report 003 and the corpus resolutions).

    python benchmarks/extraction.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from normgraph import api
from normgraph.extract.evaluate import (
    Score,
    expected_references,
    expected_tags,
    found_references,
    found_tags,
    load_gold,
    score,
)
from normgraph.read.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[1]


def series(symbol: str) -> str:
    """The series a symbol belongs to, for the per-series figures."""
    import re

    rules = [(r"A/(?:C\.\d+/)?\d+/L\.", "draft"), (r"A/HRC/", "HRC"), (r"S/", "SC"),
             (r"E/(?:RES|DEC)/", "ECOSOC"), (r"A/RES/", "GA resolution"),
             (r"A/DEC/", "decision"), (r"A/\d+/\d+", "report")]
    return next((name for pattern, name in rules if re.match(pattern, symbol)), "other")


def evaluate(gold_dir: Path, source_dir: Path, by: str = "relation"
             ) -> tuple[dict[str, Score], list[str]]:
    catalog = load_catalog(ROOT / "data" / "catalog.yaml")
    totals: dict[str, Score] = {}
    misses: list[str] = []
    for gold_path in sorted(gold_dir.glob("*.yaml")):
        gold = load_gold(gold_path)
        source = source_dir / gold["file"]
        if not source.exists():
            continue
        (extraction,), errors = api.ingest([source], catalog=catalog)
        assert not errors, errors
        exp, got = expected_references(gold), found_references(extraction)
        if by == "series":  # score the symbols found, whatever their relation
            exp = {(p, series(s), s) for p, _, s in exp}
            got = {(p, series(s), s) for p, _, s in got}
        for relation, s in score(exp, got).items():
            totals.setdefault(relation, Score()).add(s)
        misses += [f"  missed   {gold['file']} {t}" for t in sorted(exp - got)]
        misses += [f"  spurious {gold['file']} {t}" for t in sorted(got - exp)]
    return totals, misses


def table(title: str, totals: dict[str, Score], head: str = "relation") -> str:
    lines = [title, f"  {head:<34} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for relation, s in sorted(totals.items(), key=lambda kv: (kv[0] == "overall", kv[0])):
        lines.append(f"  {relation:<34} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                     f"{s.tp:4} {s.fp:4} {s.fn:4}")
    return "\n".join(lines)


TAG_GOLD = ROOT / "tests" / "gold" / "tags" / "restatements.yaml"


def evaluate_tags(gold_path: Path = TAG_GOLD) -> tuple[dict[str, Score], list[str], int]:
    """Norm and theme tagging scored against the tag gold: ``{"norms": Score, "themes":
    Score}``, the misses, and how many gold documents were present to score."""
    gold = load_gold(gold_path)
    themes = list(gold["themes"])
    catalog = load_catalog(ROOT / "data" / "catalog.yaml")
    # the corpus resolutions are shipped sources now
    folders = {"sources": ROOT / "data" / "sources", "corpus": ROOT / "data" / "sources"}
    totals = {"norms": Score(), "themes": Score()}
    misses: list[str] = []
    present = 0
    for document in gold["documents"]:
        source = folders[document["where"]] / document["file"]
        if not source.exists():
            continue
        present += 1
        (extraction,), errors = api.ingest([source], catalog=catalog)
        assert not errors, errors
        exp_norms, exp_themes = expected_tags(document, themes)
        unsure = (document.get("unsure") or {}).get("norms", [])
        got_norms, got_themes = found_tags(document["file"], extraction, themes, unsure)
        for kind, exp, got in (("norms", exp_norms, got_norms),
                               ("themes", exp_themes, got_themes)):
            totals[kind].add(Score(len(exp & got), len(got - exp), len(exp - got)))
            misses += [f"  missed   {kind} {t}" for t in sorted(exp - got)]
            misses += [f"  spurious {kind} {t}" for t in sorted(got - exp)]
    return totals, misses, present


def main() -> int:
    seeds, seed_misses = evaluate(ROOT / "tests" / "gold", ROOT / "data" / "sources")
    print(table("Seeds (data/sources, tests/gold)", seeds))
    print("\n".join(seed_misses) or "  (no misses)")
    corpus, corpus_misses = evaluate(ROOT / "tests" / "gold" / "corpus", ROOT / "data" / "sources")
    print()
    print(table("UN resolutions of the line (data/sources, tests/gold/corpus)", corpus))
    print("\n".join(corpus_misses) or "  (no misses)")
    real, real_misses = evaluate(ROOT / "tests" / "gold" / "real",
                                 ROOT / "tests" / "fixtures" / "real")
    print()
    print(table("UN resolutions on other topics (tests/fixtures/real, tests/gold/real)", real))
    print("\n".join(real_misses) or "  (no misses)")
    fixtures, fixture_misses = evaluate(ROOT / "tests" / "gold" / "fixtures",
                                        ROOT / "tests" / "fixtures")
    print()
    print(table("Synthetic fixtures of every form (tests/fixtures, tests/gold/fixtures)",
                fixtures))
    print("\n".join(fixture_misses) or "  (no misses)")
    per_series: dict[str, Score] = {}
    for gold_dir, source_dir in ((ROOT / "tests" / "gold", ROOT / "data" / "sources"),
                                 (ROOT / "tests" / "gold" / "corpus", ROOT / "data" / "sources"),
                                 (ROOT / "tests" / "gold" / "fixtures",
                                  ROOT / "tests" / "fixtures"),
                                 (ROOT / "tests" / "gold" / "real",
                                  ROOT / "tests" / "fixtures" / "real")):
        if source_dir.is_dir():
            for name, s in evaluate(gold_dir, source_dir, by="series")[0].items():
                per_series.setdefault(name, Score()).add(s)
    print()
    print(table("Symbols found per series, all gold files (whatever the relation)",
                per_series, head="series"))
    tags, tag_misses, present = evaluate_tags()
    print()
    print(table(f"Norm and theme tags ({present} documents, tests/gold/tags)", tags))
    print("\n".join(tag_misses) or "  (no misses)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
