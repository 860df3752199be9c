"""Dumps: deterministic serialisations of the graph, written atomically.

The Turtle writer here is linear in the number of triples (rdflib's pretty writer is not) and
byte-stable: subjects, predicates and objects sorted, prefixes fixed, no blank nodes.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..resources import alive
from .vocab import PREFIXES, Kept, check_iri, data_prefixes

__all__ = ["to_turtle", "turtle_chunks", "turtle_pieces", "prefix_lines", "AtomicFile",
           "to_ntriples", "ntriples_term", "serialize", "write_atomic", "sweep_dead", "FORMATS",
           "subject_entries", "entry_pairs", "entry_line", "turtle_blocks", "subject_block",
           "render_term", "rendered_iri", "namespaces", "rendered_value", "lexical_form"]

FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


class Prefixes(tuple[tuple[str, str], ...]):
    """The (name, namespace) pairs a dump writes IRIs with, longest namespace first (so that
    the most specific prefix wins), and what finds an IRI's prefix at once.

    A prefixed name's local part is made of the characters of :data:`_NAME_CHARS`. When no
    namespace ends with one of them (each ends with ``/`` or ``#``), the only namespace an
    IRI can be written with is what is left once that run of characters is cut from its end:
    one lookup in ``names`` instead of a test of every namespace in turn."""

    names: dict[str, str] | None

    def __new__(cls, pairs: Iterable[tuple[str, str]]) -> Prefixes:
        self = super().__new__(cls, sorted(pairs, key=lambda kv: (-len(kv[1]), kv[0])))
        self.names = {ns: name for name, ns in reversed(self)} \
            if all(ns and ns[-1] not in _NAME_CHARS for _, ns in self) else None
        return self


#: what a local part of a prefixed name is written with here (a subset of what Turtle allows)
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_NAME_TEXT = "".join(sorted(_NAME_CHARS))
_NO_PREFIXES = Prefixes(())


def _prefixes() -> Prefixes:
    pairs = {name: str(ns) for name, ns in PREFIXES.items()}
    pairs.update(data_prefixes())
    return Prefixes(pairs.items())


def _iri(term: URIRef | str, prefixes: Prefixes) -> str:
    """An IRI as Turtle writes it, checked first: an IRI that RFC 3987 does not allow raises
    :class:`~normgraph.graph.vocab.IRIError`, so no dump holds one (parsers would refuse it,
    and an escape such as ``\\u0020`` only hides the fault from the writer)."""
    return _written_iri(check_iri(str(term)), prefixes)


def _written_iri(value: str, prefixes: Prefixes) -> str:
    """An IRI already checked, as Turtle writes it."""
    names = prefixes.names
    if names is not None:
        ns = value.rstrip(_NAME_TEXT)
        name = names.get(ns)
        if name is not None:
            local = value[len(ns) :]
            if _LOCAL.match(local):
                return f"{name}:{local}"
        return "<" + value + ">"
    for name, ns in prefixes:
        if value.startswith(ns):
            local = value[len(ns) :]
            if _LOCAL.match(local):
                return f"{name}:{local}"
    return "<" + value + ">"


def _escape_string(value: str) -> str:
    return (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


_INTEGER = re.compile(r"[+-]?\d+")


_XSD_STRING = str(XSD.string)
_XSD_INTEGER = str(XSD.integer)


def _term(term: Any, prefixes: Prefixes, short: bool = True) -> str:
    if isinstance(term, URIRef):
        return _iri(term, prefixes)
    if isinstance(term, Literal):
        value = str(term)
        lexical = '"' + _escape_string(value) + '"'
        language = term.language
        if language:
            return f"{lexical}@{language}"
        datatype = term.datatype
        # compared as plain strings: rdflib's term comparison runs in Python
        if datatype is not None and not str.__eq__(datatype, _XSD_STRING):
            if short and str.__eq__(datatype, _XSD_INTEGER) and _INTEGER.fullmatch(value):
                return value
            return f"{lexical}^^{_iri(datatype, prefixes)}"
        return lexical
    if isinstance(term, BNode):
        raise ValueError("blank nodes are not allowed in the dump")
    raise TypeError(f"unexpected term {term!r}")


def _triples(source: Graph | Dataset | Iterable[tuple[Any, Any, Any]]
             ) -> set[tuple[Any, ...]] | frozenset[tuple[Any, ...]]:
    if isinstance(source, Dataset):
        return {(s, p, o) for s, p, o, _ in source.quads((None, None, None, None))}
    if isinstance(source, (set, frozenset)):
        return source  # already without duplicates: no copy
    return set(source)


def _sort_key(term: Any) -> tuple[int, str]:
    if isinstance(term, URIRef):
        return (0, str(term))
    if isinstance(term, Literal):
        return (1, f"{term}\x00{term.language or ''}\x00{term.datatype or ''}")
    return (2, str(term))


#: how the Turtle writer keys rdf:type among the predicates: sorts before any rendered IRI,
#: written as ``a`` (and so it stands in an entry)
_TYPE_KEY = "\x01a"


def _renderer(prefixes: Prefixes, memo: dict[int, tuple[Any, str]] | None = None) -> Any:
    """A term's Turtle text (rdf:type as :data:`_TYPE_KEY`), memoised by object identity in
    ``memo`` (a new one by default): each term is held beside its text, so no identity in
    the memo can become another term's. A graph build shares one object per term (see
    vocab.minting), so the memo is exact and avoids rdflib's Python-level hashing and
    comparison of terms."""
    if memo is None:
        memo = {}
    type_iri = str(RDF.type)

    def render(t: Any) -> str:
        held = memo.get(id(t))
        if held is None:
            held = memo[id(t)] = (t, _TYPE_KEY if str.__eq__(t, type_iri) and isinstance(
                t, URIRef) else _term(t, prefixes))
        return held[1]

    return render


def _block(subject: str, pairs: list[tuple[str, str]]) -> str:
    """One subject's block: ``pairs`` (predicate, object) as rendered, sorted. (Its pieces
    joined once: 35% faster than a line a predicate, 0.3 s of the build's own thread at
    10,000 documents.)"""
    out = [subject, "\n    "]
    append = out.append
    pred = None
    for p, o in pairs:
        if p == pred:
            append(" ,\n        ")
        else:
            if pred is not None:
                append(" ;\n    ")
            append("a " if p == _TYPE_KEY else p + " ")
            pred = p
        append(o)
    append(" .\n")
    return "".join(out)


def turtle_chunks(source: Graph | Dataset | Iterable[tuple[Any, Any, Any]],
                  chunk_bytes: int = 4 << 20) -> Iterator[str]:
    """The body of the deterministic Turtle dump (what follows :func:`prefix_lines`), in pieces
    of about ``chunk_bytes`` characters that each end with a whole subject block.

    Subjects are ordered by IRI; within a subject, predicates (``a`` first) and objects by
    their rendered text. The order does not depend on how the triples were collected."""
    return (turtle for turtle, _ in _pieces(source, chunk_bytes, False))


def turtle_pieces(source: Graph | Dataset | Iterable[tuple[Any, Any, Any]],
                  chunk_bytes: int = 4 << 20, entries: bool = True
                  ) -> Iterator[tuple[str, str | None]]:
    """:func:`turtle_chunks`, each piece with its subjects' entries (one line a subject, see
    :func:`subject_entries`): what a checker reads without parsing Turtle. Without
    ``entries``, none are made (``None`` beside each piece)."""
    return _pieces(source, chunk_bytes, entries)


def _pieces(source: Graph | Dataset | Iterable[tuple[Any, Any, Any]], chunk_bytes: int,
            entries: bool) -> Iterator[tuple[str, str | None]]:
    prefixes = _prefixes()
    triples = _triples(source)
    render = _renderer(prefixes)
    # each subject keeps the triples themselves (which ``triples`` holds anyway), rendered when
    # its block is written: a (predicate, object) text pair per triple held for the whole
    # write cost 64 bytes a triple (190 MB at 10,000 documents)
    by_subject: dict[Any, list[tuple[Any, Any, Any]]] = {}
    for triple in triples:
        held = by_subject.get(triple[0])
        if held is None:
            held = by_subject[triple[0]] = []
        held.append(triple)
    out: list[str] = []
    lines: list[str] = []
    size = 0
    for s in sorted(by_subject, key=str):
        pairs = sorted([(render(p), render(o)) for _, p, o in by_subject.pop(s)])
        block = _block(render(s), pairs)
        out.append(block)
        if entries:
            lines.append(entry_line(str(s), pairs))
        size += len(block)
        if size >= chunk_bytes:
            yield "\n".join(out) + "\n", "\n".join(lines) if entries else None
            out, lines, size = [], [], 0
    if out:
        yield "\n".join(out), "\n".join(lines) if entries else None


# -- the dump as sorted lines (a build too large to hold as Python terms) -----------------------
# A subject's triples from one part of the graph become one line, an *entry*: the subject's
# IRI, then each (predicate, object) pair as Turtle writes them, sorted, all tab-separated.
# No rendered term holds a line break or a tab (the writer escapes them in literals; an IRI
# has none), so entries sort (as text, by code point) in the dump's order, by subject IRI:
# the tab sorts before every character an IRI can hold. Entries of one subject from several
# parts (an instrument many documents cite) are adjacent once sorted, and are merged.

def subject_entries(triples: Iterable[tuple[Any, Any, Any]],
                    kept: Kept | None = None) -> list[str]:
    """The triples as entries, one per subject (unsorted), every IRI checked (see
    :func:`_iri`): a subject's here, once, so that the merge of many parts' entries need
    not check it again. Given the table their terms were
    minted in (see :class:`~normgraph.graph.vocab.Kept`), each term is rendered once for as
    long as the table keeps it."""
    prefixes = _prefixes()
    memo: dict[int, tuple[Any, str]] = {}
    if kept is not None:
        if kept.texts_with != prefixes:  # texts written with other prefixes do not hold
            kept.texts.clear()
            kept.texts_with = prefixes
        memo = kept.texts
    render = _renderer(prefixes, memo)
    known = memo.get  # the memo read here first: most terms were rendered before
    by_subject: dict[int, tuple[Any, set[tuple[str, str]]]] = {}
    for s, p, o in triples:
        held = by_subject.get(id(s))
        if held is None:
            render(s)  # its IRI checked here, where parts are made side by side, once
            held = by_subject[id(s)] = (s, set())
        shown_p, shown_o = known(id(p)), known(id(o))
        held[1].add((render(p) if shown_p is None else shown_p[1],
                     render(o) if shown_o is None else shown_o[1]))
    return [entry_line(str(s), sorted(pairs)) for s, pairs in by_subject.values()]


def entry_line(subject: str, pairs: Iterable[tuple[str, str]]) -> str:
    """The entry of ``subject`` (an IRI) with these rendered (predicate, object) pairs."""
    return f"{subject}\t" + "\t".join([f"{p}\t{o}" for p, o in pairs])


def turtle_blocks(entries: Iterable[str]
                  ) -> Iterator[tuple[str, list[tuple[str, str]], str, str]]:
    """Sorted entries without duplicates, grouped by subject: (subject IRI, its (predicate,
    object) pairs as rendered, sorted and each once, its Turtle block, its one entry), in the
    dump's order. The entries are :func:`subject_entries`' (or made of them), which checked
    every IRI they hold."""
    prefixes = _prefixes()
    subject = ""
    bodies: list[str] = []
    first = ""
    for entry in entries:
        cut = entry.index("\t")
        s = entry[:cut]
        if s != subject:
            if bodies:
                yield _grouped(subject, bodies, first, prefixes)
            subject, bodies, first = s, [], entry
        bodies.append(entry[cut + 1 :])
    if bodies:
        yield _grouped(subject, bodies, first, prefixes)


def entry_pairs(body: str) -> list[tuple[str, str]]:
    """The (predicate, object) pairs of an entry, without its subject (what follows the
    first tab)."""
    parts = body.split("\t")
    return list(zip(parts[0::2], parts[1::2], strict=True))


def _grouped(subject: str, bodies: list[str], first: str, prefixes: Prefixes
             ) -> tuple[str, list[tuple[str, str]], str, str]:
    if len(bodies) == 1:
        pairs, entry = entry_pairs(bodies[0]), first
    else:
        pairs = sorted({pair for body in bodies for pair in entry_pairs(body)})
        entry = entry_line(subject, pairs)
    # the subject's IRI was checked when its entries were made (subject_entries)
    return subject, pairs, _block(_written_iri(subject, prefixes), pairs), entry


def subject_block(subject: str, pairs: list[tuple[str, str]]) -> str:
    """The Turtle block of ``subject`` (an IRI) with these rendered pairs, sorted."""
    return _block(_iri(subject, _prefixes()), pairs)


def render_term(term: Any) -> str:
    """A term as the Turtle dump writes it."""
    return _term(term, _prefixes())


def namespaces() -> dict[str, str]:
    """The writer's prefixes: name -> namespace."""
    return dict(_prefixes())


