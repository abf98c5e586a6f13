"""SHACL validation and OWL reasoning for the JDX knowledge graph.

Standalone on purpose (imports only ``kg.model`` and ``kg.errors``) so that the build, the CLI
and the tests can all call it on any rdflib graph; :func:`read_graph` reads one from a file.

- :func:`validate_graph` runs pyshacl against ``ontology/shapes.ttl`` and turns the SHACL
  results graph into sorted, plain :class:`Violation` records.
- :func:`reason` runs HermiT (through owlready2, which needs Java) over the ontology, optionally
  with data, and reports consistency plus the ``rdf:type`` triples the reasoner added.
"""

from __future__ import annotations

import io
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import BNode, Literal, Node, URIRef

from kg.errors import StoreError
from kg.model.vocab import JDX, ONTOLOGY_IRI

__all__ = [
    "ReasoningResult",
    "ValidationResult",
    "Violation",
    "read_graph",
    "reason",
    "validate_graph",
]

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    """One SHACL result, flattened to strings so it can be printed, sorted and compared."""

    focus: str
    path: str
    message: str
    severity: str
    value: str = ""

    def __str__(self) -> str:
        path = f" [{self.path}]" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: <{self.focus}>{path} {self.message}{value}"


@dataclass
class ValidationResult:
    """Outcome of :func:`validate_graph`.

    ``conforms`` is False only when at least one result has severity ``Violation``: warnings
    (such as two English labels on one resource) are reported but do not fail a build.
    """

    conforms: bool
    violations: list[Violation]
    seconds: float

    @property
    def errors(self) -> list[Violation]:
        """Results with severity Violation (the ones that make ``conforms`` False)."""
        return [v for v in self.violations if v.severity == "Violation"]

    def report(self, limit: int | None = None) -> str:
        """Human-readable text, one result per line, for CLI output and test failures."""
        shown = self.violations if limit is None else self.violations[:limit]
        head = f"conforms={self.conforms} results={len(self.violations)} seconds={self.seconds:.3f}"
        lines = [head, *(str(v) for v in shown)]
        if limit is not None and len(self.violations) > limit:
            lines.append(f"... {len(self.violations) - limit} more")
        return "\n".join(lines)


def _node_text(node: Node | None, graph: rdflib.Graph) -> str:
    """Render a result node: IRIs plainly, literals by value, paths in Turtle-ish form.

    Blank-node paths (sequence or inverse paths) are rendered from their triples so that the
    text does not depend on the random blank-node identifiers.
    """
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, BNode):
        inverse = graph.value(node, SH.inversePath)
        if inverse is not None:
            return f"^{_node_text(inverse, graph)}"
        if (node, RDF.first, None) in graph:
            items = Collection(graph, node)
            return " / ".join(_node_text(item, graph) for item in items)
        return "_:" + str(node)
    return str(node)


def _severity_name(node: Node | None) -> str:
    """Local name of sh:Violation / sh:Warning / sh:Info."""
    if node is None:
        return "Violation"
    text = str(node)
    return text.rsplit("#", 1)[-1]


def _parse_results(results: rdflib.Graph) -> list[Violation]:
    """Flatten every sh:ValidationResult of a pyshacl results graph, deterministically sorted."""
    out: set[Violation] = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        if not messages:
            component = results.value(result, SH.sourceConstraintComponent)
            messages = [f"Constraint {component} not satisfied"]
        out.add(
            Violation(
                focus=_node_text(results.value(result, SH.focusNode), results),
                path=_node_text(results.value(result, SH.resultPath), results),
                message=" / ".join(messages),
                severity=_severity_name(results.value(result, SH.resultSeverity)),
                value=_node_text(results.value(result, SH.value), results),
            )
        )
    return sorted(
        out,
        key=lambda v: (_SEVERITY_ORDER.get(v.severity, 9), v.focus, v.path, v.message, v.value),
    )


def _class_hierarchy(ontology: rdflib.Graph) -> rdflib.Graph:
    """The ``rdfs:subClassOf`` triples between named classes of the ontology."""
    hierarchy = rdflib.Graph()
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            hierarchy.add((sub, RDFS.subClassOf, sup))
    return hierarchy


def read_graph(path: Path) -> rdflib.Graph:
    """The graph in ``path`` (N-Triples when it ends in .nt, else Turtle).

    A missing or malformed file is a :class:`~kg.errors.StoreError` with the file and line:
    Oxigraph reads it first because its syntax errors say where, where rdflib's do not.
    """
    import pyoxigraph as ox

    nt = path.suffix == ".nt"
    if not path.is_file():
        raise StoreError(f"{path} not found; run `kg build` first")
    try:
        for _ in ox.parse(
            path=str(path), format=ox.RdfFormat.N_TRIPLES if nt else ox.RdfFormat.TURTLE
        ):
            pass
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot read {path}: {exc}") from None
    return rdflib.Graph().parse(str(path), format="nt" if nt else "turtle")


