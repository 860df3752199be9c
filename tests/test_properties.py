"""Property-based tests: the symbol module round-trips every well-formed symbol and never
fails except with SymbolError; readers never fail except with ReadError."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from normgraph.read.readers import ReadError, read_bytes
from normgraph.read.symbols import SymbolError, parse, scan
from normgraph.store.catalogue import ParameterError, get_query, term_for

sessions = st.integers(1, 99)
numbers = st.integers(1, 999)


@st.composite
def symbols(draw) -> str:
    s, n = draw(sessions), draw(numbers)
    form = draw(st.sampled_from(["res", "dec", "doc", "add", "c1", "ac", "hrc"]))
    if form == "res":
        return f"A/RES/{s}/{n}"
    if form == "dec":
        return f"A/DEC/{s}/{n}"
    if form == "doc":
        return f"A/{s}/{n}"
    if form == "add":
        return f"A/{s}/{n}/{draw(st.sampled_from(['Add', 'Corr', 'Rev']))}.{draw(st.integers(1, 9))}"
    if form == "c1":
        return f"A/C.1/{s}/L.{n}"
    if form == "ac":
        return f"A/AC.{draw(st.integers(100, 400))}/{draw(st.integers(1990, 2030))}/CRP.{n}"
    return f"A/HRC/RES/{s}/{n}"


@settings(max_examples=200)
@given(symbols())
def test_well_formed_symbols_round_trip(text: str) -> None:
    sym = parse(text)
    assert sym.symbol == text
    assert parse(sym.symbol) == sym  # idempotent
    assert parse(text.lower()).symbol == text  # case does not matter
    found = [m.symbol.symbol for m in scan(f"see document {text}, and nothing else")]
    assert found == [text]


@settings(max_examples=200)
@given(st.text(max_size=120))
def test_parse_raises_only_symbol_error(text: str) -> None:
    try:
        sym = parse(text)
    except SymbolError as exc:
        assert "\n" not in str(exc)
    else:
        assert "\n" not in sym.symbol and " " not in sym.symbol


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_readers_raise_only_read_error(data: bytes) -> None:
    try:
        doc = read_bytes(data, "fuzz.txt")
    except ReadError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(doc.text, str)


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_query_parameters_are_terms_or_one_line_errors(value: str) -> None:
    param = get_query("lineage").param("root")
    assert param is not None
    try:
        term = term_for(param, value)
    except ParameterError as exc:
        assert "\n" not in str(exc)
    else:  # a valid symbol became an IRI with nothing SPARQL could read as syntax
        assert not set(term.value) & set('<>"{}|^`\\ \n')