def rendered_iri(text: str, namespaces: Mapping[str, str] | None = None) -> str:
    """The IRI a predicate's (or an IRI object's) rendered text stands for; a prefixed name
    is read with ``namespaces`` (prefix: namespace), by default the writer's own."""
    if text == _TYPE_KEY:
        return str(RDF.type)
    if text.startswith("<"):
        return text[1:-1]
    name, _, local = text.partition(":")
    return (namespaces if namespaces is not None else dict(_prefixes()))[name] + local


_UNESCAPE = re.compile(r"\\(.)")
_ESCAPED = {"n": "\n", "r": "\r", "t": "\t"}


def lexical_form(body: str) -> str:
    """The lexical form of a literal the writer rendered as ``"body"`` (its escapes undone)."""
    if "\\" not in body:
        return body
    return _UNESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), body)


def rendered_value(text: str, namespaces: Mapping[str, str] | None = None) -> str:
    """``str()`` of the term an object's rendered text stands for: a literal's lexical form,
    an IRI's text (a prefixed name read with ``namespaces``, as :func:`rendered_iri`)."""
    if text.startswith('"'):
        return lexical_form(text[1 : text.rindex('"')])
    if text[:1].isdigit() or text[:1] in "+-":
        return text  # an integer written short
    return rendered_iri(text, namespaces)


