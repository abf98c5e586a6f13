"""Write the build's outputs under data/: tables, report and graph serializations."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg import paths
from kg.formats import jsonld, ntriples, turtle
from kg.formats.triples import NTriplesGraph, sorted_triples
from kg.model.vocab import PREFIX_IRIS
from kg.pipeline.flow import BuildResult
from kg.pipeline.quality import to_json
from kg.pipeline.rdf import graph_triples
from kg.pipeline.tables import (
    BUDGET_COLUMNS,
    EVENT_COLUMNS,
    STUDENT_COLUMNS,
    budget_rows,
    event_rows,
    student_rows,
    to_csv,
)


def table_texts(result: BuildResult) -> dict[str, str]:
    return {
        "events.csv": to_csv(EVENT_COLUMNS, event_rows(result.events)),
        "students.csv": to_csv(STUDENT_COLUMNS, student_rows(result.students)),
        "budget.csv": to_csv(BUDGET_COLUMNS, budget_rows(result.extraction.budget)),
        "quality.json": to_json(result.report),
    }


def graph_texts(graph: Iterable[Any]) -> dict[str, str]:
    """The three serializations of ``graph`` (triples or an rdflib Graph) and the context file:
    one set of writers (kg.formats), so all three hold the same terms."""
    triples = graph if isinstance(graph, NTriplesGraph) else sorted_triples(graph)
    return {
        "kg.ttl": turtle.write(triples, PREFIX_IRIS),
        "kg.nt": ntriples.write(triples),
        "kg.jsonld": jsonld.write(triples, PREFIX_IRIS),
        "context.jsonld": jsonld.context_document(PREFIX_IRIS),
    }


def write_outputs(
    result: BuildResult, out_dir: Path, triples: NTriplesGraph | None = None
) -> tuple[NTriplesGraph, dict[str, bool]]:
    """Write every output; returns the graph's triples (sorted; ``triples`` when they were
    made already, by :func:`kg.pipeline.rdf.graph_triples`) and which files changed."""
    triples = graph_triples(result) if triples is None else triples
    changed = {}
    for name, text in {**table_texts(result), **graph_texts(triples)}.items():
        changed[name] = paths.write_text(out_dir / name, text)
    return triples, changed
