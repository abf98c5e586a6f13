"""kg docs: the ontology's HTML documentation (pyLODE)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg import paths


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="write the ontology documentation as HTML")
    p.add_argument("--out", type=Path, default=Path("ontology/jdx.html"))


def run(args: argparse.Namespace) -> int:
    from kg.check.docs import write_docs

    out = write_docs(paths.ontology_dir() / "jdx.ttl", args.out)
    print(f"wrote {out}")
    return 0
