"""Load the graph into an external SPARQL server (SPARQL 1.1 Graph Store Protocol).

Each source document goes to its own named graph, named by the document's IRI
(``https://w3id.org/jdx/id/source/<sha256 prefix>``), replaced as a whole (HTTP PUT), so pushing
again is idempotent and several documents (several builds) can sit side by side; the ontology goes
to the graph ``https://w3id.org/jdx/ontology``. ``kg query --endpoint`` then queries the document
graph (``default-graph-uri``), so no server setting (union default graph) is needed. With several
documents on the server, queries read their RDF merge, each fact once: push writes it to the graph
``https://w3id.org/jdx/id/graph/union`` (read back from the server, so documents pushed by other
builds are merged too) and the graphs it merges to ``…/graph/union-index``; naming several graphs
as the default graph is a bag union on Oxigraph, where a join counts a shared triple once per
document. A merge that no longer matches the server's documents is refused at query time.

The endpoint is the SPARQL query endpoint; the Graph Store endpoint is derived from it
(:func:`kg.store.remote.endpoint_urls`) or given. A graph file that cannot be read, or is not
N-Triples, is refused before anything is sent (:class:`~kg.errors.StoreError`); a server that
refuses a request gives a :class:`~kg.errors.ServeError` with its answer.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from rdflib.namespace import PROV, RDF

from kg import paths
from kg.errors import QueryError, ServeError, StoreError
from kg.model.vocab import JDX, ONTOLOGY_IRI
from kg.store.local import GRAPH_FILE
from kg.store.remote import (
    UNION_GRAPH,
    UNION_INDEX_GRAPH,
    DeadlineError,
    HTTPStatusError,
    document_graphs,
    endpoint_urls,
    http_request,
    union_held,
)

__all__ = ["ONTOLOGY_GRAPH", "Pushed", "check_ntriples", "push", "split_by_document"]

T = TypeVar("T")
RDF_TYPE = f"<{RDF.type}>"
SOURCE_DOCUMENT = f"<{JDX.SourceDocument}>"
DERIVED_FROM = f"<{PROV.wasDerivedFrom}>"
ONTOLOGY_GRAPH = ONTOLOGY_IRI


#: The most one request's body holds: a larger graph goes as a PUT of its first part and POSTs
#: of the rest. Virtuoso 7.2 resets the connection for a body of about 4 MB (measured: 3.99 MB
#: taken, 4.04 MB refused), which the document's own graph passed on 2026-12-02.
CHUNK_BYTES = 1 << 20


@dataclass
class Pushed:
    """One graph the server took: its IRI, how many triples, how long, the HTTP status."""

    graph: str
    triples: int
    seconds: float
    status: int


def check_ntriples(path: Path, text: str) -> None:
    """Refuse a file that is not valid N-Triples (a truncated or hand-edited kg.nt), with its line,
    before anything is sent: the lines are split as text, and a server would take half of them."""
    import pyoxigraph as ox

    try:
        for _ in ox.parse(text, format=ox.RdfFormat.N_TRIPLES):
            pass
    except SyntaxError as exc:
        raise StoreError(f"cannot push {path}: {exc}; run `kg build` again") from None


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
        raise StoreError("no jdx:SourceDocument in the graph: is it a kg build output?")
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
    files: list[Path] | None = None,
    gsp: str | None = None,
    ontology: bool = True,
    prune: bool = False,
    auth: tuple[str, str] | None = None,
    timeout: float = 600.0,
    content_type: str = "application/n-triples",
    retries: int = 2,
) -> tuple[list[Pushed], list[str]]:
    """PUT each document's graph (and the ontology) to the server; a graph above
    :data:`CHUNK_BYTES` goes as a PUT of its first part and POSTs of the rest.

    ``files`` default to the build's data/kg.nt. With ``prune``, the server's other
    source-document graphs (documents no longer built) are deleted. Returns what was pushed and
    the IRIs of the graphs pruned.

    ``timeout`` is the deadline of the whole push, in seconds: past it the request under way is
    closed and a :class:`~kg.errors.ServeError` says which graphs were pushed before. A request
    that fails on the way (no connection, HTTP 429, 502, 503, 504) is sent again, up to
    ``retries`` times, within the deadline: PUT and DELETE are idempotent, so that is safe.
    """
    if timeout <= 0:
        raise ServeError(f"the push's timeout must be a positive number of seconds, not {timeout}")
    deadline = time.monotonic() + timeout
    _, derived = endpoint_urls(endpoint)
    store_url = gsp or derived
    graphs: dict[str, list[str]] = {}
    for f in files or [paths.data_dir() / GRAPH_FILE]:
        text = _read_text(Path(f), "run `kg build` first")
        check_ntriples(f, text)
        for g, lines in split_by_document(text).items():
            graphs.setdefault(g, []).extend(lines)
    onto = paths.ontology_dir() / "jdx.ttl"
    onto_body = (
        _read_text(onto, "is the ontology folder there?").encode("utf-8") if ontology else b""
    )
    pushed: list[Pushed] = []
    pruned: list[str] = []
    send = _Sender(auth, timeout, deadline, retries, pushed, pruned)
    for g, lines in graphs.items():
        unique = list(dict.fromkeys(lines))
        t0 = time.perf_counter()
        status = send.put_lines(store_url, g, unique, content_type)
        pushed.append(Pushed(g, len(unique), time.perf_counter() - t0, status))
    if ontology:
        triples = _count_turtle(onto)
        pushed.append(send.put(store_url, ONTOLOGY_GRAPH, onto_body, "text/turtle", triples))
    if prune:
        for g in send.call(lambda left: document_graphs(endpoint, refresh=True, timeout=left)):
            if g not in graphs:
                send.request(f"{store_url}?{urllib.parse.urlencode({'graph': g})}", "DELETE")
                pruned.append(g)
    docs = send.call(lambda left: document_graphs(endpoint, refresh=True, timeout=left))
    held = union_held(endpoint)
    if len(docs) > 1:
        pushed.append(send.union(store_url, docs))
    elif held:  # one document left: queries read its graph, and the merge goes
        for g in (UNION_GRAPH, UNION_INDEX_GRAPH):
            send.request(f"{store_url}?{urllib.parse.urlencode({'graph': g})}", "DELETE", ok=404)
    if len(docs) > 1 or held:  # what is cached of the merge changed
        send.call(lambda left: document_graphs(endpoint, refresh=True, timeout=left))
    return pushed, pruned


def _read_text(path: Path, hint: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}; {hint}") from None
    except UnicodeDecodeError as exc:
        raise StoreError(f"cannot read {path}: not UTF-8 text ({exc.reason})") from None


RETRY_STATUS = frozenset({429, 502, 503, 504})


@dataclass
class _Sender:
    """The push's requests, against one deadline, each retried when that is safe."""

    auth: tuple[str, str] | None
    timeout: float
    deadline: float
    retries: int
    pushed: list[Pushed]
    pruned: list[str]

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def call(self, fn: Callable[[float], T], what: str = "the server") -> T:
        """``fn(seconds left)``, retried on a failure on the way, within the deadline; the
        server's refusal is a ServeError (it refused what was sent)."""
        attempt = 0
        while True:
            try:
                return fn(self.left())
            except DeadlineError:
                raise self.late(what) from None
            except QueryError as exc:
                status = exc.status if isinstance(exc, HTTPStatusError) else None
                pause = 0.5 * 2**attempt
                if (
                    (status is not None and status not in RETRY_STATUS)
                    or attempt >= self.retries
                    or self.left() <= pause
                ):
                    tries = f" (tried {attempt + 1} times)" if attempt else ""
                    raise ServeError(exc.message + tries) from None
                attempt += 1
                time.sleep(pause)

    def late(self, what: str) -> ServeError:
        done = [p.graph for p in self.pushed] + [f"{g} (deleted)" for g in self.pruned]
        return ServeError(
            f"kg push: no complete answer from {what} within the push's deadline "
            f"({self.timeout:g} s for the whole push, --timeout); "
            + (f"pushed before it: {', '.join(done)}; " if done else "nothing was pushed; ")
            + "push again to finish (each graph is replaced as a whole, so that is safe)"
        )

    def request(
        self,
        url: str,
        method: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        ok: int = 0,
    ) -> int:
        """The request's status; ``ok``: a refusal status taken as done (404 on a DELETE)."""
        return self.fetch(url, method, body, headers, ok)[0]

    def fetch(
        self,
        url: str,
        method: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        ok: int = 0,
    ) -> tuple[int, bytes]:
        def once(left: float) -> tuple[int, bytes]:
            try:
                return http_request(
                    url,
                    data=body,
                    headers=headers,
                    method=method,
                    timeout=left,
                    auth=self.auth,
                    deadline=self.deadline,
                )
            except HTTPStatusError as exc:
                if exc.status != ok:
                    raise
                return exc.status, b""

        return self.call(once, f"{method} {url}")

    def union(self, url: str, docs: list[str]) -> Pushed:
        """The RDF merge of the document graphs (each triple once), read back from the server
        (Graph Store GET), to UNION_GRAPH; the graphs it merges to UNION_INDEX_GRAPH."""
        t0 = time.perf_counter()
        lines: set[str] = set()
        for d in docs:
            _, body = self.fetch(
                f"{url}?{urllib.parse.urlencode({'graph': d})}",
                "GET",
                headers={"Accept": "application/n-triples"},
            )
            text = body.decode("utf-8")
            check_ntriples(Path(f"<{d}>"), text)
            lines.update(ln.strip() for ln in text.splitlines() if ln.strip())
        unique = sorted(lines)
        status = self.put_lines(url, UNION_GRAPH, unique)
        self.put_lines(
            url, UNION_INDEX_GRAPH, [f"<{UNION_GRAPH}> {DERIVED_FROM} <{d}> ." for d in docs]
        )
        return Pushed(UNION_GRAPH, len(unique), time.perf_counter() - t0, status)

    def put_lines(
        self, url: str, graph: str, lines: list[str], ctype: str = "application/n-triples"
    ) -> int:
        """Replace ``graph`` by the N-Triples ``lines``: one PUT, or, above
        :data:`CHUNK_BYTES`, a PUT of the first part and POSTs (Graph Store merge) of the
        rest. Sent again after a failure, a part changes nothing (a graph is a set), and a
        push run again starts with the PUT, so the graph is whole either way. Returns the PUT's
        status."""
        target = f"{url}?{urllib.parse.urlencode({'graph': graph})}"
        headers = {"Content-Type": f"{ctype}; charset=utf-8"}
        status = 0
        for i, body in enumerate(_parts(lines, CHUNK_BYTES)):
            got = self.request(target, "POST" if i else "PUT", body=body, headers=headers)
            status = status or got
        return status

    def put(self, url: str, graph: str, body: bytes, ctype: str, triples: int) -> Pushed:
        t0 = time.perf_counter()
        status = self.request(
            f"{url}?{urllib.parse.urlencode({'graph': graph})}",
            "PUT",
            body=body,
            headers={"Content-Type": f"{ctype}; charset=utf-8"},
        )
        return Pushed(graph, triples, time.perf_counter() - t0, status)


def _parts(lines: list[str], limit: int) -> Iterator[bytes]:
    """``lines`` as N-Triples bodies of at most ``limit`` bytes (a longer line alone), in
    order; an empty graph is one body (its PUT empties the graph)."""
    part: list[bytes] = []
    size = 0
    for line in lines:
        data = line.encode("utf-8") + b"\n"
        if part and size + len(data) > limit:
            yield b"".join(part)
            part, size = [], 0
        part.append(data)
        size += len(data)
    yield b"".join(part) if part else b"\n"


def _count_turtle(path: Path) -> int:
    import rdflib

    return len(rdflib.Graph().parse(str(path), format="turtle"))
