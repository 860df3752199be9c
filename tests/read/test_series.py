"""The series of a reference: the body named before the number decides, lists carry it, and an
unknown body's mention stays unresolved; every symbol form of the UN system's series."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normgraph.read.symbols import parse, scan_all


def symbols(text: str) -> list[str]:
    return [m.symbol.symbol for m in scan_all(text)[0]]


@pytest.mark.parametrize(("text", "expected"), [
    ("Recalling Human Rights Council resolution 20/8 of 5 July 2012,", ["A/HRC/RES/20/8"]),
    ("Human Rights Council resolutions 20/8, 26/13 and 47/16",
     ["A/HRC/RES/20/8", "A/HRC/RES/26/13", "A/HRC/RES/47/16"]),
    ("Human Rights Council resolution 20/8 and decision 5/1",
     ["A/HRC/RES/20/8", "A/HRC/DEC/5/1"]),
    ("Security Council resolution 2341 (2017)", ["S/RES/2341(2017)"]),
    ("Security Council resolution 2341\n(2017)", ["S/RES/2341(2017)"]),
    ("Security Council resolutions 1373 (2001) and 2396 (2017)",
     ["S/RES/1373(2001)", "S/RES/2396(2017)"]),
    ("Economic and Social Council resolution 2004/26", ["E/RES/2004/26"]),
    ("Economic and Social Council resolution 2004/26 and decision 2005/3",
     ["E/RES/2004/26", "E/DEC/2005/3"]),
    ("Recalling its resolutions 75/240 and 76/19,", ["A/RES/75/240", "A/RES/76/19"]),
    ("General Assembly resolution 70/1", ["A/RES/70/1"]),
    ("Recalling Human Rights Council resolution 20/8 and its resolution 75/240",
     ["A/HRC/RES/20/8", "A/RES/75/240"]),
    ("resolution 1514 (XV) of 14 December 1960", ["A/RES/1514(XV)"]),
    ("resolution 217 A (III)", ["A/RES/217(III)A"]),
    ("its decision 77/512", ["A/DEC/77/512"]),
    ("resolutions 45/58 P of 4 December 1990, 46/36 I of 6 December 1991 and 56/24 H",
     ["A/RES/45/58P", "A/RES/46/36I", "A/RES/56/24H"]),
    ("resolution 74/28 A new text", ["A/RES/74/28"]),  # a word, not a part letter
    ("Resolution S-10/2.", ["A/RES/S-10/2"]),
])
def test_the_body_named_before_the_number_decides_the_series(text: str,
                                                              expected: list[str]) -> None:
    assert symbols(text) == expected


@pytest.mark.parametrize(("text", "body"), [
    ("Commission on Crime Prevention and Criminal Justice resolution 25/2",
     "Commission on Crime Prevention and Criminal Justice"),
    ("Recalling also UNESCO resolution 40/1", "UNESCO"),
    ("World Health Assembly resolution 70/12", "World Health Assembly"),
    ("Noting Council resolution 2004/26", "Council"),
])
def test_an_unknown_body_leaves_the_mention_unresolved_never_guessed(text: str,
                                                                     body: str) -> None:
    found, unresolved = scan_all(text)
    assert found == []
    assert [u.body for u in unresolved] == [body]
    assert text[unresolved[0].start:unresolved[0].end] == unresolved[0].raw


@pytest.mark.parametrize(("text", "expected"), [
    ("[without reference to a Main Committee (A/80/L.9)]", ["A/80/L.9"]),
    ("A/76/L.13/Rev.1 and Add.1", ["A/76/L.13/Rev.1", "A/76/L.13/Rev.1/Add.1"]),
    ("draft resolution A/C.1/80/L.20", ["A/C.1/80/L.20"]),
    ("A/CONF.151/26 and Corr.1", ["A/CONF.151/26", "A/CONF.151/26/Corr.1"]),
    ("the letter A/78/100-S/2023/200", ["A/78/100", "S/2023/200"]),
    ("A/RES/1514 (XV)", ["A/RES/1514(XV)"]),
    ("at its 45th meeting (A/76/PV.45)", ["A/76/PV.45"]),
    ("BWC/CONF.VIII/4, CD/1840, CEDAW/C/GC/35 and TD/519",
     ["BWC/CONF.VIII/4", "CD/1840", "CEDAW/C/GC/35", "TD/519"]),
    ("document A/AC.292/2026/3", ["A/AC.292/2026/3"]),
    ("S/RES/2341\n(2017)", ["S/RES/2341(2017)"]),
])
def test_every_symbol_form(text: str, expected: list[str]) -> None:
    assert symbols(text) == expected


def test_a_footnote_call_glued_to_a_year_keeps_the_date() -> None:
    (mention,), _ = scan_all("Recalling its resolution 70/237 of 23 December 20156 and")
    assert mention.date == "2015-12-23"
    assert symbols("adopted in 20156 its resolution 70/237") == ["A/RES/70/237"]


@given(st.sampled_from(["Human Rights Council", "Security Council",
                        "Economic and Social Council", "General Assembly", "its"]),
       st.lists(st.tuples(st.integers(1, 60), st.integers(1, 300)), min_size=1, max_size=6))
def test_a_list_carries_its_body_to_every_item(body: str, items: list[tuple[int, int]]) -> None:
    if body == "Security Council":
        written = [f"{n} ({1990 + s % 35})" for s, n in items]
        expected = [f"S/RES/{n}({1990 + s % 35})" for s, n in items]
    elif body == "Economic and Social Council":
        written = [f"{1990 + s % 35}/{n}" for s, n in items]
        expected = [f"E/RES/{1990 + s % 35}/{n}" for s, n in items]
    else:
        written = [f"{s}/{n}" for s, n in items]
        prefix = "A/HRC/RES" if body == "Human Rights Council" else "A/RES"
        expected = [f"{prefix}/{s}/{n}" for s, n in items]
    listed = ", ".join(written[:-1]) + (" and " if len(written) > 1 else "") + written[-1]
    text = f"Recalling {body} resolution{'s' if len(items) > 1 else ''} {listed},"
    found = symbols(text)
    assert sorted(set(found)) == sorted(set(expected))
    for sym in found:
        assert parse(sym).symbol == sym
