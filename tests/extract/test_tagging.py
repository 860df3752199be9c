"""Norm and theme tagging: scored against the hand-checked gold (tests/gold/tags), and the
grammar it rests on (stems, a norm's cue in a prescriptive sentence, small gaps) on forms the
gold does not hold."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from normgraph import api
from normgraph.graph.phrases import GAP, PhraseMatcher, normative_sentences

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import extraction  # noqa: E402


def test_norm_tagging_meets_the_bar_on_the_gold() -> None:
    totals, misses, present = extraction.evaluate_tags()
    assert present >= 1
    norms = totals["norms"]
    assert norms.tp >= 4  # the report alone holds four restatements
    assert norms.precision >= 0.9 and norms.recall >= 0.9, misses
    assert totals["themes"].precision >= 0.9 and totals["themes"].recall >= 0.9, misses


@pytest.mark.corpus
def test_gold_covers_the_corpus(corpus) -> None:
    _, _, present = extraction.evaluate_tags()
    assert present == 10


@pytest.fixture(scope="module")
def reference():
    return api.load_reference()


@pytest.mark.parametrize("text, norms", [
    # the report's paragraph 31: 13(f) in the first sentence, 13(g) in the second
    ("States should not conduct or knowingly support ICT activity contrary to their obligations "
     "under international law that intentionally damages critical infrastructure. Furthermore, "
     "States should continue to strengthen measures to protect of all critical infrastructure "
     "from ICT threats.", ["13(f)", "13(g)"]),
    # a paraphrase in no source: plural, "own", "against"
    ("Member States should protect their own critical infrastructures against ICT threats.",
     ["13(g)"]),
    ("The General Assembly calls upon States to take reasonable steps to ensure the integrity "
     "of their supply chains so that end users can have confidence in the security of ICT "
     "products.", ["13(i)"]),
    # fearing or describing the threat is no restatement
    ("Expressing concern that embedding harmful hidden functions in ICTs could be used in ways "
     "that would affect the ICT supply chain,", []),
    ("ICT activity that intentionally damages critical infrastructure could pose a threat to "
     "security.", []),
    # the words too far apart
    ("States should protect, whenever the circumstances of the case allow it, critical "
     "infrastructure from ICT threats.", []),
])
def test_norm_restatements(reference, text, norms) -> None:
    assert reference.tags_in(text)[1] == norms


@pytest.mark.parametrize("text, theme", [
    ("including terrorists and criminal groups", "terrorism-crime"),
    ("combating the criminal misuse of information technologies", "terrorism-crime"),
    ("support to Computer Emergency Response Teams (CERTs)", "cert-csirt"),
    ("a directory of such Points of Contact", "points-of-contact"),
])
def test_theme_tags_by_stem(reference, text, theme) -> None:
    assert theme in reference.tags_in(text)[0]


def test_theme_words_must_be_adjacent_and_whole(reference) -> None:
    themes, _ = reference.tags_in("the supply of a chain; non-discriminatory access")
    assert "supply-chain" not in themes and "terrorism-crime" not in themes


def test_gap_is_a_bound() -> None:
    matcher = PhraseMatcher(["protect critical infrastructure"], loose=True)
    filler = " ".join(["x"] * GAP)
    assert matcher.found(f"States should protect {filler} critical infrastructure.")
    assert not matcher.found(f"States should protect {filler} x critical infrastructure.")


def test_normative_sentences() -> None:
    text = ("States concluded that threats grow. States should cooperate. They are called upon "
            "to act. Concern was expressed.")
    assert normative_sentences(text) == ["States should cooperate.",
                                         "They are called upon to act."]
