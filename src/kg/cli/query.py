"""kg query: run a named query (queries/NAME.rq), a .rq file or SPARQL text on the graph.

    kg query --list
    kg query country_timeline --param country=PHL
    kg query forum_hubs --format csv > hubs.csv
    kg query my.rq --backend memory
    kg query events_by_country_year --endpoint http://127.0.0.1:7878

Output: an aligned table (Japanese text aligned by display width) or, for pipes, csv, tsv or
json (SPARQL 1.1 Query Results JSON). Errors (unknown query or parameter, bad value, syntax
error with its line and column) go to stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

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
    p.add_argument("--format", "-f", choices=FORMATS, default="table")
    p.add_argument("--list", action="store_true", help="list the named queries and their questions")
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
    from kg.sparql.queries import QueryError

    try:
        if args.list:
            return _list(args)
        if not args.query:
            _fail("give a query name, a .rq file or SPARQL text (kg query --list shows the names)")
        return _run(args)
    except QueryError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `kg query … | head`
        sys.stderr.close()
        return 0


def _fail(message: str) -> None:
    from kg.sparql.queries import QueryError

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
    from kg.sparql.queries import get_query, load_query_file

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
    from kg.sparql.queries import bind, open_graph, prepare, run_query

    params = _params(args.param)
    q = _query_arg(args.query)
    if args.show:
        text, _, _ = prepare(q, params, local=args.endpoint is None)
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
    sys.stdout.write(render(result, args.format, args.max_width))
    if not result.rows and params and not isinstance(q, str):
        for var, term in bind(q, params):
            if not _exists(term, graph, args.endpoint, args.timeout):
                name = next(k for k, v in _spec_vars(q).items() if v == var)
                print(
                    f"kg: warning: nothing in the graph is {name}={params[name]} ({term.n3()})",
                    file=sys.stderr,
                )
    return 0


def _spec_vars(q) -> dict[str, str]:  # noqa: ANN001
    from kg.sparql.queries import param_specs

    return {s.name: s.variable for s in param_specs(q)}


def _exists(term, graph, endpoint, timeout) -> bool:  # noqa: ANN001
    """Whether a bound parameter names something in the graph (for a helpful warning)."""
    from rdflib import URIRef

    from kg.sparql.queries import _nt, run_query

    if isinstance(term, URIRef):
        text = f"ASK {{ {{ {_nt(term)} ?p ?o }} UNION {{ ?s ?p {_nt(term)} }} }}"
    else:
        text = f"ASK {{ ?s jdx:code {_nt(term)} }}"
    r = run_query(text, graph=graph, endpoint=endpoint, timeout=timeout)
    return str(r.rows[0][0]) == "true"


def _list(args: argparse.Namespace) -> int:
    from kg.sparql.queries import list_queries, param_specs

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
            if q.example:
                out.write(f"    e.g. {q.example}\n")
        out.write(
            f"({len(queries)} named queries in {queries[0].path.parent if queries else '-'})\n"
        )
        sys.stdout.write(out.getvalue())
        return 0
    rows = [
        {
            "name": q.name,
            "question_ja": q.question_ja,
            "question_en": q.question_en,
            "params": " ".join(
                f"{s.name}:{s.kind}{'?' if s.optional else ''}" for s in param_specs(q)
            ),
            "variables": " ".join(q.variables),
            "example": q.example,
        }
        for q in queries
    ]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    else:
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
    """A QueryResult as text: table, csv, tsv or json."""
    if fmt == "json":
        return json.dumps(result.to_sparql_json(), ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        if fmt == "csv":
            w = csv.writer(buf, lineterminator="\r\n")
            w.writerow(result.variables)
            for row in result.rows:
                w.writerow(["" if v is None else str(v) for v in row])
        else:
            buf.write("\t".join(result.variables) + "\n")
            for row in result.rows:
                buf.write("\t".join(_tsv(v) for v in row) + "\n")
        return buf.getvalue()
    if fmt == "table":
        return table(result.variables, [[_cell(v) for v in row] for row in result.rows], max_width)
    raise ValueError(f"unknown format {fmt!r}")


def _tsv(v) -> str:  # noqa: ANN001
    if v is None:
        return ""
    return (
        str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _cell(v) -> str:  # noqa: ANN001
    """A term for the table: IRIs shortened with the project's prefixes, text on one line."""
    from rdflib import URIRef

    from kg.model.vocab import compact

    if v is None:
        return ""
    if isinstance(v, URIRef):
        short = compact(str(v))
        return short if short != str(v) else f"<{v}>"
    return " ".join(str(v).split())


def width(s: str) -> int:
    """Display width in terminal cells (East Asian wide characters count 2)."""
    from wcwidth import wcswidth, wcwidth

    w = wcswidth(s)
    if w >= 0:
        return w
    return sum(max(wcwidth(ch), 0) for ch in s)


def cut(s: str, cells: int) -> str:
    """s cut to at most `cells` display cells, ending in … when cut."""
    if cells <= 0 or width(s) <= cells:
        return s
    from wcwidth import wcwidth

    out, used = [], 0
    for ch in s:
        w = max(wcwidth(ch), 0)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _numeric(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def table(headers: list[str], rows: list[list[str]], max_width: int = 60) -> str:
    """An aligned text table; numeric columns right-aligned; widths by display cells."""
    cells = [[cut(c, max_width) for c in row] for row in rows]
    n = len(headers)
    widths = [width(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], width(c))
    right = [
        bool(rows) and all(_numeric(r[i]) for r in rows if r[i] != "") and any(r[i] for r in rows)
        for i in range(n)
    ]

    def line(values: list[str]) -> str:
        parts = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - width(v))
            parts.append(pad + v if right[i] else v + pad)
        return "  ".join(parts).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
