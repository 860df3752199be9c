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

__all__ = ["Score", "load_gold", "found_references", "expected_references", "score"]

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