def validate_graph(
    data: rdflib.Graph,
    shapes_path: Path,
    ontology_path: Path | None = None,
    *,
    inference: str = "none",
) -> ValidationResult:
    """Validate ``data`` against the SHACL shapes in ``shapes_path``.

    The shapes bite on the published data alone (``ontology_path=None``): every event is
    typed ``jdx:Event`` itself and the event shapes also target both axes' classes, so an
    event typed only ``jdx:Meeting`` is checked all the same. With an ontology,
    ``sh:targetClass`` and ``sh:class`` also follow its ``rdfs:subClassOf`` triples, which
    must then be *in the data graph*: with ``inference="none"`` (the default) only the
    ontology's class hierarchy is mixed into a copy of the data (mixing in the whole
    ontology would also validate its ~100 labelled terms, about 1 s more). Any other
    ``inference`` value ("rdfs", "owlrl", "both") passes the full ontology to pyshacl for
    entailment. ``advanced=True`` is required for the SHACL-AF
    SPARQL target of the date-in-fiscal-year check. ``data`` itself is never modified.
    """
    import pyshacl  # local import: pyshacl is slow to import and only needed here

    shapes = rdflib.Graph().parse(str(shapes_path), format="turtle")
    ont: rdflib.Graph | None = None
    if ontology_path is not None:
        ont = rdflib.Graph().parse(str(ontology_path), format="turtle")
        if inference == "none":
            ont = _class_hierarchy(ont)
    start = time.perf_counter()
    _conforms, results_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ont,
        inference=inference,
        advanced=True,
        allow_infos=True,
        allow_warnings=True,
        inplace=False,
        abort_on_first=False,
    )
    seconds = time.perf_counter() - start
    violations = _parse_results(results_graph)
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationResult(conforms=conforms, violations=violations, seconds=seconds)


@dataclass
class ReasoningResult:
    """Outcome of :func:`reason`.

    ``inferred`` holds the ``rdf:type`` triples that hold after reasoning but were not asserted
    (including types reached through the class hierarchy). ``reasoner_ran`` is False when HermiT
    could not run at all (no Java, Java error); then ``consistent`` is False and ``message``
    says why, so callers must not read it as a proof of inconsistency.
    """

    consistent: bool
    seconds: float
    inferred: rdflib.Graph
    message: str
    unsatisfiable: list[str] = field(default_factory=list)
    reasoner_ran: bool = True


def _java_available() -> str | None:
    """Path of the Java executable owlready2 will call, or None."""
    import owlready2

    return shutil.which(owlready2.JAVA_EXE)


def reason(ontology_path: Path, data: rdflib.Graph | None = None) -> ReasoningResult:
    """Run HermiT over the ontology (plus ``data``) and report consistency and new types.

    owlready2 cannot read Turtle, so the graphs are merged and handed over as N-Triples.
    HermiT only supports the OWL 2 datatype map and aborts on ``xsd:date``, ``xsd:gYear`` and
    ``xsd:gYearMonth`` (used by the ontology and the data); it is therefore run with
    ``--ignoreUnsupportedDatatypes``, which skips those values instead of failing.
    """
    import owlready2

    empty = rdflib.Graph()
    if _java_available() is None:
        return ReasoningResult(
            consistent=False,
            seconds=0.0,
            inferred=empty,
            message=(
                f"Java executable {owlready2.JAVA_EXE!r} not found: HermiT needs Java "
                "(install a JRE, or set owlready2.JAVA_EXE); reasoning skipped."
            ),
            reasoner_ran=False,
        )

    merged = rdflib.Graph()
    merged.parse(str(ontology_path), format="turtle")
    if data is not None:
        for triple in data:
            merged.add(triple)
    asserted = {
        (str(s), str(o))
        for s, o in merged.subject_objects(RDF.type)
        if isinstance(s, URIRef) and isinstance(o, URIRef)
    }
    ntriples = merged.serialize(format="nt", encoding="utf-8")

    world = owlready2.World()
    start = time.perf_counter()
    try:
        world.get_ontology(ONTOLOGY_IRI).load(fileobj=io.BytesIO(ntriples), format="ntriples")
        owlready2.sync_reasoner_hermit(
            world,
            infer_property_values=False,
            debug=0,
            ignore_unsupported_datatypes=True,
        )
    except owlready2.OwlReadyInconsistentOntologyError:
        seconds = time.perf_counter() - start
        world.close()
        return ReasoningResult(
            consistent=False,
            seconds=seconds,
            inferred=empty,
            message="HermiT: the ontology (with the data) is inconsistent.",
        )
    except (owlready2.OwlReadyJavaError, OSError) as exc:
        seconds = time.perf_counter() - start
        world.close()
        first = str(exc).strip().splitlines()
        return ReasoningResult(
            consistent=False,
            seconds=seconds,
            inferred=empty,
            message="HermiT could not run: " + " ".join(first[:3]),
            reasoner_ran=False,
        )
    seconds = time.perf_counter() - start

    inferred = rdflib.Graph()
    inferred.bind("jdx", JDX)
    # world.individuals() only lists nodes declared owl:NamedIndividual, which data rarely
    # does, so look up every IRI the merged graph mentions instead.
    nodes = {n for n in merged.all_nodes() if isinstance(n, URIRef)}
    for node in sorted(nodes):
        individual = world[str(node)]
        if not isinstance(individual, owlready2.Thing):
            continue
        iri = individual.iri
        for cls in individual.INDIRECT_is_a:
            if not isinstance(cls, owlready2.ThingClass) or cls is owlready2.Thing:
                continue
            if (iri, cls.iri) not in asserted:
                inferred.add((URIRef(iri), RDF.type, URIRef(cls.iri)))
    unsatisfiable = sorted(
        c.iri for c in world.inconsistent_classes() if isinstance(c, owlready2.ThingClass)
    )
    world.close()

    message = f"HermiT: consistent; {len(inferred)} inferred rdf:type triples."
    if unsatisfiable:
        message += " Unsatisfiable classes: " + ", ".join(unsatisfiable)
    return ReasoningResult(
        consistent=True,
        seconds=seconds,
        inferred=inferred,
        message=message,
        unsatisfiable=unsatisfiable,
    )
