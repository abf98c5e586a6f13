"""kg report: the accounting of the build, per section and FY; writes data/quality.json.

With ``--source`` (another document), quality.json is written only where ``--out`` says: a
report on some other file must not replace the one that describes data/'s build. With
``--flags``, the flag glossary (data/flags.csv, kg.model.flags) with each flag's count in this
build; a flag the build made that the glossary lacks is listed too, and the exit status is 1.
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
    p.add_argument(
        "--flags",
        action="store_true",
        help="print the flag glossary instead (data/flags.csv: each flag's kind, informational "
        "or check, its meaning in en and ja, and its count in this build)",
    )


def run(args: argparse.Namespace) -> int:
    result = pipeline.run(args.source)
    report = result.report
    out = args.out if args.out or args.source else paths.data_dir()
    if out is not None:
        paths.write_text(out / "quality.json", to_json(report))
    if args.flags:
        text, missing = flag_table(report["flags"])
        print(text)
        return 1 if missing else 0
    print(format_report(report))
    if args.issues:
        for i in result.issues:
            print(f"  {i}")
    errors = any(i.level == "error" for i in result.issues)
    return 1 if report["unexplained_items"] or errors else 0


def flag_table(counts: dict[str, int]) -> tuple[str, list[str]]:
    """The glossary as a table, with each flag's count (``counts``: flag -> records), and the
    flags counted that the glossary has no row for."""
    from kg.formats.table import table
    from kg.model.flags import describe, glossary

    rows = []
    for g in glossary():
        n = sum(c for f, c in counts.items() if (d := describe(f)) and d.row == g.flag)
        rows.append([g.flag, g.kind, str(n), g.meaning_en, g.meaning_ja])
    missing = sorted(f for f in counts if describe(f) is None)
    for f in missing:
        rows.append([f, "?", str(counts[f]), "(no row in data/flags.csv)", ""])
    text = table(["flag", "kind", "records", "meaning_en", "meaning_ja"], rows, max_width=0)
    return text.rstrip("\n"), missing
