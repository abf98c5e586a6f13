"""External SPARQL servers over HTTP (SPARQL 1.1 Protocol and Graph Store Protocol).

Only URLs the user gave on the command line (``--endpoint``) are ever requested; loopback
requests bypass any proxy.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from kg.errors import QueryError
from kg.model.vocab import JDX

__all__ = ["document_graphs", "endpoint_urls", "http_request", "sparql_post"]

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


def http_request(
    url: str,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
    timeout: float = 60.0,
    auth: tuple[str, str] | None = None,
) -> tuple[int, bytes]:
    """One HTTP request (urllib, no proxy for loopback); QueryError with the server's answer."""
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("User-Agent", USER_AGENT)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    handlers: list = [urllib.request.ProxyHandler({})]
    if auth:
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, auth[0], auth[1])
        handlers += [
            urllib.request.HTTPBasicAuthHandler(mgr),
            urllib.request.HTTPDigestAuthHandler(mgr),
        ]
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()
        raise QueryError(
            f"{method or 'GET'} {url}: HTTP {exc.code} {exc.reason}: {body[:500]}"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise QueryError(f"cannot reach {url}: {reason}") from None


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
