"""External SPARQL servers over HTTP (SPARQL 1.1 Protocol and Graph Store Protocol).

Only URLs the user gave on the command line (``--endpoint``) are ever requested; loopback
requests bypass any proxy.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from kg.errors import QueryError
from kg.model.vocab import JDX

__all__ = [
    "UNION_GRAPH",
    "UNION_INDEX_GRAPH",
    "DeadlineError",
    "HTTPStatusError",
    "document_graphs",
    "endpoint_urls",
    "http_request",
    "query_dataset",
    "sparql_post",
    "union_held",
    "union_sources",
]

USER_AGENT = "jdx-kg (kg query)"


def endpoint_urls(endpoint: str) -> tuple[str, str]:
    """(query URL, Graph Store Protocol URL) for an endpoint as given on the command line.

    ``http://host:7878`` (Oxigraph's base) -> ``/query`` and ``/store``; ``…/query`` -> the same
    folder's ``/store``; ``…/sparql`` (Virtuoso) -> ``…/sparql-graph-crud``; any other URL (a
    Fuseki dataset such as ``http://host:3030/jdx``) serves both.
    """
    u = urllib.parse.urlsplit(endpoint)
    if u.scheme not in ("http", "https") or not u.netloc:
        raise QueryError(f"endpoint must be an http(s) URL, not {endpoint!r}")
    path = u.path.rstrip("/")
    base = urllib.parse.urlunsplit((u.scheme, u.netloc, "", "", ""))
    if path == "":
        return base + "/query", base + "/store"
    if path.endswith("/query"):
        return base + path, base + path[: -len("query")] + "store"
    if path.endswith("/sparql"):
        return base + path, base + path + "-graph-crud"
    return base + path, base + path


class DeadlineError(QueryError):
    """No complete answer before the deadline (a server that stalls or trickles its answer)."""


class HTTPStatusError(QueryError):
    """The server answered with an HTTP error status (``status``)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class _Watched:
    """The connections of one request, so that a watchdog can close them at the deadline:
    a socket timeout bounds each read, not a server that sends one byte every few seconds."""

    def __init__(self) -> None:
        self.conns: list[http.client.HTTPConnection] = []
        self.fired = False

    def plain(self, host: str, **kw: Any) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection(host, **kw)
        self.conns.append(conn)
        return conn

    def tls(self, host: str, **kw: Any) -> http.client.HTTPConnection:
        conn = http.client.HTTPSConnection(host, **kw)
        self.conns.append(conn)
        return conn

    def abort(self) -> None:
        self.fired = True
        for conn in self.conns:
            sock = conn.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _handlers(watch: _Watched) -> list:
    class Http(urllib.request.HTTPHandler):
        def http_open(self, req):  # noqa: ANN001, ANN202
            return self.do_open(watch.plain, req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req):  # noqa: ANN001, ANN202
            return self.do_open(watch.tls, req)

    return [Http(), Https()]


