"""Accuracy of the extractor against hand-checked gold files (tests/gold/*.yaml).

>>> s = Score(tp=9, fp=1, fn=0)
>>> round(s.precision, 2), round(s.recall, 2), round(s.f1, 3)
(0.9, 1.0, 0.947)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..model import Extraction

__all__ = ["Score", "load_gold", "found_references", "expected_references", "score",
           "expected_tags", "found_tags"]

Triple = tuple[str, str, str]  # (paragraph, relation, symbol)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


def load_gold(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: not a mapping"
    return data


def expected_references(gold: dict[str, Any]) -> set[Triple]:
    return {(str(p), str(r), str(s)) for p, r, s in gold.get("references", [])}


def found_references(extraction: Extraction) -> set[Triple]:
    return {(r.paragraph, r.relation, r.symbol) for r in extraction.references}


def score(expected: Iterable[Triple], found: Iterable[Triple]) -> dict[str, Score]:
    """Per relation and ``overall``: true positives, false positives, false negatives."""
    exp, got = set(expected), set(found)
    out: dict[str, Score] = {}
    for relation in sorted({t[1] for t in exp | got}):
        e = {t for t in exp if t[1] == relation}
        g = {t for t in got if t[1] == relation}
        out[relation] = Score(len(e & g), len(g - e), len(e - g))
    overall = Score()
    for s in out.values():
        overall.add(s)
    out["overall"] = overall
    return out


# -- norm and theme tags ---------------------------------------------------------------------------

Tag = tuple[str, str, str]  # (file, paragraph, norm notation or theme key)


def expected_tags(document: dict[str, Any], themes: Iterable[str]) -> tuple[set[Tag], set[Tag]]:
    """(norm tags, theme tags) a gold document of ``tests/gold/tags/`` expects; theme tags only
    for the annotated ``themes``."""
    name = str(document["file"])
    norms = {(name, str(p), str(n)) for p, ns in (document.get("norms") or {}).items()
             for n in ns}
    wanted = set(themes)
    tagged = {(name, str(p), str(t)) for t, ps in (document.get("themes") or {}).items()
              if t in wanted for p in ps}
    return norms, tagged


def found_tags(name: str, extraction: Extraction, themes: Iterable[str],
               unsure: Iterable[str] = ()) -> tuple[set[Tag], set[Tag]]:
    """(norm tags, theme tags) the extractor gave, leaving out the paragraphs the gold marks as
    unsure for norms and the themes it did not annotate."""
    wanted, skip = set(themes), {str(p) for p in unsure}
    norms = {(name, p, n) for p, ns in extraction.norms.items() if p not in skip for n in ns}
    tagged = {(name, p, t) for p, ts in extraction.themes.items() for t in ts if t in wanted}
    return norms, tagged
