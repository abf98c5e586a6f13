"""kg docs: the ontology's HTML documentation (pyLODE)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg import paths


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "docs",
        help="write the ontology documentation as HTML (pyLODE)",
        description=(
            "Write the HTML documentation of ontology/jdx.ttl (pyLODE, installed with the docs "
            "extra): every jdx: term at <page>#<local name>."
        ),
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="where the page goes (default: ontology/jdx.html)",
    )


def run(args: argparse.Namespace) -> int:
    from kg.check.docs import write_docs

    onto = paths.ontology_dir()
    out = write_docs(onto / "jdx.ttl", args.out or onto / "jdx.html")
    print(f"wrote {out}")
    return 0
