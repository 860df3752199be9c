"""Hostile inputs for the read stage, and the time `normgraph ingest` takes on each.

Each input is made at a size ``n`` (characters or repetitions, roughly linear in bytes) to
defeat one pattern that was once super-linear: ``^\\s*`` under re.M over blank lines, two
whitespace runs side by side (``\\s*:?\\s*$``), a search ahead from every keyword, a copy of
the whole text per running header, a rescan of earlier units per line. tests/read/
test_linear_time.py runs every input at two sizes and bounds the ratio of the times.

    .venv/bin/python benchmarks/hostile.py 100000          # one size, every input
    .venv/bin/python benchmarks/hostile.py 10000 100000    # two sizes, and their ratio

Each run is stopped after LIMIT seconds. The times include start-up (about a second) and
extraction (extract/records.py), which is outside the read stage.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RES = "The General Assembly,\n\nRecalling its resolution 75/240 of 31 December 2020,\n\n"


def _blank_lines(n: int) -> str:
    return RES + "\n" * n + "1. Welcomes the report A/79/214;\n"


def _space_lines(n: int) -> str:
    return RES + " \n" * (n // 2) + "1. Welcomes the report A/79/214;\n"


def _padded_title(n: int) -> str:
    return f"---\nsymbol: A/RES/70/1\ntitle: Title{' ' * n}x\n---\n{RES}1. Recalls;\n"


def _markdown_blank_lines(n: int) -> str:
    # a link makes the text Markdown, whose bullet pattern then tries every line start
    return "See [75/240](#).\n" + "\n" * n + "The end.\n"


def _open_links(n: int) -> str:
    return "[a](" * (n // 4)


def _padded_page_line(n: int) -> str:
    return RES + "1. Recalls;\n" + "Page 1" + " " * n + "x\n"


def _running_headers(n: int) -> str:
    return RES + "1. Recalls;\n" + "Page 2\n" * (n // 7)


def _running_title(n: int) -> str:
    title = "Developments in the field of information and telecommunications"
    return (f"---\nsymbol: A/RES/70/1\ntitle: {title}\n---\n{RES}1. Recalls;\n"
            + "in the field of information\nmore text of the paragraph\n" * (n // 56))


def _footnotes_then_text(n: int) -> str:
    notes = "".join(f"{i % 90 + 1} See A/70/174.\n" for i in range(n // 40))
    return RES + "1. Recalls the report\n" + "_____\n" + notes + "continued text\n" * (n // 30)


def _keywords(n: int) -> str:
    return "resolution " * (n // 11)


def _keyword_then_spaces(n: int) -> str:
    return ("resolutions" + " " * 99) * (n // 110)


def _list_then_spaces(n: int) -> str:
    return ("resolutions 70/1 and" + " " * 80 + "x ") * (n // 102)


def _many_symbols(n: int) -> str:
    items = ", ".join(f"{70 + i % 9}/{i % 999 + 1}" for i in range(n // 8))
    return f"{RES}1. Recalls its resolutions {items};\n"


def _recommends_spaces(n: int) -> str:
    return ("1. First.\n\n2. Second.\n\n3. Third.\n\n4. Fourth.\n\n5. Fifth.\n\n6. Sixth.\n\n"
            "The group recommends that" + " " * n + "x\n")


def _meeting_after_blank_lines(n: int) -> str:
    return RES + "1. Recalls;\n" + "\n" * n + "80th plenary meeting\n"


def _footnote_calls(n: int) -> str:
    return RES + "1. Recalls " + "word1 " * (n // 6) + "\n\n_____\n1 See A/70/174.\n"


def _long_paragraph(n: int) -> str:
    return RES + "1. Recalls\n" + "capacity-\nbuilding and more\n" * (n // 28)


#: name -> text of about ``n`` characters
INPUTS: dict[str, Callable[[int], str]] = {
    "blank lines": _blank_lines,
    "lines of one space": _space_lines,
    "front-matter title padded with spaces": _padded_title,
    "Markdown with blank lines": _markdown_blank_lines,
    "unclosed Markdown links": _open_links,
    "page-number line padded with spaces": _padded_page_line,
    "running headers": _running_headers,
    "running title": _running_title,
    "footnotes, then text": _footnotes_then_text,
    "keywords without symbols": _keywords,
    "keyword, then spaces": _keyword_then_spaces,
    "list, then spaces": _list_then_spaces,
    "a paragraph citing many symbols": _many_symbols,
    "'recommends that', then spaces": _recommends_spaces,
    "meeting line after blank lines": _meeting_after_blank_lines,
    "footnote calls": _footnote_calls,
    "a paragraph of many lines": _long_paragraph,
}


#: a run is stopped after this many seconds and shown as "> LIMIT s"
LIMIT = 300.0


def ingest_time(text: str, folder: Path) -> tuple[float, int | None]:
    """(seconds, exit code) of `normgraph ingest` on one file holding ``text``; the code is
    None when the run was stopped at :data:`LIMIT` seconds."""
    path = folder / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    exe = str(Path(sys.executable).with_name("normgraph"))
    start = time.perf_counter()
    try:
        proc = subprocess.run([exe, "ingest", str(path)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        return LIMIT, None
    return time.perf_counter() - start, proc.returncode


def main(sizes: list[int]) -> None:
    """Print, per input and size, the wall time of `normgraph ingest` (a Markdown table), and
    the peak memory of the largest run."""
    two = len(sizes) == 2
    print(f"| input | {' | '.join(f'n = {n:,}' for n in sizes)} |" + (" ratio |" if two else ""))
    print("|---" * (len(sizes) + 1 + two) + "|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in INPUTS.items():
            times = [ingest_time(make(n), Path(tmp)) for n in sizes]
            cells = " | ".join(f"{s:.2f} s (exit {code})" if code is not None
                               else f"> {LIMIT:.0f} s" for s, code in times)
            ratio = f" {times[1][0] / times[0][0]:.1f} |" if two else ""
            print(f"| {name} | {cells} |{ratio}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak memory of the largest run: {peak:.0f} MiB")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000])
