"""The library API: the one face of normgraph, for the CLI, the web layer and notebooks.

Every stage's public functions are reached from here, so a caller needs no knowledge of the
package layout (read, extract, graph, check, store, pipeline, answer). Names are resolved on
first use (PEP 562), so ``from normgraph import api`` stays cheap: a query command that never
builds a graph never imports rdflib.

>>> from normgraph import api
>>> api.parse_symbol("80/16").symbol
'A/RES/80/16'
>>> result = api.build(write=False)            # doctest: +SKIP
>>> result.report.conforms                      # doctest: +SKIP
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .answer.inspect import (
        instrument,
        known_symbols,
        load_graph,
        resolve_resource,
        resolve_symbol,
        resource,
        stats,
        validate_file,
    )
    from .answer.lineage import (
        FORMATS as LINEAGE_FORMATS,
    )
    from .answer.lineage import (
        Lineage,
        lineage,
    )
    from .answer.lineage import (
        render as render_lineage,
    )
    from .answer.lineage import (
        to_dot as lineage_dot,
    )
    from .answer.network import influence, shortest_chain
    from .answer.render import ROW_FORMATS, render_rows, shorten
    from .answer.resolve import UnknownSymbol, full_symbol
    from .answer.typed import query, search
    from .check.sparql_form import SparqlForm, form_of, is_update
    from .check.validate import Report, validate_graph
    from .config import base
    from .extract.records import extract
    from .graph.builder import GraphInput, build_dataset
    from .graph.dump import FORMATS as DUMP_FORMATS
    from .graph.dump import serialize, sweep_dead, to_turtle, write_atomic
    from .graph.reference import ReferenceError as ReferenceDataError
    from .graph.reference import load_reference
    from .graph.vocab import CITO, ELI, NG, RELATION_BY_PROPERTY, IRIError, instrument_iri
    from .model import Document, Extraction, Reference
    from .pipeline.build import (
        DUMP_HEADER,
        BuildResult,
        FileError,
        build,
        extraction_json,
        ingest,
        read_document,
        read_documents,
    )
    from .read.catalog import CatalogError, load_catalog
    from .read.readers import ReadError, read_file
    from .read.symbols import Symbol, SymbolError
    from .read.symbols import parse as parse_symbol
    from .resources import Paths, default_dump, default_root
    from .store.catalogue import ParameterError, get_query, load_queries
    from .store.catalogue import run as run_query
    from .store.release import diff, export_all, render_diff
    from .store.search import RANK_LIMIT, SEARCH_COLUMNS, SearchFilters, search_index
    from .store.search import search as search_paragraphs
    from .store.shards import write_shards
    from .store.terms import Result, StoreError, Term, python_value
    from .store.triplestore import LocalStore, RemoteStore, open_store, push

#: public name -> (module under normgraph, attribute)
_EXPORTS: dict[str, tuple[str, str]] = {
    "Paths": ("resources", "Paths"),
    "default_dump": ("resources", "default_dump"),
    "default_root": ("resources", "default_root"),
    "base": ("config", "base"),
    "Document": ("model", "Document"),
    "Extraction": ("model", "Extraction"),
    "Reference": ("model", "Reference"),
    "Symbol": ("read.symbols", "Symbol"),
    "SymbolError": ("read.symbols", "SymbolError"),
    "parse_symbol": ("read.symbols", "parse"),
    "ReadError": ("read.readers", "ReadError"),
    "read_file": ("read.readers", "read_file"),
    "CatalogError": ("read.catalog", "CatalogError"),
    "load_catalog": ("read.catalog", "load_catalog"),
    "extract": ("extract.records", "extract"),
    "ReferenceDataError": ("graph.reference", "ReferenceError"),
    "load_reference": ("graph.reference", "load_reference"),
    "GraphInput": ("graph.builder", "GraphInput"),
    "build_dataset": ("graph.builder", "build_dataset"),
    "CITO": ("graph.vocab", "CITO"),
    "ELI": ("graph.vocab", "ELI"),
    "NG": ("graph.vocab", "NG"),
    "RELATION_BY_PROPERTY": ("graph.vocab", "RELATION_BY_PROPERTY"),
    "IRIError": ("graph.vocab", "IRIError"),
    "instrument_iri": ("graph.vocab", "instrument_iri"),
    "DUMP_FORMATS": ("graph.dump", "FORMATS"),
    "serialize": ("graph.dump", "serialize"),
    "sweep_dead": ("graph.dump", "sweep_dead"),
    "to_turtle": ("graph.dump", "to_turtle"),
    "write_atomic": ("graph.dump", "write_atomic"),
    "Report": ("check.validate", "Report"),
    "validate_graph": ("check.validate", "validate_graph"),
    "StoreError": ("store.terms", "StoreError"),
    "Term": ("store.terms", "Term"),
    "Result": ("store.terms", "Result"),
    "python_value": ("store.terms", "python_value"),
    "LocalStore": ("store.triplestore", "LocalStore"),
    "RemoteStore": ("store.triplestore", "RemoteStore"),
    "open_store": ("store.triplestore", "open_store"),
    "push": ("store.triplestore", "push"),
    "is_update": ("check.sparql_form", "is_update"),
    "form_of": ("check.sparql_form", "form_of"),
    "SparqlForm": ("check.sparql_form", "SparqlForm"),
    "ParameterError": ("store.catalogue", "ParameterError"),
    "load_queries": ("store.catalogue", "load_queries"),
    "get_query": ("store.catalogue", "get_query"),
    "run_query": ("store.catalogue", "run"),
    "export_all": ("store.release", "export_all"),
    "SEARCH_COLUMNS": ("store.search", "SEARCH_COLUMNS"),
    "RANK_LIMIT": ("store.search", "RANK_LIMIT"),
    "SearchFilters": ("store.search", "SearchFilters"),
    "search_paragraphs": ("store.search", "search"),
    "search": ("answer.typed", "search"),
    "search_index": ("store.search", "search_index"),
    "write_shards": ("store.shards", "write_shards"),
    "diff": ("store.release", "diff"),
    "render_diff": ("store.release", "render_diff"),
    "DUMP_HEADER": ("pipeline.build", "DUMP_HEADER"),
    "FileError": ("pipeline.build", "FileError"),
    "BuildResult": ("pipeline.build", "BuildResult"),
    "read_document": ("pipeline.build", "read_document"),
    "read_documents": ("pipeline.build", "read_documents"),
    "ingest": ("pipeline.build", "ingest"),
    "build": ("pipeline.build", "build"),
    "extraction_json": ("pipeline.build", "extraction_json"),
    "load_graph": ("answer.inspect", "load_graph"),
    "validate_file": ("answer.inspect", "validate_file"),
    "stats": ("answer.inspect", "stats"),
    "UnknownSymbol": ("answer.resolve", "UnknownSymbol"),
    "full_symbol": ("answer.resolve", "full_symbol"),
    "query": ("answer.typed", "query"),
    "known_symbols": ("answer.inspect", "known_symbols"),
    "resolve_symbol": ("answer.inspect", "resolve_symbol"),
    "instrument": ("answer.inspect", "instrument"),
    "resolve_resource": ("answer.inspect", "resolve_resource"),
    "resource": ("answer.inspect", "resource"),
    "Lineage": ("answer.lineage", "Lineage"),
    "lineage": ("answer.lineage", "lineage"),
    "LINEAGE_FORMATS": ("answer.lineage", "FORMATS"),
    "render_lineage": ("answer.lineage", "render"),
    "lineage_dot": ("answer.lineage", "to_dot"),
    "shortest_chain": ("answer.network", "shortest_chain"),
    "influence": ("answer.network", "influence"),
    "ROW_FORMATS": ("answer.render", "ROW_FORMATS"),
    "render_rows": ("answer.render", "render_rows"),
    "shorten": ("answer.render", "shorten"),
}

__all__ = [
    "DUMP_HEADER",
    "BuildResult",
    "CITO",
    "CatalogError",
    "DUMP_FORMATS",
    "Document",
    "ELI",
    "Extraction",
    "FileError",
    "GraphInput",
    "IRIError",
    "LINEAGE_FORMATS",
    "Lineage",
    "LocalStore",
    "NG",
    "ParameterError",
    "Paths",
    "RANK_LIMIT",
    "RELATION_BY_PROPERTY",
    "ROW_FORMATS",
    "ReadError",
    "read_file",
    "Reference",
    "ReferenceDataError",
    "RemoteStore",
    "SEARCH_COLUMNS",
    "SearchFilters",
    "Report",
    "Result",
    "StoreError",
    "Symbol",
    "SymbolError",
    "Term",
    "UnknownSymbol",
    "base",
    "build",
    "build_dataset",
    "default_dump",
    "default_root",
    "diff",
    "export_all",
    "extract",
    "extraction_json",
    "full_symbol",
    "get_query",
    "influence",
    "ingest",
    "instrument",
    "instrument_iri",
    "is_update",
    "form_of",
    "SparqlForm",
    "known_symbols",
    "lineage",
    "lineage_dot",
    "load_catalog",
    "load_graph",
    "load_queries",
    "load_reference",
    "open_store",
    "parse_symbol",
    "push",
    "python_value",
    "query",
    "read_document",
    "read_documents",
    "render_diff",
    "render_lineage",
    "render_rows",
    "resolve_resource",
    "resolve_symbol",
    "resource",
    "run_query",
    "search",
    "search_index",
    "search_paragraphs",
    "serialize",
    "sweep_dead",
    "shorten",
    "shortest_chain",
    "stats",
    "to_turtle",
    "validate_file",
    "validate_graph",
    "write_atomic",
    "write_shards",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'normgraph.api' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"normgraph.{module}"), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
