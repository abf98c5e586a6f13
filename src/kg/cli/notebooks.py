"""kg notebooks: run the analyst notebooks and render them to HTML (the library: kg.notebooks)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "notebooks",
        help="run the notebooks and write HTML copies to read without Jupyter",
        description=(
            "Build each notebook from its source (notebooks/NN_name.py), execute it top to "
            "bottom and write NN_name.ipynb and NN_name.html (figures inline, nothing loaded "
            "from outside the page) to data/notebooks/, and the figures it saves to "
            "data/notebooks/figures/. Needs the notebook extra: pip install -e '.[notebook]'."
        ),
    )
    p.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="notebooks to run, as 01 or 01_tour (default: all)",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="output folder (default: data/notebooks/; figures go to DIR/figures/)",
    )
    p.add_argument(
        "--timeout",
        type=int,
        default=300,
        metavar="SECONDS",
        help="seconds per cell (default: 300)",
    )


def run(args: argparse.Namespace) -> int:
    from kg.notebooks import render

    for r in render(args.names or None, out=args.out, timeout=args.timeout):
        print(f"{r.html} ({len(r.figures)} figures, {r.seconds:.0f} s)")
    return 0
