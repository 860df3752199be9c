"""How a curated phrase (a theme's label, a norm's cue) is found in a paragraph.

Text and phrases are cut into words and each word reduced to a crude stem (plural, -ed, -ing
and a final e dropped), so "terrorists" finds "terrorist" and "infrastructures" finds
"infrastructure". A theme phrase must occur as a run of stems. A norm's cue is looser, because
instruments restate a norm in their own grammar: its content words (stop words left out) must
occur in order, with at most :data:`GAP` other words between two of them, inside one sentence
that prescribes conduct (should, must, shall, called upon, ...). A sentence that only fears a
threat ("Expressing concern that ... could ...") or describes one ("... could pose a threat")
echoes a norm's words without restating it, and is not tagged.

>>> PhraseMatcher(["protect their critical infrastructure from ICT threats"], loose=True
...               ).found("States should strengthen measures to protect of all critical "
...                       "infrastructure from ICT threats.")
True
>>> PhraseMatcher(["terrorist use", "terrorist"]).found("including terrorists and criminals")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["GAP", "PhraseIndex", "PhraseMatcher", "stems", "normative_sentences"]

#: at most this many other words between two content words of a norm's cue
GAP = 3

_WORD = re.compile(r"\w+")
# words a restatement may change freely ("their" for "its", "all" added); never a cue's content
_STOP = frozenset(
    "a all an and any as at be by each for from in into its of on or other such that the their "
    "them these this those to which with".split())
# the grammar of prescription in UN texts: a sentence that asks for conduct
_NORMATIVE = re.compile(
    r"\b(?:should|must|shall|ought to|called upon|calls? upon|urges?|are encouraged|"
    r"is encouraged|commit(?:s|ted)? to|undertakes? to|agreed? to)\b", re.I)
# a sentence ends at . ! ? followed by a capital, an opening quote or bracket
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"(])")


def _normalise(text: str) -> str:
    """Lower case, line-break hyphens joined, curly apostrophes straightened."""
    if "\n" in text:  # (a paragraph's text is joined on one line already)
        text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return text.replace("\u2019", "'").lower()


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    """The stems of the words of ``text``, in order.

    >>> stems("Protecting critical infrastructures")
    ['protect', 'critical', 'infrastructur']
    """
    return list(map(_stem, _WORD.findall(_normalise(text))))


def normative_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that prescribe conduct (should, must, shall, called upon...)."""
    return [s for s in _SENTENCE_END.split(text) if _NORMATIVE.search(s)]


@lru_cache(maxsize=16)
def _prescriptive_stems(text: str) -> tuple[list[str], ...]:
    """The stems of each prescriptive sentence of ``text`` (kept for the few matchers that
    look at one paragraph in turn)."""
    return tuple(stems(s) for s in normative_sentences(text))


def _in_order(wanted: tuple[str, ...], words: list[str], gap: int) -> bool:
    """Whether ``wanted`` occurs in ``words`` in order, each at most ``gap`` words after the
    one before (``gap`` 0: a contiguous run)."""
    first, rest = wanted[0], wanted[1:]
    start = -1
    try:
        while True:
            start = words.index(first, start + 1)  # the next place the first word stands
            at = start
            for nxt in rest:
                window = words[at + 1: at + 2 + gap]
                if nxt not in window:
                    break
                at = at + 1 + window.index(nxt)
            else:
                return True
    except ValueError:  # no further place
        return False


@dataclass
class PhraseMatcher:
    """Finds any of ``phrases`` in a text: as a run of stems, or with ``loose`` as a norm cue
    (content words in order, small gaps, in a prescriptive sentence)."""

    phrases: Iterable[str]
    loose: bool = False
    _seqs: list[tuple[str, ...]] = field(init=False, default_factory=list)
    _needed: list[frozenset[str]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        for phrase in self.phrases:
            seq = tuple(w for w in stems(phrase) if not (self.loose and w in _STOP))
            if seq and seq not in self._seqs:
                self._seqs.append(seq)
                self._needed.append(frozenset(seq))

    def __bool__(self) -> bool:
        return bool(self._seqs)

    def found(self, text: str, words: list[str] | None = None,
              present: frozenset[str] | None = None) -> bool:
        """Whether a phrase occurs in ``text`` (``words``, ``present``: its stems in order and
        as a set, when the caller tries several matchers on one text)."""
        words = stems(text) if words is None else words
        present = frozenset(words) if present is None else present
        return any(need <= present and _occurs(seq, self.loose, text, words)
                   for seq, need in zip(self._seqs, self._needed, strict=True))


def _occurs(seq: tuple[str, ...], loose: bool, text: str, words: list[str]) -> bool:
    """Whether the stems ``seq`` occur in ``text`` (``words``: its stems): as a run, or with
    ``loose`` in order with small gaps inside one prescriptive sentence."""
    if not loose:
        return _in_order(seq, words, 0)
    return any(_in_order(seq, sentence_words, GAP)
               for sentence_words in _prescriptive_stems(text))


class PhraseIndex:
    """Keyed matchers tried on one text together: which keys have a phrase in it, in the
    matchers' order. Each phrase is filed under its longest stem, so a text is tested only
    against the phrases whose every stem it holds, whatever the number of matchers.

    >>> PhraseIndex([("a", PhraseMatcher(["critical infrastructure"])),
    ...              ("b", PhraseMatcher(["terrorist use"]))]).keys_in("Critical infrastructures")
    ['a']
    """

    def __init__(self, matchers: Iterable[tuple[str, PhraseMatcher]]) -> None:
        self._keys: list[str] = []
        self._filed: dict[str, list[tuple[int, tuple[str, ...], frozenset[str], bool]]] = {}
        for number, (key, matcher) in enumerate(matchers):
            self._keys.append(key)
            for seq, need in zip(matcher._seqs, matcher._needed, strict=True):
                longest = max(seq, key=len)
                self._filed.setdefault(longest, []).append((number, seq, need, matcher.loose))

    def keys_in(self, text: str, words: list[str] | None = None,
                present: frozenset[str] | None = None) -> list[str]:
        """The keys of the matchers that find a phrase in ``text`` (``words``, ``present``:
        its stems in order and as a set, as for :meth:`PhraseMatcher.found`)."""
        words = stems(text) if words is None else words
        present = frozenset(words) if present is None else present
        hits: set[int] = set()
        for stem in present.intersection(self._filed):
            for number, seq, need, loose in self._filed[stem]:
                if number not in hits and need <= present and _occurs(seq, loose, text, words):
                    hits.add(number)
        return [self._keys[number] for number in sorted(hits)]
