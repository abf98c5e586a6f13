"""kg build: the main job (kg.build)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="extract, normalize and write tables, report and graph")
    p.add_argument("--source", type=Path, help="source document (default: data/source.txt)")
    p.add_argument("--out", type=Path, help="output folder (default: data/)")
    p.add_argument(
        "--quiet", action="store_true", help="print nothing but errors (no quality report)"
    )


def run(args: argparse.Namespace) -> int:
    from kg.job import build

    s = build(args.source, args.out)
    if not args.quiet:
        print(s.report_text())
        for i in s.result.issues:
            if i.level in ("warning", "error"):
                print(f"  {i}", file=sys.stderr)
        print(
            f"graph: {s.triples} triples; wrote {', '.join(sorted(s.changed))} to {s.out} "
            f"({sum(s.changed.values())} changed) in {s.seconds:.2f} s"
        )
    return 0 if s.ok else 1
