"""kg lookup: find offices, countries, forums, events … by name, in Japanese or English.

    kg lookup 統幕長                     # = 統合幕僚長 = "Chief of Staff, Joint Staff"
    kg lookup 豪 --type country          # = オーストラリア = Australia
    kg lookup 会談 --limit 5 --format json
    kg lookup --type office              # every value `--param actor=` takes

Each hit: its score and match level (exact > prefix > substring > bigram overlap), its type
(data/types.csv), its code (what ``kg query --param`` takes), its labels (ja, en), its IRI and
its page in ``kg serve`` (``/id/…``). The library call is kg.sparql.lookup.lookup.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

FORMATS = ("table", "json", "csv")
COLUMNS = ("score", "level", "type", "code", "label_ja", "label_en", "iri", "page")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lookup",
        help="find things by name (ja/en, aliases, parts of names): IRI, type, code, page",
        description="Search the graph's labels, aliases and codes, and the gazetteers' names, "
        "in Japanese or English (any case or width; two-character words and one-character "
        "aliases such as 豪 work). Hits are ranked exact > prefix > substring > bigram "
        "overlap, each with its type, code, labels, IRI and kg serve page.",
    )
    p.add_argument(
        "text",
        nargs="?",
        default="",
        help="a name or part of one; leave out with --type to list all of a type",
    )
    p.add_argument(
        "--type",
        "-t",
        action="append",
        metavar="TYPE",
        help="only this type of data/types.csv (repeatable): office, country, forum, edition, "
        "position, organization, place, fy, indicator, budget, event, document",
    )
    p.add_argument(
        "--lang",
        choices=("ja", "en"),
        help="match only names in this language (codes and untagged aliases always count)",
    )
    p.add_argument(
        "--format", "-f", choices=FORMATS, default="table", help="table (default), json or csv"
    )
    p.add_argument(
        "--limit", "-n", type=int, default=20, metavar="N", help="at most N hits (0: all)"
    )
    p.add_argument(
        "--data", type=Path, help="data folder holding kg.nt and store/ (default: data/)"
    )
    p.add_argument("--endpoint", help="search the graph of this SPARQL endpoint instead")


def run(args: argparse.Namespace) -> int:
    from kg.errors import QueryError
    from kg.sparql.lookup import names
    from kg.sparql.run import open_graph

    if not args.text.strip() and not args.type:
        raise QueryError("give a text to look up, or --type TYPE to list every one of a type")
    if args.endpoint and args.data:
        raise QueryError("--endpoint searches the server's graph: leave out --data")
    graph = None if args.endpoint else open_graph("store", args.data)
    index = names(graph, args.endpoint, data_dir=args.data)
    hits = index.search(args.text, args.type, args.lang, args.limit or None)
    rows = [h.as_dict() for h in hits]
    try:
        sys.stdout.write(render(rows, args.format))
    except BrokenPipeError:  # `kg lookup … | head`
        sys.stderr.close()
    return 0


def render(rows: list[dict], fmt: str) -> str:
    """Hits (Hit.as_dict) as a table for people, or as json or csv."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(COLUMNS) + ["matched"], lineterminator="\n")
        w.writeheader()
        w.writerows({k: r[k] for k in (*COLUMNS, "matched")} for r in rows)
        return buf.getvalue()
    from kg.formats.table import cut, table
    from kg.model.vocab import compact

    cells = [
        [
            f"{r['score']:.2f}" if r["level"] else "",
            r["level"],
            r["type"],
            r["code"],
            cut(r["label_ja"], 30),
            cut(r["label_en"], 40),
            compact(r["iri"]),  # IRIs and pages whole: they are to be followed
            r["page"],
        ]
        for r in rows
    ]
    return table(list(COLUMNS), cells, max_width=0)