def prefix_lines() -> str:
    """The ``@prefix`` declarations every Turtle output starts with (all of them, whether used
    or not, so that a dump can be written while it is generated)."""
    return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(_prefixes()))


def to_turtle(source: Graph | Dataset | Iterable[tuple[Any, Any, Any]],
              header: str = "") -> str:
    """Deterministic Turtle: one block per subject, sorted; rdf:type first as ``a``."""
    body = "".join(turtle_chunks(source))
    return header + prefix_lines() + ("\n" + body if body else "")


def ntriples_term(term: Any) -> str:
    """One term as N-Triples writes it (full IRIs, every typed literal with its datatype)."""
    return _term(term, _NO_PREFIXES, short=False)


def to_ntriples(source: Graph | Dataset | Iterable[tuple[Any, Any, Any]]) -> str:
    """Sorted N-Triples (one triple a line)."""
    lines = sorted(f"{ntriples_term(s)} {ntriples_term(p)} {ntriples_term(o)} ." for s, p, o in
                   _triples(source))
    return "\n".join(lines) + ("\n" if lines else "")


def serialize(source: Graph | Dataset, fmt: str) -> str:
    """Serialise in ``ttl``, ``nt``, ``jsonld`` or ``trig``; all deterministic."""
    if fmt == "ttl":
        return to_turtle(source)
    if fmt == "nt":
        return to_ntriples(source)
    if fmt == "jsonld":
        for triple in _triples(source):  # the JSON-LD writer does not check IRIs
            for term in triple:
                if isinstance(term, URIRef):
                    check_iri(str(term))
        from .jsonld import to_jsonld

        return to_jsonld(_triples(source))
    if fmt == "trig":
        if not isinstance(source, Dataset):
            return prefix_lines() + "\n{\n" + "".join(turtle_chunks(source)) + "}\n"
        parts = []
        names = sorted({str(c) for *_, c in source.quads((None, None, None, None)) if c})
        for name in names:
            block = "".join(turtle_chunks(source.graph(URIRef(name))))
            parts.append(f"<{check_iri(name)}> {{\n{block}}}\n")
        head = prefix_lines()
        return head + "\n" + "\n".join(parts)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write_atomic(path: str | Path, text: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and move it into place: a reader sees the old
    file or the new one, never half of either."""
    with AtomicFile(path) as out:
        out.write(text)
        out.commit()


class AtomicFile:
    """A file written piece by piece beside its target and moved into place only by
    :meth:`commit`; closed without it (or on an error), it leaves the target untouched.

    >>> with AtomicFile("out.ttl") as f:       # doctest: +SKIP
    ...     f.write("...")
    ...     f.commit()
    """

    def __init__(self, path: str | Path) -> None:
        self.target = Path(path)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        # what a killed writer of the same target left (it holds no lock any more)
        sweep_dead(self.target.parent, f".{self.target.name}.*.tmp")
        # the pid in the name and a lock held while writing tell a later run this file is
        # live; the lock dies with the process, even under kill -9
        fd, tmp = tempfile.mkstemp(prefix=f".{self.target.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=self.target.parent)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.tmp = Path(tmp)
        self._fh = os.fdopen(fd, "wb")
        self.committed = False

    def write(self, text: str | bytes) -> None:
        self._fh.write(text.encode("utf-8") if isinstance(text, str) else text)

    def commit(self) -> None:
        """Move the file into place (one writer at a time per folder: two builds at once each
        replace the file whole)."""
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        mode = self.target.stat().st_mode & 0o777 if self.target.exists() else 0o644
        os.chmod(self.tmp, mode)
        folder = os.open(self.target.parent, os.O_RDONLY)
        try:
            fcntl.flock(folder, fcntl.LOCK_EX)
            os.replace(self.tmp, self.target)
        finally:
            os.close(folder)  # releases the lock
        self.committed = True

    def discard(self) -> None:
        if not self.committed:
            self._fh.close()
            try:
                os.unlink(self.tmp)
            except FileNotFoundError:
                pass

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


# -- what a killed run leaves behind ------------------------------------------------------------

# the pid that AtomicFile puts before mkstemp's random part: .<target>.<pid>.<random>.tmp
_PID_IN_NAME = re.compile(r"\.(\d+)\.[^.]+\.tmp$")


def _locked_files() -> set[tuple[int, int, int]] | None:
    """(major, minor, inode) of every file some live process holds a lock on (flock, POSIX
    or OFD), from Linux's /proc/locks; None where the system has no such table."""
    try:
        text = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    out = set()
    for m in re.finditer(r"\b([0-9a-f]+):([0-9a-f]+):(\d+) ", text):
        out.add((int(m.group(1), 16), int(m.group(2), 16), int(m.group(3))))
    return out


def _held(path: Path, locked: set[tuple[int, int, int]] | None) -> bool:
    """Whether a live process holds a lock on ``path`` or on a file directly inside it (the
    LOCK file of a store). Without /proc/locks a file is tried with a non-blocking flock of
    its own (which a holder in this very process also blocks), and a folder counts as held."""
    if locked is None:
        if path.is_dir():
            return True
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False
        except OSError:
            return True
        finally:
            os.close(fd)
    try:
        entries = [path, *path.iterdir()] if path.is_dir() else [path]
        for entry in entries:
            st = os.stat(entry)
            if (os.major(st.st_dev), os.minor(st.st_dev), st.st_ino) in locked:
                return True
    except OSError:
        return True  # vanished or unreadable while looked at: leave it to its owner
    return False


def sweep_dead(folder: Path, pattern: str, min_age: float = 0.0) -> list[Path]:
    """Remove the files and folders matching ``pattern`` in ``folder`` that a dead run left:
    none whose name carries the pid of a running process (``.name.<pid>.xxxx.tmp``), none a
    live process holds a lock on, none changed in the last ``min_age`` seconds (for names
    without a pid, made a moment before their owner locks them). Returns what it removed.

    Temporary dumps (:class:`AtomicFile`), the local store's folders being built and the
    validator's scratch stores are swept this way by the next run that makes one."""
    import shutil
    import time

    removed: list[Path] = []
    locked: set[tuple[int, int, int]] | None = None
    first = True
    for entry in sorted(folder.glob(pattern)):
        pid = _PID_IN_NAME.search(entry.name)
        if pid and alive(int(pid.group(1))):
            continue
        try:
            if min_age and time.time() - entry.lstat().st_mtime < min_age:
                continue
        except OSError:
            continue
        if first:
            locked, first = _locked_files(), False
        if entry.is_symlink() or _held(entry, locked):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed
