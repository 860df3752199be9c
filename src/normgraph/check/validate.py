"""Validation: the graph against ontology/shapes.ttl with pySHACL.

A violation (sh:Violation) fails the build; a warning (sh:Warning: a missing title, say) is
reported and, with ``--strict``, fails it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ..resources import resource_dir

__all__ = ["Finding", "Report", "validate_graph", "load_shapes", "load_ontology"]


@dataclass(frozen=True)
class Finding:
    severity: str  # Violation | Warning | Info
    focus: str
    path: str
    message: str

    def line(self) -> str:
        path = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus}{path}: {self.message}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations


def load_shapes() -> Graph:
    return Graph().parse(Path(resource_dir("ontology")) / "shapes.ttl", format="turtle")


def load_ontology() -> Graph:
    return Graph().parse(Path(resource_dir("ontology")) / "normgraph.ttl", format="turtle")


def validate_graph(data: Graph, shapes: Graph | None = None,
                   ontology: Graph | None = None) -> Report:
    """Validate ``data``; the report lists every result with its focus node, path and message.

    No inference is run: the graph states its classes explicitly, so the answer does not
    depend on a reasoner.
    """
    from pyshacl import validate  # imported here: pySHACL is slow to import

    shapes = shapes if shapes is not None else load_shapes()
    ontology = ontology if ontology is not None else load_ontology()
    _conforms, results, _text = validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none",
        abort_on_first=False, allow_warnings=True, advanced=True,
    )
    report = Report()
    assert isinstance(results, Graph)
    for result in sorted(results.subjects(RDF.type, SH.ValidationResult), key=str):
        severity = results.value(result, SH.resultSeverity)
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        report.findings.append(Finding(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=str(focus),
            path=_short(path),
            message=str(message) if isinstance(message, Literal) else "does not conform",
        ))
    report.findings.sort(key=lambda f: (f.severity != "Violation", f.focus, f.path, f.message))
    return report


def _short(term: object) -> str:
    if not isinstance(term, URIRef):
        return "" if term is None else str(term)
    value = str(term)
    for ns, prefix in (("http://data.europa.eu/eli/ontology#", "eli:"),
                       ("https://w3id.org/normgraph/ontology#", "ng:"),
                       ("http://purl.org/spar/cito/", "cito:"),
                       ("http://www.w3.org/2004/02/skos/core#", "skos:"),
                       ("http://www.w3.org/ns/prov#", "prov:"),
                       ("http://www.w3.org/ns/org#", "org:"),
                       ("http://rdfs.org/ns/void#", "void:"),
                       ("http://www.w3.org/ns/dcat#", "dcat:"),
                       ("http://purl.org/dc/terms/", "dcterms:"),
                       ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf:")):
        if value.startswith(ns):
            return prefix + value[len(ns):]
    return value
