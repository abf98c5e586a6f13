"""Write the build's outputs under data/: tables, report and graph serializations."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from kg.pipeline.flow import BuildResult
from kg.pipeline.quality import to_json
from kg.pipeline.rdf import build_graph, jsonld_context, to_jsonld, to_ntriples, to_turtle
from kg.pipeline.tables import (
    BUDGET_COLUMNS,
    EVENT_COLUMNS,
    STUDENT_COLUMNS,
    budget_rows,
    event_rows,
    student_rows,
    to_csv,
    write_text,
)


def table_texts(result: BuildResult) -> dict[str, str]:
    return {
        "events.csv": to_csv(EVENT_COLUMNS, event_rows(result.events)),
        "students.csv": to_csv(STUDENT_COLUMNS, student_rows(result.students)),
        "budget.csv": to_csv(BUDGET_COLUMNS, budget_rows(result.extraction.budget)),
        "quality.json": to_json(result.report),
    }


def graph_texts(graph: Graph) -> dict[str, str]:
    return {
        "kg.ttl": to_turtle(graph),
        "kg.nt": to_ntriples(graph),
        "kg.jsonld": to_jsonld(graph),
        "context.jsonld": json.dumps({"@context": jsonld_context()}, indent=1) + "\n",
    }


def write_outputs(result: BuildResult, out_dir: Path) -> tuple[Graph, dict[str, bool]]:
    """Write every output; returns the graph and which files changed."""
    graph = build_graph(result)
    changed = {}
    for name, text in {**table_texts(result), **graph_texts(graph)}.items():
        changed[name] = write_text(out_dir / name, text)
    return graph, changed