def http_request(
    url: str,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
    timeout: float = 60.0,
    auth: tuple[str, str] | None = None,
    deadline: float | None = None,
) -> tuple[int, bytes]:
    """One HTTP request (urllib, no proxy for loopback); QueryError with the server's answer.

    ``timeout`` bounds the whole request, from connecting to the answer's last byte (and
    ``deadline``, a :func:`time.monotonic` instant, when it comes sooner): past it the
    connection is closed and :class:`DeadlineError` raised.
    """
    now = time.monotonic()
    end = now + timeout if deadline is None else min(deadline, now + timeout)
    if end <= now:
        raise DeadlineError(f"{method or 'GET'} {url}: no time left before the deadline")
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("User-Agent", USER_AGENT)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    watch = _Watched()
    handlers: list = [urllib.request.ProxyHandler({}), *_handlers(watch)]
    if auth:
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, auth[0], auth[1])
        handlers += [
            urllib.request.HTTPBasicAuthHandler(mgr),
            urllib.request.HTTPDigestAuthHandler(mgr),
        ]
    opener = urllib.request.build_opener(*handlers)
    watchdog = threading.Timer(end - now, watch.abort)
    watchdog.daemon = True
    watchdog.start()
    try:
        with opener.open(req, timeout=end - now) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()
        raise HTTPStatusError(
            f"{method or 'GET'} {url}: HTTP {exc.code} {exc.reason}: {body[:500]}", exc.code
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        if watch.fired or isinstance(exc, TimeoutError) or time.monotonic() >= end:
            raise DeadlineError(
                f"{method or 'GET'} {url}: no complete answer within {end - now:.0f} s"
            ) from None
        reason = getattr(exc, "reason", exc)
        raise QueryError(f"cannot reach {url}: {reason}") from None
    finally:
        watchdog.cancel()


#: Several documents on one server are queried as one graph, their RDF merge (each triple
#: once): ``kg push`` writes it to this graph (a graph is a set), and the graphs it merges to
#: UNION_INDEX_GRAPH. Naming several graphs as the default graph (``default-graph-uri``) is a
#: bag union on some servers (Oxigraph 0.5), where a join then counts a shared triple once per
#: document.
UNION_GRAPH = "https://w3id.org/jdx/id/graph/union"
UNION_INDEX_GRAPH = "https://w3id.org/jdx/id/graph/union-index"
_PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"

# endpoint query URL -> (document graphs, the graphs UNION_GRAPH merges, whether it is there)
_DOC_GRAPHS: dict[str, tuple[list[str], list[str], bool]] = {}

DOC_GRAPHS_QUERY = (
    f"PREFIX jdx: <{JDX}> SELECT DISTINCT ?g ?m ?u WHERE {{ "
    f"{{ GRAPH ?g {{ ?d a jdx:SourceDocument }} FILTER(?g != <{UNION_GRAPH}>) }} UNION "
    f"{{ GRAPH <{UNION_INDEX_GRAPH}> {{ <{UNION_GRAPH}> <{_PROV_DERIVED}> ?m }} }} UNION "
    f"{{ SELECT ?u WHERE {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} BIND(true AS ?u) }} LIMIT 1 }} }}"
)


def sparql_post(url: str, text: str, default_graphs: list[str], timeout: float) -> dict:
    form = [("query", text)] + [("default-graph-uri", g) for g in default_graphs]
    _, body = http_request(
        url,
        data=urllib.parse.urlencode(form).encode("utf-8"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
        method="POST",
        timeout=timeout,
    )
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError:
        raise QueryError(f"{url} did not answer with SPARQL JSON results: {body[:200]!r}") from None


def _graphs(endpoint: str, refresh: bool, timeout: float) -> tuple[list[str], list[str], bool]:
    query_url, _ = endpoint_urls(endpoint)
    if refresh or query_url not in _DOC_GRAPHS:
        rows = sparql_post(query_url, DOC_GRAPHS_QUERY, [], timeout)
        bindings = rows.get("results", {}).get("bindings", [])
        docs = sorted({b["g"]["value"] for b in bindings if "g" in b})
        merged = sorted({b["m"]["value"] for b in bindings if "m" in b})
        _DOC_GRAPHS[query_url] = (docs, merged, any("u" in b for b in bindings))
    return _DOC_GRAPHS[query_url]


def document_graphs(endpoint: str, refresh: bool = False, timeout: float = 60.0) -> list[str]:
    """Named graphs of the endpoint that hold a jdx:SourceDocument (one per pushed document)."""
    return list(_graphs(endpoint, refresh, timeout)[0])


def union_sources(endpoint: str, refresh: bool = False, timeout: float = 60.0) -> list[str]:
    """The document graphs the server's UNION_GRAPH merges (none when it has none)."""
    return list(_graphs(endpoint, refresh, timeout)[1])


def union_held(endpoint: str, refresh: bool = False, timeout: float = 60.0) -> bool:
    """Whether the server holds a UNION_GRAPH (or its index) at all."""
    _, merged, held = _graphs(endpoint, refresh, timeout)
    return held or bool(merged)


def query_dataset(endpoint: str, timeout: float = 60.0) -> tuple[list[str], list[str]]:
    """(the default graph to query, the documents it holds) for a query without FROM.

    One document: its graph. Several: UNION_GRAPH, their merge, which ``kg push`` keeps; when
    it merges other documents than the server holds (a graph pushed or deleted by another
    tool), a QueryError says so rather than answer from a stale merge or count twice.
    """
    docs, merged, _ = _graphs(endpoint, False, timeout)
    if len(docs) <= 1:
        return list(docs), list(docs)
    if merged != docs:
        docs, merged, _ = _graphs(endpoint, True, timeout)  # pushed since it was cached?
    if merged != docs:
        raise QueryError(
            f"{endpoint} holds {len(docs)} documents ({', '.join(docs)}) but its union graph "
            f"<{UNION_GRAPH}> merges "
            + (", ".join(merged) if merged else "none")
            + ": run `kg push` again to rebuild it (queries over several documents read their "
            "merge, so that each fact counts once)"
        )
    return [UNION_GRAPH], list(docs)
