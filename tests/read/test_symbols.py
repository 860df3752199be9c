"""The symbol module: parse/format round trips, every form DOMAIN.md lists, and no crash on
any text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normgraph.read.symbols import SymbolError, is_symbol, parse, scan


@pytest.mark.parametrize(
    ("text", "canonical", "kind"),
    [
        ("A/RES/80/16", "A/RES/80/16", "resolution"),
        ("a/res/80/16", "A/RES/80/16", "resolution"),
        ("80/16", "A/RES/80/16", "resolution"),
        ("A/DEC/77/512", "A/DEC/77/512", "decision"),
        ("A/79/214", "A/79/214", "report"),
        ("A/68/98*", "A/68/98", "report"),
        ("A/79/214/Add.1", "A/79/214/Add.1", "report"),
        ("A/79/214/add.1", "A/79/214/Add.1", "report"),
        ("A/AC.292/2024/INF/5", "A/AC.292/2024/INF/5", "document"),
        ("A/AC.292/2025/INF/5/Rev.1", "A/AC.292/2025/INF/5/Rev.1", "document"),
        ("A/AC.292/2025/CRP.1", "A/AC.292/2025/CRP.1", "document"),
        ("A/79/403", "A/79/403", "report"),
        ("43/78 H", "A/RES/43/78H", "resolution"),
        ("43/78(H)", "A/RES/43/78H", "resolution"),
        ("A/RES/43/78 H", "A/RES/43/78H", "resolution"),
        ("A/HRC/RES/20/8", "A/HRC/RES/20/8", "resolution"),
        ("S/RES/1373 (2001)", "S/RES/1373(2001)", "resolution"),
        ("1996/31", "E/RES/1996/31", "resolution"),
        ("A/C.1/79/L.62", "A/C.1/79/L.62", "document"),
        ("A/RES/ES-10/1", "A/RES/ES-10/1", "resolution"),
    ],
)
def test_parse_forms(text: str, canonical: str, kind: str) -> None:
    sym = parse(text)
    assert sym.symbol == canonical
    assert sym.kind == kind
    assert parse(sym.symbol).symbol == canonical  # canonical form is a fixed point


def test_reissue_asterisk_is_kept_as_a_flag() -> None:
    assert parse("A/68/98*").reissued and not parse("A/68/98").reissued


def test_decision_series() -> None:
    assert parse("77/512", series="decision").symbol == "A/DEC/77/512"


@pytest.mark.parametrize(
    "bad",
    ["", "A/RES/80/16/16/x", "80", "A/RES/80", "hello", "A/RES/80/16; DROP ALL", "80/16}",
     "A/RES/80/16\n", "x" * 200, "A//79/214", "80/16/1"],
)
def test_malformed_symbols_raise(bad: str) -> None:
    with pytest.raises(SymbolError):
        parse(bad.rstrip("\n") + ("\nx" if bad.endswith("\n") else ""))
    assert not is_symbol(bad + "#")


def test_scan_lists_with_dates_and_series() -> None:
    text = ("Recalling its resolutions 75/240 of 31 December 2020 and 76/19 of 6 December 2021, "
            "as well as its decisions 77/512 of 7 December 2022 and 78/541, "
            "annex C to document A/79/214 and resolution 43/78(H)")
    found = [(m.symbol.symbol, m.date, m.annex) for m in scan(text)]
    assert found == [
        ("A/RES/75/240", "2020-12-31", None),
        ("A/RES/76/19", "2021-12-06", None),
        ("A/DEC/77/512", "2022-12-07", None),
        ("A/DEC/78/541", None, None),
        ("A/79/214", None, "C"),
        ("A/RES/43/78H", None, None),
    ]


def test_scan_shared_date_and_footnote_list() -> None:
    found = [(m.symbol.symbol, m.date) for m in scan("resolutions 74/28 and 74/29 of 12 December 2019")]
    assert found == [("A/RES/74/28", "2019-12-12"), ("A/RES/74/29", "2019-12-12")]
    assert [m.symbol.symbol for m in scan("A/65/201, A/68/98* and A/70/174.")] == [
        "A/65/201", "A/68/98", "A/70/174"]


def test_scan_needs_a_keyword_for_short_forms() -> None:
    assert list(scan("held on 12/7 in room 2/4")) == []
    assert [m.symbol.symbol for m in scan("Human Rights Council resolution 20/8")] == [
        "A/HRC/RES/20/8"]


@given(st.text(max_size=200))
def test_parse_never_crashes(text: str) -> None:
    try:
        sym = parse(text)
    except SymbolError:
        return
    assert parse(sym.symbol) == sym.__class__(sym.symbol, sym.kind, False) or sym.reissued


@given(st.text(max_size=400))
def test_scan_never_crashes(text: str) -> None:
    for m in scan(text):
        assert 0 <= m.start < m.end <= len(text)
        assert parse(m.symbol.symbol).symbol == m.symbol.symbol


@given(st.integers(1, 999), st.integers(1, 9999), st.sampled_from(["", "H", "A"]))
def test_round_trip_resolutions(session: int, number: int, part: str) -> None:
    sym = parse(f"A/RES/{session}/{number}{(' ' + part) if part else ''}")
    assert sym.symbol == f"A/RES/{session}/{number}{part}"
    assert parse(sym.short).symbol == sym.symbol
