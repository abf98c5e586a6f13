"""kg serve: a read-only SPARQL endpoint over the built graph, and a page to query it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg import paths


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="read-only SPARQL 1.1 endpoint (/sparql) and query page (/) over data/kg.nt",
        description=(
            "Serve the built graph (data/kg.nt; run `kg build` first) through the SPARQL 1.1 "
            "Protocol at /sparql, with a query page at /, and a page for every IRI of the graph "
            "(https://w3id.org/jdx/id/X at /id/X, the ontology at /ontology; HTML, Turtle, "
            "N-Triples or JSON-LD). Read-only: SPARQL Update, SERVICE and remote FROM are "
            "refused. Each query and page runs in a worker process killed at the time limit."
        ),
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ADDRESS",
        help="address to bind (default: 127.0.0.1)",
    )
    p.add_argument(
        "--port", type=int, default=7879, metavar="PORT", help="port (default: 7879; 0: any free)"
    )
    p.add_argument("--data", type=Path, metavar="DIR", help="folder holding kg.nt (default: data/)")
    p.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="seconds a query may run (default: 10)",
    )
    p.add_argument(
        "--max-rows",
        type=int,
        metavar="N",
        default=10_000,
        help="rows (or triples) per answer; more are cut and flagged (default: 10000)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="queries run at the same time (default: 2)",
    )
    p.add_argument(
        "--memory-mb",
        type=int,
        metavar="MIB",
        default=2048,
        help="address-space limit of a query worker in MiB; 0: none (default: 2048)",
    )
    p.add_argument("--quiet", action="store_true", help="no request log")


def run(args: argparse.Namespace) -> int:
    from kg.serve.server import Server, ServerConfig

    config = ServerConfig(
        data_dir=args.data or paths.data_dir(),
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        max_rows=args.max_rows,
        workers=args.workers,
        memory_mb=args.memory_mb,
        quiet=args.quiet,
    )
    server = Server(config)
    if not server.loopback_only:
        print(
            f"kg serve: warning: binding {args.host}, reachable beyond this machine; the "
            "endpoint has no authentication",
            file=sys.stderr,
        )
    h = server.health()
    print(
        f"kg serve: {h['triples']} triples; SPARQL endpoint {server.url}sparql, query page "
        f"{server.url} (time limit {config.timeout:g} s, {config.max_rows} rows; workers' "
        f"network: {h['worker_network']}). Ctrl+C stops.",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
