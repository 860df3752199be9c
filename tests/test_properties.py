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


# -- fast paths that must find what the plain pattern finds ----------------------------------
# Three searches are run in a cheaper way than their patterns read; each is checked here
# against the plain form, on text made of the pieces that decide it.

_CALL_PIECES = ["a", "Z", ".", ",", ";", " ", "1", "2", "9", "Rev.", "Add.", "/C.", " L.",
                "PV.", "2015", "1999 ", "2013, ", "”", ")", "\n"]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_CALL_PIECES), max_size=14).map("".join))
def test_footnote_calls_found_at_digits_as_anywhere(text: str) -> None:
    from normgraph.read.segment import _MARKER, _markers

    plain = [(m.span(), m.groupdict()) for m in _MARKER.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in _markers(text)] == plain


_SYMBOL_PIECES = ["A", "RES", "DEC", "HRC", "S", "E", "CN.15", "AC.292", "CONF", "PRST", "L.",
                  "PV.", "Add.", "1", "79", "2017", "(XV)", " ", ".", "-", "(", ")", "*", "\\",
                  "resolution", "\n"]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_SYMBOL_PIECES), max_size=12).map("".join))
def test_no_full_symbol_without_a_slash(text: str) -> None:
    # scan_all tries the full forms only on a text with a slash
    from normgraph.read.symbols import SYMBOL_PATTERN

    assert SYMBOL_PATTERN.search(text) is None


_REPORT_PIECES = ["its", "the", "final", "progress", "report", "Report", "REPORT", "reports",
                  "adopted", "by", "Open-ended", "Working", "Group", "on", "12 March 2021",
                  "(See", "A/75/816)", "as", "contained", "in", "document", "A/80/257",
                  "considered", ",", "."]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_REPORT_PIECES), max_size=16).map(" ".join))
def test_report_statements_found_only_where_the_word_is(text: str) -> None:
    from normgraph.extract.statements import _STATEMENTS, report_facts
    from normgraph.model import Paragraph

    facts = report_facts([Paragraph("1", "operative", text, (0, len(text)), 1)])
    if not any(pattern.search(text) for _, pattern in _STATEMENTS):
        assert facts == []
    else:
        assert facts


_CLAUSE_PIECES = ["Recalling", "recalls", "also", "its", "resolution", "75/240", "73/27",
                  "which", "who", "welcomes", "Takes note of", "the report", "decides", ";",
                  ":", ". The", ", and noting", "established by", "as revised in", "that",
                  "of 31 December 2020", "\n", ","]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_CLAUSE_PIECES), max_size=20).map(" ".join),
       st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=12))
def test_a_clause_index_answers_by_its_definition_in_any_order(
        text: str, asked: list[tuple[int, int]]) -> None:
    # the index finds a text's breaks, verbs and pronouns only as far as it is asked; asked
    # anywhere, in any order, it answers what the whole text's matches give
    from normgraph.extract.records import _CLAUSE_BREAK, _RELATIVE, _VERB_RE, ClauseIndex

    breaks = list(_CLAUSE_BREAK.finditer(text))
    verbs = list(_VERB_RE.finditer(text))
    pronouns = [m.start() for m in _RELATIVE.finditer(text)]
    index = ClauseIndex(text)
    for a, b in asked:
        lo, hi = sorted((min(a, len(text)), min(b, len(text))))
        assert index.clause_start(hi) == max([m.end() for m in breaks if m.end() <= hi],
                                             default=0)
        ending = [v for v in verbs if v.end() <= hi]
        expected = ending[-1] if ending and ending[-1].start() >= lo else None
        found = index.last_verb(lo, hi)
        assert (found and found.span()) == (expected and expected.span())
        assert index.pronoun_between(lo, hi) == any(lo <= p < hi for p in pronouns)


@settings(max_examples=300)
@given(st.lists(st.sampled_from([*_CLAUSE_PIECES, "Taking", "NOTES", "noted", "Bearing in mind",
                                 "pursuant to", "unnoted", "xrecalls", "calls upon", "9"]),
                max_size=20).map(" ".join))
