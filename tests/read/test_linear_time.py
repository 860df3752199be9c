"""Reading, segmenting and scanning for symbols take time linear in the input (issue 19,
item 1). Each hostile input of benchmarks/hostile.py, which once took minutes, runs at two
sizes; the larger, ten times the smaller, must take under 30 times as long (a quadratic
pattern takes 100 times). A bound relative to the same machine's small run, not a timed test
of absolute speed: CPU time of this process, the best of three small runs."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from normgraph.read.readers import MAX_FRONT_MATTER, ReadError, read_bytes
from normgraph.read.segment import segment
from normgraph.read.symbols import scan

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import hostile  # noqa: E402

SMALL = 10_000
#: below this, CPU time is mostly noise: a small run is taken as at least this long
FLOOR = 0.02


def _read_segment_scan(text: str) -> None:
    doc = read_bytes(text.encode("utf-8"), "hostile.txt")
    segment(doc)
    list(scan(doc.text))


def _cpu(text: str) -> float:
    start = time.process_time()
    _read_segment_scan(text)
    return time.process_time() - start


@pytest.mark.parametrize("name", list(hostile.INPUTS))
def test_time_is_linear_in_the_input(name: str) -> None:
    make = hostile.INPUTS[name]
    small_text, large_text = make(SMALL), make(SMALL * 10)
    assert 5 < len(large_text) / len(small_text) < 20  # the generator scales
    small = max(FLOOR, min(_cpu(small_text) for _ in range(3)))
    large = _cpu(large_text)
    assert large < 30 * small, f"{name}: {large:.2f} s at 10x the input, {small:.3f} s at 1x"


def _front_matter(size: int) -> str:
    """A document whose front matter is about ``size`` characters of keys."""
    line = "key{:07d}: value\n"
    keys = "".join(line.format(i) for i in range(size // len(line.format(0))))
    return f"---\nsymbol: A/RES/70/1\n{keys}---\n{hostile.RES}"


def test_a_huge_front_matter_is_refused_before_yaml_reads_it() -> None:
    text = _front_matter(5_000_000)
    start = time.process_time()
    with pytest.raises(ReadError, match="front matter is larger than"):
        read_bytes(text.encode("utf-8"), "big.txt")
    refused = time.process_time() - start
    # YAML on 5 MB would cost 20 times the reading of a front matter at the limit
    at_limit = min(_cpu(_front_matter(MAX_FRONT_MATTER - 1000)) for _ in range(2))
    assert refused < 2 * max(FLOOR, at_limit)


def test_a_front_matter_under_the_limit_is_read() -> None:
    doc = read_bytes(_front_matter(MAX_FRONT_MATTER - 1000).encode("utf-8"), "f.txt")
    assert doc.metadata["symbol"] == "A/RES/70/1"
