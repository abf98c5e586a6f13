"""kg report: the accounting of the build, per section and FY; writes data/quality.json."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import pipeline
from .quality import format_report, to_json
from .rules import default_data_dir
from .tables import write_text


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="items seen, records made and flagged, per section and FY")
    p.add_argument("--source", type=Path)
    p.add_argument("--out", type=Path, help="where quality.json goes (default: data/)")
    p.add_argument("--issues", action="store_true", help="list every warning with its line")


def run(args: argparse.Namespace) -> int:
    result = pipeline.run(args.source)
    report = result.report
    write_text((args.out or default_data_dir()) / "quality.json", to_json(report))
    print(format_report(report))
    if args.issues:
        for i in result.issues:
            print(f"  {i}")
    return 1 if report["unexplained_items"] else 0