def test_clause_verbs_found_at_their_initials_as_anywhere(text: str) -> None:
    # a word is tried against the clause verbs only when it starts with one of their initials
    import re

    from normgraph.extract.records import _VERB_RE, _VERBS

    plain = re.compile(r"\b(?:" + "|".join(f"(?P<v{i}>{p})" for i, (p, _) in enumerate(_VERBS))
                       + r")\b", re.I)
    assert [(m.span(), m.lastgroup) for m in _VERB_RE.finditer(text)] == \
        [(m.span(), m.lastgroup) for m in plain.finditer(text)]


def _in_order_by_each_word(wanted: tuple[str, ...], words: list[str], gap: int) -> bool:
    # the definition: from each place the first word stands, each next word at its first
    # place at most ``gap`` words on
    for start, word in enumerate(words):
        if word != wanted[0]:
            continue
        at = start
        for nxt in wanted[1:]:
            window = words[at + 1: at + 2 + gap]
            if nxt not in window:
                break
            at = at + 1 + window.index(nxt)
        else:
            return True
    return False


@settings(max_examples=500)
@given(st.lists(st.sampled_from("abcx"), min_size=1, max_size=4).map(tuple),
       st.lists(st.sampled_from("abcx"), max_size=16), st.integers(0, 3))
def test_phrase_words_found_in_order_as_by_each_word(wanted: tuple[str, ...], words: list[str],
                                                      gap: int) -> None:
    from normgraph.graph.phrases import _in_order

    assert _in_order(wanted, words, gap) == _in_order_by_each_word(wanted, words, gap)


_OCR_PIECES = ["a", "z", "Q", ".", ",", "!", "%", "¢", "?", "’", " ", "\n", "1"]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_OCR_PIECES), max_size=14).map("".join))
def test_ocr_signals_counted_at_their_rare_character(text: str) -> None:
    import re

    from normgraph.read.readers import _OCR_SIGNAL

    letter_first = re.compile(r"[a-z][.,]?[!%¢](?=\s)|[a-z]\?(?=\s+[a-z])|\.’\s")
    assert len(_OCR_SIGNAL.findall(text)) == len(letter_first.findall(text))


_PHRASE_WORDS = ["critical", "infrastructure", "States", "should", "protect", "their", "from",
                 "ICT", "threats", "terrorist", "use", "of", ".", "Recalling", "that"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_PHRASE_WORDS), max_size=30).map(" ".join))
def test_phrase_index_finds_what_each_matcher_finds(text: str) -> None:
    from normgraph.graph.phrases import PhraseIndex, PhraseMatcher

    matchers = [("infra", PhraseMatcher(["critical infrastructure", "infrastructure"])),
                ("terror", PhraseMatcher(["terrorist use"])),
                ("norm", PhraseMatcher(["protect critical infrastructure from ICT threats"],
                                       loose=True)),
                ("none", PhraseMatcher(["supply chain"]))]
    expected = [key for key, m in matchers if m.found(text)]
    assert PhraseIndex(matchers).keys_in(text) == expected


_IRI_PIECES = ["https://w3id.org/normgraph/", "id/", "norm/", "ontology#", "http://purl.org/",
               "spar/cito/", "dc/terms/", "http://example.org/", "a", "Z", "_", "-", "7", ".",
               "/", "#", "%20", "x-y"]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_IRI_PIECES), min_size=1, max_size=6).map("".join))
def test_an_iri_is_written_with_the_longest_prefix_it_can_take(text: str) -> None:
    import re

    from rdflib import URIRef

    from normgraph.graph.dump import _prefixes, render_term
    from normgraph.graph.vocab import IRIError

    try:
        shown = render_term(URIRef(text))
    except IRIError:
        return
    local = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
    fits = [(len(ns), name, text[len(ns):]) for name, ns in _prefixes()
            if text.startswith(ns) and local.fullmatch(text[len(ns):])]
    longest = max(fits, default=None)  # no two namespaces of the table are as long
    assert shown == (f"{longest[1]}:{longest[2]}" if longest else f"<{text}>")
