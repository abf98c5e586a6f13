"""kg query: run a named query (queries/NAME.rq), a .rq file or SPARQL text on the graph.

    kg query --list
    kg query country_timeline --param country=PHL
    kg query forum_hubs --format csv > hubs.csv
    kg query my.rq --backend memory
    kg query events_by_country_year --endpoint http://127.0.0.1:7878

Output: an aligned table (Japanese text aligned by display width) or, for pipes, the SPARQL
1.1 results formats csv, tsv (terms in N-Triples form, header ``?var``: what kg serve answers)
or json. Errors (unknown query or parameter, bad value, syntax
error with its line and column) go to stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

from kg.store.local import BACKENDS

FORMATS = ("table", "csv", "tsv", "json")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "query",
        help="run a named SPARQL query (kg query --list) or a .rq file",
        description="Run a named query (queries/NAME.rq), a .rq file, SPARQL text or - (stdin) "
        "on the embedded store (default), rdflib's in-memory graph, or a SPARQL endpoint.",
    )
    p.add_argument("query", nargs="?", help="query name, .rq file, SPARQL text, or - for stdin")
    p.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter of the query (repeatable), e.g. --param country=PHL",
    )
    p.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default="table",
        help="table (for people; default), or the SPARQL 1.1 results formats csv, tsv, json",
    )
    p.add_argument(
        "--excel",
        action="store_true",
        help="with -f csv: start with a UTF-8 byte-order mark, so that Excel (Japanese Windows "
        "too) reads the Japanese text right",
    )
    p.add_argument(
        "--list",
        action="store_true",
        help="list the named queries: their questions, each parameter's meaning and allowed "
        "values (or the kg lookup command that lists them), and their notes",
    )
    p.add_argument(
        "--backend",
        choices=BACKENDS,
        default="store",
        help="store: the embedded Oxigraph store data/store (default; opens at once); "
        "store-memory: the same engine, graph loaded into memory first (faster queries on a "
        "big graph); memory: rdflib's own engine in memory",
    )
    p.add_argument(
        "--data", type=Path, help="data folder holding kg.nt and store/ (default: data/)"
    )
    p.add_argument("--endpoint", help="run on this SPARQL endpoint instead (see kg push)")
    p.add_argument("--timeout", type=float, default=60.0, help="endpoint timeout, seconds")
    p.add_argument(
        "--max-width",
        type=int,
        default=60,
        metavar="CELLS",
        help="table format: cut longer values to this display width (0: never)",
    )
    p.add_argument("--show", action="store_true", help="print the query as it would run, and stop")


def run(args: argparse.Namespace) -> int:
    try:  # a QueryError reaches kg.cli.main's one handler (message, exit 2)
        if args.list:
            return _list(args)
        if not args.query:
            _fail("give a query name, a .rq file or SPARQL text (kg query --list shows the names)")
        return _run(args)
    except BrokenPipeError:  # `kg query … | head`
        sys.stderr.close()
        return 0


def _fail(message: str) -> None:
    from kg.errors import QueryError

    raise QueryError(message)


def _params(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            _fail(f"--param takes KEY=VALUE, not {pair!r}")
        if key.strip() in out:
            _fail(f"parameter {key.strip()!r} given twice")
        out[key.strip()] = value
    return out


def _query_arg(arg: str):  # noqa: ANN202
    """A NamedQuery for a name or a file, else the SPARQL text itself."""
    from kg import paths
    from kg.sparql.catalogue import get_query, load_query_file

    if arg == "-":
        return sys.stdin.read()
    if "{" in arg or any(c.isspace() for c in arg.strip()):
        return arg  # SPARQL text
    path = Path(arg)
    if (
        arg.endswith(".rq")
        or "/" in arg
        or (path.is_file() and not (paths.queries_dir() / f"{arg}.rq").is_file())
    ):
        return load_query_file(path)
    return get_query(arg)


def _run(args: argparse.Namespace) -> int:
    from kg.errors import QueryError
    from kg.sparql.binding import prepare
    from kg.sparql.policy import ANY_GRAPH
    from kg.sparql.run import open_graph, run_query

    params = _params(args.param)
    if args.excel and args.format != "csv":
        _fail("--excel goes with --format csv")
    q = _query_arg(args.query)
    if args.show:
        if params and not isinstance(q, str):  # names given for codes: the codes they stand for
            from kg.sparql.lookup import resolve_params

            graph = None if args.endpoint else open_graph(args.backend, args.data)
            params = resolve_params(q, params, graph, args.endpoint, args.timeout)
        text, _, _ = prepare(q, params, graphs=ANY_GRAPH if args.endpoint else frozenset())
        print(text)
        return 0
    if args.endpoint:
        if args.data or args.backend != "store":
            _fail("--endpoint runs on the server: leave out --data and --backend")
        result = run_query(q, params, endpoint=args.endpoint, timeout=args.timeout)
        graph = None
    else:
        graph = open_graph(args.backend, args.data)
        result = run_query(q, params, graph=graph)
    if not result.rows and params and not isinstance(q, str):  # 0 rows: a value naming nothing?
        from kg.sparql.lookup import unknown_values

        problems = unknown_values(q, params, graph, args.endpoint, args.timeout)
        if problems:
            raise QueryError("; ".join(problems))
    sys.stdout.write(render(result, "excel" if args.excel else args.format, args.max_width))
    if len(result.documents) > 1:  # on stderr, so that piped csv/tsv/json stay clean
        sys.stdout.flush()
        print(
            f"answered from {len(result.documents)} documents (their merge, each fact once): "
            + ", ".join(result.documents),
            file=sys.stderr,
        )
    note = getattr(q, "note", "")
    if note:  # the answer's caveats, under it; on stderr, so that piped csv/tsv/json stay clean
        sys.stdout.flush()
        print(
            textwrap.fill(note, 100, initial_indent="note: ", subsequent_indent="  "),
            file=sys.stderr,
        )
    return 0


def _list(args: argparse.Namespace) -> int:
    from kg.sparql.catalogue import list_queries, param_specs
    from kg.sparql.lookup import param_help

    queries = list_queries()
    if args.format == "table":
        out = io.StringIO()
        for q in queries:
            specs = param_specs(q)
            usage = " ".join(
                (f"[--param {s.name}=<{s.kind}>]" if s.optional else f"--param {s.name}=<{s.kind}>")
                for s in specs
            )
            out.write(f"{q.name}  {usage}".rstrip() + "\n")
            out.write(f"    {q.question_ja}\n    {q.question_en}\n")
            out.write(f"    -> {' '.join('?' + v for v in q.variables)}\n")
            for h in param_help(q):  # each parameter: its meaning, then what it takes
                optional = " (optional)" if h.optional else ""
                out.write(f"    {h.name}{optional}: {h.meaning or h.kind}\n")
                out.write(
                    textwrap.fill(h.text(), 100, initial_indent=" " * 8, subsequent_indent=" " * 10)
                    + "\n"
                )
            if q.example:
                out.write(f"    e.g. {q.example}\n")
            if q.note:
                out.write(
                    textwrap.fill(
                        q.note, 100, initial_indent="    note: ", subsequent_indent=" " * 10
                    )
                    + "\n"
                )
        out.write(
            f"({len(queries)} named queries in {queries[0].path.parent if queries else '-'})\n"
        )
        sys.stdout.write(out.getvalue())
        return 0
    rows: list[dict[str, Any]] = [
        {
            "name": q.name,
            "question_ja": q.question_ja,
            "question_en": q.question_en,
            "params": " ".join(
                f"{s.name}:{s.kind}{'?' if s.optional else ''}" for s in param_specs(q)
            ),
            "variables": " ".join(q.variables),
            "example": q.example,
            "note": q.note,
        }
        for q in queries
    ]
    if args.format == "json":  # with each parameter's meaning and values (as kg serve's page)
        for row, q in zip(rows, queries, strict=True):
            row["param_help"] = [h.as_dict() for h in param_help(q)]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    else:
        for row, q in zip(rows, queries, strict=True):
            row["param_help"] = " | ".join(f"{h.name}: {h.text()}" for h in param_help(q))
        buf = io.StringIO()
        w = csv.DictWriter(
            buf,
            fieldnames=list(rows[0]),
            delimiter="," if args.format == "csv" else "\t",
            lineterminator="\n",
        )
        w.writeheader()
        w.writerows(rows)
        sys.stdout.write(buf.getvalue())
    return 0


# ------------------------------------------------------------------------------------------
#  Rendering
# ------------------------------------------------------------------------------------------


def render(result, fmt: str = "table", max_width: int = 60) -> str:  # noqa: ANN001
    """A QueryResult as text: the table for people, or a SPARQL results format (csv, tsv, json:
    kg.formats, the same writers kg serve answers with)."""
    from kg.formats import sparql_json, table

    if fmt == "table":
        return table.write(result.variables, result.rows, max_width)
    if fmt == "json":  # indented for reading; the same document kg serve sends compact
        doc = result.to_sparql_json()
        return sparql_json.dumps(doc, indent=1)
    if fmt in ("csv", "tsv", "excel"):  # excel: csv with a UTF-8 byte-order mark
        return result.serialize(fmt)
    raise ValueError(f"unknown format {fmt!r}")
