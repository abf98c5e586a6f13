"""kg build: the main job."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from . import pipeline
from .outputs import write_outputs
from .quality import format_report
from .rules import default_data_dir


def _fill_store(result: pipeline.BuildResult, graph: Graph, out: Path) -> None:
    from .store import post_build  # imported here: every `kg` command imports this module

    post_build(result, graph, out)


def _write_views(result: pipeline.BuildResult, graph: Graph, out: Path) -> None:
    from .viz import write_default_views

    write_default_views(result, graph, out)


# Steps after the tables and the graph: fn(result, graph, out_dir).
POST_BUILD: list[Callable[[pipeline.BuildResult, Graph, Path], None]] = [_fill_store, _write_views]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="extract, normalize and write tables, report and graph")
    p.add_argument("--source", type=Path, help="source document (default: data/source.txt)")
    p.add_argument("--out", type=Path, help="output folder (default: data/)")
    p.add_argument("--quiet", action="store_true")


def run(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    out = args.out or default_data_dir()
    result = pipeline.run(args.source)
    graph, changed = write_outputs(result, out)
    for hook in POST_BUILD:
        hook(result, graph, out)
    if not args.quiet:
        print(format_report(result.report))
        for i in result.issues:
            if i.level in ("warning", "error"):
                print(f"  {i}", file=sys.stderr)
        print(
            f"graph: {len(graph)} triples; wrote {', '.join(sorted(changed))} to {out} "
            f"({sum(changed.values())} changed) in {time.perf_counter() - t0:.2f} s"
        )
    return 1 if any(i.level == "error" for i in result.issues) else 0
