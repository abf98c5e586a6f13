"""kg report: the accounting of the build, per section and FY; writes data/quality.json.

With ``--source`` (another document), quality.json is written only where ``--out`` says: a
report on some other file must not replace the one that describes data/'s build.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg import paths, pipeline
from kg.pipeline.quality import format_report, to_json


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="items seen, records made and flagged, per section and FY; writes quality.json",
        description=(
            "Read the source document and account for it: per section and fiscal year, the "
            "items seen, the records made and the records flagged. Writes data/quality.json "
            "(with --source, only where --out says). Exits 1 when an item is unexplained."
        ),
    )
    p.add_argument(
        "--source",
        type=Path,
        metavar="FILE",
        help="source document (default: data/source.txt)",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where quality.json goes (default: data/, and nowhere when --source is given)",
    )
    p.add_argument("--issues", action="store_true", help="list every warning with its line")


def run(args: argparse.Namespace) -> int:
    result = pipeline.run(args.source)
    report = result.report
    out = args.out if args.out or args.source else paths.data_dir()
    if out is not None:
        paths.write_text(out / "quality.json", to_json(report))
    print(format_report(report))
    if args.issues:
        for i in result.issues:
            print(f"  {i}")
    errors = any(i.level == "error" for i in result.issues)
    return 1 if report["unexplained_items"] or errors else 0
