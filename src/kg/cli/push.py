"""kg push: load the graph into an external SPARQL server (SPARQL 1.1 Graph Store Protocol).

    kg push --endpoint http://127.0.0.1:7878                 # Oxigraph (`oxigraph serve`)
    kg push --endpoint http://127.0.0.1:3030/jdx             # Apache Jena Fuseki, dataset /jdx
    kg push --endpoint http://127.0.0.1:8890/sparql \\
            --gsp http://127.0.0.1:8890/sparql-graph-crud-auth --user dba --password dba  # Virtuoso
    kg query forum_hubs --endpoint http://127.0.0.1:7878

Each source document goes to its own named graph, named by the document's IRI
(``https://w3id.org/jdx/id/source/<sha256 prefix>``), replaced as a whole (HTTP PUT), so pushing
again is idempotent and several documents (several builds) can sit side by side; the ontology goes
to the graph ``https://w3id.org/jdx/ontology``. ``kg query --endpoint`` then queries the merge of
the document graphs (``default-graph-uri``), so no server setting (union default graph) is needed.

``--endpoint`` is the SPARQL query endpoint; the Graph Store endpoint is derived from it
(Oxigraph: ``/query`` -> ``/store``; Virtuoso: ``/sparql`` -> ``/sparql-graph-crud``; a Fuseki
dataset URL serves both) or given with ``--gsp``. Oxigraph's server has no authentication: keep it
on a loopback address.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from rdflib.namespace import PROV, RDF

from kg.model.vocab import JDX, ONTOLOGY_IRI

RDF_TYPE = f"<{RDF.type}>"
SOURCE_DOCUMENT = f"<{JDX.SourceDocument}>"
DERIVED_FROM = f"<{PROV.wasDerivedFrom}>"
ONTOLOGY_GRAPH = ONTOLOGY_IRI


@dataclass
class Pushed:
    graph: str
    triples: int
    seconds: float
    status: int


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "push",
        help="load the graph into a SPARQL server (Graph Store Protocol), one graph per document",
        description=(__doc__ or "").split("\n\n")[0],
    )
    p.add_argument("--endpoint", required=True, help="SPARQL query endpoint URL of the server")
    p.add_argument("--gsp", help="Graph Store Protocol URL (default: derived from --endpoint)")
    p.add_argument(
        "--graph",
        type=Path,
        action="append",
        help="N-Triples file to push (repeatable; default: data/kg.nt)",
    )
    p.add_argument("--data", type=Path, help="data folder whose kg.nt to push (default: data/)")
    p.add_argument("--no-ontology", action="store_true", help="do not push ontology/jdx.ttl")
    p.add_argument(
        "--prune",
        action="store_true",
        help="delete the server's other source-document graphs (documents no longer built)",
    )
    p.add_argument("--user", help="user name, for a server that asks (Basic or Digest)")
    p.add_argument("--password", help="password for --user (default: $KG_PASSWORD)")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per request")
    p.add_argument(
        "--content-type",
        default="application/n-triples",
        help="media type of the pushed data (N-Triples is also valid text/turtle, for servers "
        "that accept only Turtle)",
    )


def run(args: argparse.Namespace) -> int:
    from kg import paths
    from kg.sparql.queries import QueryError

    files = args.graph or [(args.data or paths.data_dir()) / "kg.nt"]
    password = args.password if args.password is not None else os.environ.get("KG_PASSWORD", "")
    auth = (args.user, password) if args.user else None
    try:
        pushed, pruned = push(
            args.endpoint,
            files,
            gsp=args.gsp,
            ontology=not args.no_ontology,
            prune=args.prune,
            auth=auth,
            timeout=args.timeout,
            content_type=args.content_type,
        )
    except QueryError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 2
    for p in pushed:
        print(f"<{p.graph}>: {p.triples} triples (HTTP {p.status}, {p.seconds:.2f} s)")
    for g in pruned:
        print(f"<{g}>: deleted")
    print(f"query it with: kg query NAME --endpoint {args.endpoint}")
    return 0


def check_ntriples(path: Path, text: str) -> None:
    """Refuse a file that is not valid N-Triples (a truncated or hand-edited kg.nt), with its line,
    before anything is sent: the lines are split as text, and a server would take half of them."""
    import pyoxigraph as ox

    from kg.sparql.queries import QueryError

    try:
        for _ in ox.parse(text, format=ox.RdfFormat.N_TRIPLES):
            pass
    except SyntaxError as exc:
        raise QueryError(f"cannot push {path}: {exc}; run `kg build` again") from None


def split_by_document(nt_text: str) -> dict[str, list[str]]:
    """N-Triples lines per source-document graph (graph IRI -> lines).

    With one jdx:SourceDocument in the file (a build reads one document), every line goes to
    its graph. With several, a subject derived from a document (prov:wasDerivedFrom) goes to that
    document's graph, and what no document claims (countries, offices, fiscal years …) goes to
    every one, so that each named graph stands on its own.
    """
    lines = [ln for ln in nt_text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    docs = sorted(
        {ln.split(" ", 1)[0][1:-1] for ln in lines if f" {RDF_TYPE} {SOURCE_DOCUMENT} " in ln}
    )
    if not docs:
        from kg.sparql.queries import QueryError

        raise QueryError("no jdx:SourceDocument in the graph: is it a kg build output?")
    if len(docs) == 1:
        return {docs[0]: lines}
    owner: dict[str, set[str]] = {}
    for ln in lines:
        s, rest = ln.split(" ", 1)
        if rest.startswith(DERIVED_FROM + " "):
            owner.setdefault(s, set()).add(rest[len(DERIVED_FROM) + 1 :].rsplit(" .", 1)[0][1:-1])
    for d in docs:
        owner.setdefault(f"<{d}>", set()).add(d)
    out: dict[str, list[str]] = {d: [] for d in docs}
    for ln in lines:
        s = ln.split(" ", 1)[0]
        for d in sorted(owner.get(s, docs)):
            out[d].append(ln)
    return out


def push(
    endpoint: str,
    files: list[Path],
    gsp: str | None = None,
    ontology: bool = True,
    prune: bool = False,
    auth: tuple[str, str] | None = None,
    timeout: float = 600.0,
    content_type: str = "application/n-triples",
) -> tuple[list[Pushed], list[str]]:
    """PUT each document's graph (and the ontology) to the server; returns what was pushed."""
    from kg.errors import QueryError
    from kg.store.remote import document_graphs, endpoint_urls, http_request

    _, derived = endpoint_urls(endpoint)
    store_url = gsp or derived
    graphs: dict[str, list[str]] = {}
    for f in files:
        try:
            text = Path(f).read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(
                f"cannot read {f}: {exc.strerror or exc}; run `kg build` first"
            ) from None
        except UnicodeDecodeError as exc:
            raise QueryError(f"cannot read {f}: not UTF-8 text ({exc.reason})") from None
        check_ntriples(f, text)
        for g, lines in split_by_document(text).items():
            graphs.setdefault(g, []).extend(lines)
    pushed = []
    for g, lines in graphs.items():
        body = ("\n".join(dict.fromkeys(lines)) + "\n").encode("utf-8")
        pushed.append(_put(store_url, g, body, content_type, auth, timeout))
        pushed[-1].triples = len(dict.fromkeys(lines))
    if ontology:
        from kg import paths

        onto = paths.ontology_dir() / "jdx.ttl"
        p = _put(store_url, ONTOLOGY_GRAPH, onto.read_bytes(), "text/turtle", auth, timeout)
        p.triples = _count_turtle(onto)
        pushed.append(p)
    pruned = []
    if prune:
        for g in document_graphs(endpoint, refresh=True, timeout=timeout):
            if g not in graphs:
                url = f"{store_url}?{urllib.parse.urlencode({'graph': g})}"
                http_request(url, method="DELETE", timeout=timeout, auth=auth)
                pruned.append(g)
    document_graphs(endpoint, refresh=True, timeout=timeout)  # forget what was cached
    return pushed, pruned


def _put(url: str, graph: str, body: bytes, ctype: str, auth, timeout: float) -> Pushed:  # noqa: ANN001
    from kg.store.remote import http_request

    t0 = time.perf_counter()
    status, _ = http_request(
        f"{url}?{urllib.parse.urlencode({'graph': graph})}",
        data=body,
        headers={"Content-Type": f"{ctype}; charset=utf-8"},
        method="PUT",
        timeout=timeout,
        auth=auth,
    )
    return Pushed(graph, 0, time.perf_counter() - t0, status)


def _count_turtle(path: Path) -> int:
    import rdflib

    return len(rdflib.Graph().parse(str(path), format="turtle"))
