"""kg push: load the graph into an external SPARQL server (the library: kg.store.push)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

DESCRIPTION = """\
PUT the graph into a SPARQL server by the SPARQL 1.1 Graph Store Protocol: each source
document to its own named graph (the document's IRI), replaced as a whole, so pushing again
is idempotent; the ontology to the graph https://w3id.org/jdx/ontology. `kg query --endpoint`
then queries the document's graph (no server setting needed); with several documents on the
server, their merge, each fact once, which kg push keeps in https://w3id.org/jdx/id/graph/union.
--timeout is the deadline of the whole push."""

EXAMPLES = """\
examples:
  kg push --endpoint http://127.0.0.1:7878                 # Oxigraph (`oxigraph serve`)
  kg push --endpoint http://127.0.0.1:3030/jdx             # Apache Jena Fuseki, dataset /jdx
  kg push --endpoint http://127.0.0.1:8890/sparql \\
          --gsp http://127.0.0.1:8890/sparql-graph-crud-auth --user dba  # Virtuoso
  kg query forum_hubs --endpoint http://127.0.0.1:7878     # then query it there

Oxigraph's server has no authentication: keep it on a loopback address."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "push",
        help="load the graph into a SPARQL server (Graph Store Protocol), one graph per document",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--endpoint", required=True, metavar="URL", help="SPARQL query endpoint URL of the server"
    )
    p.add_argument(
        "--gsp",
        metavar="URL",
        help="Graph Store Protocol URL (default: derived from --endpoint: Oxigraph /query -> "
        "/store, Virtuoso /sparql -> /sparql-graph-crud, a Fuseki dataset URL serves both)",
    )
    p.add_argument(
        "--graph",
        type=Path,
        metavar="FILE",
        action="append",
        help="N-Triples file to push (repeatable; default: data/kg.nt)",
    )
    p.add_argument(
        "--data", type=Path, metavar="DIR", help="data folder whose kg.nt to push (default: data/)"
    )
    p.add_argument("--no-ontology", action="store_true", help="do not push ontology/jdx.ttl")
    p.add_argument(
        "--prune",
        action="store_true",
        help="delete the server's other source-document graphs (documents no longer built)",
    )
    p.add_argument(
        "--user", metavar="NAME", help="user name, for a server that asks (Basic or Digest)"
    )
    p.add_argument("--password", help="password for --user (default: $KG_PASSWORD)")
    p.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="deadline of the whole push, in seconds: past it the request under way is closed "
        "and the push stops with a message (default: 600)",
    )
    p.add_argument(
        "--retries",
        type=int,
        default=2,
        metavar="N",
        help="times a request that failed on the way (no connection, HTTP 429/502/503/504) is "
        "sent again within the deadline; safe, as PUT and DELETE are idempotent (default: 2)",
    )
    p.add_argument(
        "--content-type",
        metavar="TYPE",
        default="application/n-triples",
        help="media type of the pushed data (default: application/n-triples; N-Triples is "
        "also valid text/turtle, for servers that accept only Turtle)",
    )


def run(args: argparse.Namespace) -> int:
    from kg.store.push import push

    files = args.graph or ([args.data / "kg.nt"] if args.data else None)
    password = args.password if args.password is not None else os.environ.get("KG_PASSWORD", "")
    pushed, pruned = push(
        args.endpoint,
        files,
        gsp=args.gsp,
        ontology=not args.no_ontology,
        prune=args.prune,
        auth=(args.user, password) if args.user else None,
        timeout=args.timeout,
        content_type=args.content_type,
        retries=max(0, args.retries),
    )
    for p in pushed:
        print(f"<{p.graph}>: {p.triples} triples (HTTP {p.status}, {p.seconds:.2f} s)")
    for g in pruned:
        print(f"<{g}>: deleted")
    print(f"query it with: kg query NAME --endpoint {args.endpoint}")
    return 0
