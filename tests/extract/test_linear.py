"""The extractor reads in time linear in its input: each pattern that once made it rescan
the paragraph is timed on an input and on one ten times larger, and the larger may take at
most a small multiple of ten times as long (a quadratic pass takes a hundred times)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from normgraph.api import Document, extract

#: how much more than 10x the time a 10x input may take before we call it superlinear
SLACK = 3.0


def _paragraph_citing(n: int) -> str:
    items = ", ".join(f"{60 + k % 20}/{k % 300 + 1}" for k in range(n))
    return f"United Nations A/RES/99/1\n\nThe General Assembly,\n\nRecalling its resolutions {items},\n"


def _spaces(n: int) -> str:
    return ("United Nations A/RES/99/1\n\nThe General Assembly,\n\n"
            "1. Recommends that" + " " * (n * 50) + " resolution 75/240 be read;\n")


def _principles(n: int) -> str:
    return ("United Nations A/RES/99/1\n\nThe General Assembly,\n\n"
            "1. Decides that " + "These principles " * (n * 3) + "apply;\n")


def _footnote_calls(n: int) -> str:
    # "word1" reads as a call of footnote 1 each time; a footnote is read once, not per call
    return ("United Nations A/RES/99/1\n\nThe General Assembly,\n\n"
            "1. Recalls " + "word1 " * (n * 5) + "\n\n_____\n1 See A/70/174.\n")


def _seconds(make: Callable[[int], str], n: int) -> float:
    doc = Document(path="linear.txt", name="linear.txt", text=make(n), format="txt")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        extract(doc)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("make", [_paragraph_citing, _spaces, _principles, _footnote_calls],
                         ids=["2000-symbols", "recommends-that-spaces", "these-principles",
                              "footnote-calls"])
def test_extraction_time_is_linear(make: Callable[[int], str]) -> None:
    small, large = _seconds(make, 200), _seconds(make, 2000)
    # a floor on the small time, so that scheduling noise on a shared machine cannot fail it
    assert large <= 10 * SLACK * max(small, 0.01), (small, large)
