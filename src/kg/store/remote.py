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
    "DeadlineError",
    "HTTPStatusError",
    "document_graphs",
    "endpoint_urls",
    "http_request",
    "sparql_post",
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


_DOC_GRAPHS: dict[str, list[str]] = {}

DOC_GRAPHS_QUERY = (
    f"PREFIX jdx: <{JDX}> "
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a jdx:SourceDocument } } ORDER BY ?g"
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


def document_graphs(endpoint: str, refresh: bool = False, timeout: float = 60.0) -> list[str]:
    """Named graphs of the endpoint that hold a jdx:SourceDocument (one per pushed document)."""
    query_url, _ = endpoint_urls(endpoint)
    if refresh or query_url not in _DOC_GRAPHS:
        data = sparql_post(query_url, DOC_GRAPHS_QUERY, [], timeout)
        _DOC_GRAPHS[query_url] = [
            b["g"]["value"] for b in data.get("results", {}).get("bindings", []) if "g" in b
        ]
    return _DOC_GRAPHS[query_url]
