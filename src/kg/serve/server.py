"""A read-only SPARQL 1.1 Protocol endpoint over the built graph, and a page to query it.

``kg serve`` runs :class:`Server`: a standard-library ``ThreadingHTTPServer`` that answers

- ``GET|POST /sparql`` -- the SPARQL 1.1 Protocol (``query=`` in the URL or a form body, or an
  ``application/sparql-query`` body). SELECT and ASK answer JSON, XML, CSV or TSV, CONSTRUCT and
  DESCRIBE Turtle, JSON-LD (with its context inline), N-Triples or RDF/XML, by content
  negotiation (``Accept``) or a ``format=`` parameter. A named query runs with ``name=`` and its
  parameters (``name=country_timeline&country=AUS``); parameters are validated and bound as RDF
  terms through ``VALUES``.
- ``GET /`` -- the query page (``kg/static/``: plain HTML, JS and CSS, nothing from elsewhere).
- ``GET /views/<name>.html`` -- a network view built into ``data/views/`` (kg build, kg viz),
  read from disk as it is, under its own Content-Security-Policy (its inline scripts, by hash);
  its nodes link to their ``/id/…`` pages here. ``GET /views/`` is their index.
- ``GET /api/queries`` -- the named queries (``queries/*.rq``) as JSON; ``GET /api/prefixes`` --
  the project's prefixes (kg.model.vocab), which queries may use undeclared; ``GET /health``.

Safety, by construction rather than by hope:

- Read-only. The graph is loaded from ``data/kg.nt`` into in-memory Oxigraph stores held by worker
  processes; only ``Store.query`` is ever called. SPARQL Update (``update=``,
  ``application/sparql-update`` or update text sent as a query) is refused with 403.
- No query can make the server fetch a URL: ``SERVICE`` is refused, and so are ``FROM``/``FROM
  NAMED`` and ``default-graph-uri``/``named-graph-uri`` naming graphs not held here (this store
  holds none: the data sits in the default graph). JSON-LD is written with its context inline. On
  Linux the workers also drop into a network namespace of their own when the kernel allows it.
- A time limit per query: each query runs in a worker process that is killed at the deadline
  (and replaced); the client gets 503. The policy's check of the query text runs there too:
  the server process only reads bounded requests (one Content-Length, at most MAX_BODY bytes,
  within ``read_timeout``; at most ``max_connections`` at once) and hands them on. A
  result-size limit: at most ``max_rows`` rows (or triples); a truncated answer says so in the
  ``KG-Truncated`` header.
- One build at a time: the workers load a private copy of kg.nt; a new build is loaded by a
  new set of workers and switched to at once (WorkerPool). ``/health`` tells the truth.
- POSTs from pages of other origins are refused (Origin, Sec-Fetch-Site); the query page
  POSTs ``application/sparql-query``, which needs a preflight this endpoint never grants.
- Bound to 127.0.0.1 unless told otherwise; requests whose ``Host`` is not a loopback name are
  refused while bound to loopback (DNS rebinding). Every answer carries
  ``Content-Security-Policy: default-src 'self'``.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import hashlib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg import paths
from kg.errors import KgError, QueryError, ServeError
from kg.formats import results
from kg.model.vocab import JDXR, PREFIX_IRIS
from kg.sparql import policy

STATIC_DIR = Path(__file__).resolve().parent / "static"
ID_BASE = str(JDXR)

#: Prefixes a query may use without declaring them (the project's, as kg query knows them).
DEFAULT_PREFIXES: dict[str, str] = PREFIX_IRIS

CSP = (
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "object-src 'none'"
)
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAX_BODY = 256 * 1024  # bytes of a POSTed query (the token scan, in a worker, takes < 1 s)


@dataclass
class ServerConfig:
    data_dir: Path = field(default_factory=paths.data_dir)
    host: str = "127.0.0.1"
    port: int = 7879
    timeout: float = 10.0  # seconds per query, wall clock, in the worker
    max_rows: int = 10_000  # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) per answer
    workers: int = 2  # worker processes (queries that run at the same time)
    memory_mb: int = 2048  # address-space limit of a worker; 0: none
    isolate: bool = True  # workers in a network namespace of their own, where Linux allows
    quiet: bool = False
    reload_poll: float = 1.0  # seconds between looks at kg.nt for a new build
    read_timeout: float = 10.0  # seconds a client may take to send a request's headers or body
    max_connections: int = 64  # connections served at once; more are answered 503 at once

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_rows <= 0 or self.workers <= 0 or self.memory_mb < 0:
            raise ServeError("timeout, max_rows and workers must be positive, memory_mb >= 0")
        if self.read_timeout <= 0 or self.max_connections <= 0 or self.reload_poll <= 0:
            raise ServeError("read_timeout, max_connections and reload_poll must be positive")
        if not 0 <= self.port <= 65535:
            raise ServeError(f"port {self.port}: give 0 (any free port) to 65535")


class StartError(ServeError):
    """The endpoint cannot start: its workers could not load the graph."""


class Refused(KgError):
    """A request the endpoint will not run: HTTP status and a message for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# --------------------------------------------------------------------------------------
#  Checking query text: kg.sparql.policy, the rules kg query follows, made HTTP answers
# --------------------------------------------------------------------------------------


def check_query(
    text: str,
    local_graphs: frozenset[str] = frozenset(),
    deep: bool = False,
    dataset: list[str] | None = None,
) -> str:
    """Refuse (403) what the policy refuses: updates, SERVICE, FROM and dataset parameters
    naming graphs not held here.

    The token scan is linear and runs in the server before a query goes to a worker; ``deep``
    (in the worker, under the time limit) also parses text that mentions "service" with
    rdflib's parser to make sure no SERVICE clause hides from the scan. Returns the query form
    (SELECT, ASK, CONSTRUCT, DESCRIBE; "" if none: the engine then says why).
    """
    try:
        shape = policy.check(text, graphs=local_graphs, dataset=dataset or (), deep=deep)
    except policy.Forbidden as exc:
        raise Refused(403, str(exc)) from None
    return shape.form or ""


# --------------------------------------------------------------------------------------
#  Named queries and their parameters
# --------------------------------------------------------------------------------------


def named_queries() -> list[Any]:
    """The named queries of queries/ (kg.sparql.catalogue), or none when the folder is missing."""
    from kg.sparql.catalogue import list_queries

    try:
        return list(list_queries())
    except QueryError:
        return []


def check_param(kind: str, value: str) -> str:
    """The value, if kg query would take it (its kind's ``convert``, kg.sparql.params: ``phl``,
    ``FY2022``, ``jdxr:…`` too), in its canonical form; 400 with what the kind looks like."""
    from kg.sparql.params import PARAM_KINDS

    if kind not in PARAM_KINDS:
        raise Refused(400, f"parameters of kind {kind!r} cannot be given here")
    try:
        term = PARAM_KINDS[kind].convert(value)
    except ValueError:
        raise Refused(
            400, f"invalid value {value[:80]!r}: expected {PARAM_KINDS[kind].looks}"
        ) from None
    canonical = str(term)
    if kind in ("iso3", "fy"):  # the code, as the pattern has it
        canonical = canonical.rsplit("/", 1)[1]
    if not re.fullmatch(PARAM_KINDS[kind].pattern, canonical):
        raise Refused(400, f"invalid value {value[:80]!r}: expected {PARAM_KINDS[kind].looks}")
    return canonical


def prepare_named(
    named: Any, text: str, values: dict[str, str], graphs: frozenset[str] = frozenset()
) -> str:
    """The executable text of a named query (or of its edited text) with parameters bound.

    Each value must first be one kg query takes (check_param, made canonical); then
    kg.sparql.binding's prepare checks the text by the policy and binds each value exactly as
    `kg query` does: as an RDF term, by a VALUES block in the WHERE group of the query and of
    each sub-query that uses the parameter's variable. Edited text keeps the parameters its own
    ``# param:`` header declares.
    """
    from kg.sparql.binding import prepare
    from kg.sparql.catalogue import param_specs

    if text and text != named.text:
        named = dataclasses.replace(named, text=text)
    params: dict[str, str] = {}
    try:
        for spec in param_specs(named):
            value = values.get(spec.name, "")
            if value == "":
                if spec.optional:
                    continue
                raise Refused(
                    400, f"parameter {spec.name!r} is required ({spec.description or spec.kind})"
                )
            params[spec.name] = check_param(spec.kind, value)
        prepared, _, _ = prepare(named, params, graphs=graphs)
    except QueryError as exc:  # the message names the query file: keep the server's paths out
        message = str(exc).replace(str(named.path), f"{named.name}.rq")
        raise Refused(403 if isinstance(exc, policy.Forbidden) else 400, message) from None
    return prepared


# --------------------------------------------------------------------------------------
#  Content negotiation
# --------------------------------------------------------------------------------------

RESULT_TYPES = results.MEDIA_TYPES
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
_RESULT_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/javascript": "json",
    "application/javascript": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_MEDIA = {
    "text/turtle": "turtle",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
    "application/n3": "turtle",
    "application/ld+json": "jsonld",
    "application/x-json+ld": "jsonld",
    "application/json": "jsonld",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}
_FORMAT_WORDS = {
    "results": {
        "json": "json",
        "xml": "xml",
        "csv": "csv",
        "tsv": "tsv",
        "excel": "excel",  # csv with a byte-order mark, for Excel (the page's download)
        **_RESULT_MEDIA,
    },
    "graph": {
        "turtle": "turtle",
        "ttl": "turtle",
        "n3": "turtle",
        "json-ld": "jsonld",
        "jsonld": "jsonld",
        "json": "jsonld",
        "xml": "rdfxml",
        "rdf": "rdfxml",
        "rdf+xml": "rdfxml",
        "rdfxml": "rdfxml",
        "nt": "ntriples",
        "ntriples": "ntriples",
        "n-triples": "ntriples",
        **_GRAPH_MEDIA,
    },
}


def negotiate(kind: str, accept: str, formats: list[str]) -> str | None:
    """The format to answer in (``kind`` "results" or "graph"), or None: 406."""
    words = _FORMAT_WORDS[kind]
    for f in formats:
        if f.strip().lower() in words:
            return words[f.strip().lower()]
    media = _RESULT_MEDIA if kind == "results" else _GRAPH_MEDIA
    default = "json" if kind == "results" else "turtle"
    if not accept or not accept.strip():
        return default
    ranges = []
    for n, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        mt = bits[0].lower()
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(b[2:])
        if mt and q > 0:
            ranges.append((-q, mt.count("*"), n, mt))
    for _, _, _, mt in sorted(ranges):
        if mt in media:
            return media[mt]
        if mt == "*/*":
            return default
        if mt.endswith("/*"):
            major = mt[:-1]
            for m, f in media.items():
                if m.startswith(major):
                    return f
    return None


# --------------------------------------------------------------------------------------
#  Writing results (in the worker)
# --------------------------------------------------------------------------------------


def write_results(fmt: str, variables: list[str], rows: list[tuple]) -> bytes:
    """A SELECT's rows of pyoxigraph terms, written by kg.formats (as kg query writes them)."""
    return results.write(fmt, variables, rows).encode()


def write_boolean(fmt: str, value: bool) -> bytes:
    return results.write_boolean(fmt, value).encode()


def write_jsonld(triples: list[Any], prefixes: dict[str, str]) -> bytes:
    """Compact JSON-LD, the context inline (prefixes only): kg.formats' writer, as kg build's."""
    return write_graph("jsonld", triples, prefixes)


def write_graph(fmt: str, triples: list[Any], prefixes: dict[str, str]) -> bytes:
    """A CONSTRUCT or DESCRIBE answer in ``fmt``, sorted, by the writers kg build uses."""
    from kg.formats import serialize

    return serialize(fmt, triples, prefixes).encode()


# --------------------------------------------------------------------------------------
#  Worker processes
# --------------------------------------------------------------------------------------


def _isolate_network() -> str:
    """Drop into a network namespace with no interfaces but loopback (Linux, when allowed)."""
    if not sys.platform.startswith("linux"):
        return "not isolated (not Linux)"
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        clone_newnet, clone_newuser = 0x40000000, 0x10000000
        if libc.unshare(clone_newnet) == 0:
            return "isolated"
        if libc.unshare(clone_newuser | clone_newnet) == 0:
            return "isolated"
        return "not isolated (" + os.strerror(ctypes.get_errno()) + ")"
    except Exception as exc:  # any failure leaves the checks on query text as the guard
        return f"not isolated ({type(exc).__name__})"


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the server process dies, even mid-query."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes
            import signal

            ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG


def _limit_memory(mb: int) -> None:
    if mb <= 0:
        return
    try:
        import resource

        limit = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def worker_main(conn: Any) -> None:
    """A worker process: load the graph, then answer queries from the socket until told to stop.

    The first message holds the settings: ``{"nt": path, "prefixes": {...}, "memory_mb": int,
    "isolate": bool}``.
    """
    _die_with_parent()
    settings = conn.recv()
    isolation = _isolate_network() if settings["isolate"] else "not isolated (turned off)"
    from kg.store.local import StoreError, memory_store

    try:
        store = memory_store(settings["nt"])
    except StoreError as exc:  # a missing, truncated or hand-edited kg.nt: say so and stop
        conn.send({"ready": False, "error": str(exc)})
        return
    _limit_memory(settings["memory_mb"])
    prefixes = settings["prefixes"]
    conn.send({"ready": True, "triples": len(store), "isolation": isolation})
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        try:
            if "page" in msg:  # a page of the graph (kg.serve.pages), not a query
                from kg.serve import pages

                reply = pages.worker_answer(store, settings["nt"], msg, settings.get("source"))
            else:
                reply = execute(store, msg, prefixes)
        except MemoryError:
            reply = _error(507, "The query needs more memory than a query may use.")
        except Exception as exc:  # never let a query take the worker down silently
            reply = _error(500, f"Query failed: {type(exc).__name__}")
        conn.send(reply)


def _error(status: int, message: str) -> dict[str, Any]:
    return {"status": status, "type": "text/plain; charset=utf-8", "body": message.encode()}


def execute(store: Any, msg: dict[str, Any], prefixes: dict[str, str]) -> dict[str, Any]:
    """Run one query on a pyoxigraph store and serialize its answer (in the worker)."""
    import pyoxigraph as ox

    t0 = time.perf_counter()
    max_rows = msg["max_rows"]
    text = msg["query"]
    try:
        local = frozenset(msg["local_graphs"])
        # The policy's token scan runs here, under the time limit, not in the server process:
        # whatever the text holds, the server spends no time on it.
        check_query(text, local, deep=True, dataset=msg.get("dataset") or [])
        # Binding parameters parses (and, for a syntax check, runs on an empty store) the text,
        # so it happens here, under the time limit, never in the server process.
        if msg.get("name"):
            from kg.sparql.catalogue import get_query

            try:
                named = get_query(msg["name"])
            except QueryError:
                return _error(404, "No named query of that name; see /api/queries.")
            text = prepare_named(named, text, msg["params"], local)
            check_query(text, local, deep=True)  # what runs is checked, whoever wrote it
    except Refused as r:
        return _error(r.status, r.message)
    try:
        result = store.query(text, prefixes=prefixes)
        headers: dict[str, str] = {}
        if isinstance(result, ox.QueryBoolean):
            fmt = negotiate("results", msg["accept"], msg["formats"])
            if fmt is None:
                return _not_acceptable("results")
            body = write_boolean(fmt, bool(result))
            ctype = RESULT_TYPES[fmt]
            count = 1
        elif isinstance(result, ox.QuerySolutions):
            fmt = negotiate("results", msg["accept"], msg["formats"])
            if fmt is None:
                return _not_acceptable("results")
            variables = [v.value for v in result.variables]
            rows: list[tuple[Any, ...]] = []
            for sol in result:
                if len(rows) >= max_rows:
                    headers["KG-Truncated"] = f"true; limit={max_rows}"
                    break
                rows.append(tuple(sol[v] for v in variables))
            body = write_results(fmt, variables, rows)
            ctype = RESULT_TYPES[fmt]
            count = len(rows)
        else:
            fmt = negotiate("graph", msg["accept"], msg["formats"])
            if fmt is None:
                return _not_acceptable("graph")
            triples: list[Any] = []
            for t in result:
                if len(triples) >= max_rows:
                    headers["KG-Truncated"] = f"true; limit={max_rows}"
                    break
                triples.append(t)
            body = write_graph(fmt, triples, prefixes)
            ctype = GRAPH_TYPES[fmt]
            count = len(triples)
    except SyntaxError as exc:
        return _error(400, _syntax_message(text, exc))
    except (OSError, RuntimeError, ValueError) as exc:
        return _error(400, f"Query evaluation error: {exc}")
    headers["KG-Results"] = str(count)
    headers["KG-Query-Time"] = f"{(time.perf_counter() - t0) * 1000:.1f}ms"
    charset = "" if fmt in ("json", "jsonld") else "; charset=utf-8"
    return {"status": 200, "type": ctype + charset, "body": body, "headers": headers}


def _syntax_message(text: str, exc: SyntaxError) -> str:
    """A parse error as kg query reports it: line, column, the line and a caret under it (at
    Oxigraph's position; rdflib's parser, which kg query also asks, is not loaded here)."""
    from kg.sparql.shape import error_at_line

    m = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?: (.*)", str(exc), re.DOTALL)
    if m is None:
        return f"Query parse error: {exc}"
    detail = m.group(3).strip()
    detail = detail if len(detail) <= 160 else detail[:160] + "…"
    line, col = int(m.group(1)), int(m.group(2))
    return "Query parse error: " + str(error_at_line(text, line, col, detail))


def _not_acceptable(kind: str) -> dict[str, Any]:
    types = RESULT_TYPES if kind == "results" else GRAPH_TYPES
    return _error(406, "Not acceptable. This query answers in: " + ", ".join(types.values()))


class _Worker:
    """One worker process (``python -m kg.serve.server --worker FD``), talking over a socket pair.

    A fresh interpreter rather than multiprocessing's spawn: nothing of the caller's
    ``__main__`` is re-run in the worker, and it works from notebooks and piped scripts alike.
    Its standard error is read line by line into the server's log (with the worker's process
    id), and its last lines are kept: they say why a worker that died died.
    """

    def __init__(self, config: ServerConfig, build: Build):
        self.build = build
        parent, child = socket.socketpair()
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[2])  # so that `kg` imports as it does here
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kg.serve.server", "--worker", str(child.fileno())],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=env,
            )
        finally:
            child.close()
        self.last_words: collections.deque[str] = collections.deque(maxlen=5)
        threading.Thread(target=self._drain, daemon=True, name="kg-worker-stderr").start()
        self.conn = Connection(parent.detach())
        self.info: dict[str, Any] = {}
        self.conn.send(
            {
                "nt": str(build.path),
                # pages quote the source document beside data/kg.nt (when its sha256 is the
                # graph's: kg.serve.pages), not beside the private copy
                "source": str(Path(config.data_dir) / "source.txt"),
                "prefixes": build.prefixes,
                "memory_mb": config.memory_mb,
                "isolate": config.isolate,
            }
        )

    def _drain(self) -> None:
        assert self.process.stderr is not None
        with contextlib.suppress(Exception):
            for raw in self.process.stderr:
                line = raw.decode("utf-8", "replace").rstrip()
                if line:
                    self.last_words.append(line)
                    print(f"kg serve: worker {self.process.pid}: {line}", file=sys.stderr)

    def wait_ready(self, timeout: float) -> bool:
        try:
            if self.conn.poll(timeout):
                self.info = self.conn.recv()
                return bool(self.info.get("ready"))
        except (EOFError, OSError):
            pass
        return False

    def why_stopped(self) -> str:
        """Why the process ended, as far as its exit status and last words tell."""
        try:
            code = self.process.wait(2)
        except subprocess.TimeoutExpired:
            return "it stopped answering"
        time.sleep(0.05)  # let the last lines of its standard error arrive
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            why = f"killed by {name}"
            if name == "SIGKILL":
                why += " (by the kernel's out-of-memory killer or another process)"
        else:
            why = f"exited with status {code}"
        noise = ("Traceback", "stack backtrace", "skipping backtrace", "note: run with")
        words = [w for w in self.last_words if not w.lstrip().startswith(noise)]
        return why + (f": {words[-1][:200]}" if words else "")

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.wait(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(2)
        self.kill()


@dataclass
class Build:
    """One build of the graph as workers hold it: a private copy of kg.nt, so that a worker
    started later (a replacement) loads the same graph as the others whatever happened to
    data/kg.nt since, and its identity (the SHA-256 of its bytes)."""

    path: Path  # the copy the workers load
    digest: str  # first 16 hex digits of the SHA-256 of kg.nt's bytes
    key: tuple[int, int, int]  # (inode, size, mtime_ns) of data/kg.nt when it was copied
    prefixes: dict[str, str]
    triples: int | None = None
    loaded: str = ""  # when its workers were ready (UTC, ISO 8601)


class WorkerPool:
    """Worker processes started ahead of queries, all holding one build of the graph.

    One long-lived supervisor thread starts every worker (Linux's parent-death signal is tied
    to the thread that started a process). It keeps ``config.workers`` of them: one that
    overruns the time limit is killed, one that dies is replaced, and a replacement that cannot
    start is tried again with backoff (0.5 s, doubling, at most 30 s), each failure logged. It
    also watches data/kg.nt: a new build (a file with other bytes) is copied, loaded by a whole
    new set of workers, and only when all of them are ready does the pool switch to it at once;
    until then, and when the new file cannot be loaded (tried again every 30 s), the old build
    answers. So every answer
    comes from one build, and no answer from the old build starts after the switch.
    """

    BACKOFF_FIRST = 0.5
    BACKOFF_MAX = 30.0

    def __init__(
        self,
        config: ServerConfig,
        nt_path: Path,
        prefixes: dict[str, str] | None = None,
        poll: float = 1.0,
    ):
        self.config = config
        self.nt_path = nt_path
        self.poll = poll  # seconds between looks at kg.nt
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.all: set[_Worker] = set()  # the workers of the current build, idle or busy
        self.closed = False
        self.info: dict[str, Any] = {}
        self.killed = 0  # queries stopped at the time limit
        self.crashed = 0  # workers that died under a query
        self.problem = ""  # what is wrong now, in a sentence ("" when nothing is)
        self.retry_at = 0.0  # monotonic time of the next attempt to start missing workers
        self.events: collections.deque[str] = collections.deque(maxlen=50)
        self.snapshots = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        self._wake = threading.Event()
        self._started: bool | None = None  # the first start: None while it runs
        # a new build that could not be loaded, and when to try that same file again
        self._failed: tuple[tuple[int, int, int] | None, float] = (None, 0.0)
        try:
            self.current = self._snapshot(prefixes)
        except OSError as exc:
            shutil.rmtree(self.snapshots, ignore_errors=True)
            raise StartError(f"cannot read {nt_path}: {exc.strerror or exc}") from None
        self._supervisor = threading.Thread(
            target=self._supervise, daemon=True, name="kg-worker-supervisor"
        )
        self._supervisor.start()
        with self.cond:
            self.cond.wait_for(lambda: self._started is not None, timeout=180)
        if not self._started:
            why = self.problem or f"a SPARQL worker did not start (is {nt_path} readable?)"
            self.close()
            raise StartError(why)

    # -- the log ---------------------------------------------------------------------

    def log(self, message: str) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        self.events.append(f"{stamp} {message}")
        print(f"kg serve: {message}", file=sys.stderr, flush=True)

    def public(self, text: str) -> str:
        """Text for clients (/health): the server's folders left out, file names kept."""
        for folder in (self.snapshots, self.nt_path.parent):
            text = text.replace(str(folder) + os.sep, "")
        return text

    # -- builds ----------------------------------------------------------------------

    def _key(self) -> tuple[int, int, int]:
        st = os.stat(self.nt_path)
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _snapshot(self, prefixes: dict[str, str] | None = None) -> Build:
        """Copy kg.nt (and read the prefixes beside it); OSError if it cannot be read whole."""
        key = self._key()
        digest = hashlib.sha256()
        part = self.snapshots / f"copy-{time.monotonic_ns()}.nt"
        with open(self.nt_path, "rb") as src, open(part, "wb") as dst:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                dst.write(chunk)
        if self._key() != key:  # written to while copied (not by kg build, which renames)
            part.unlink()
            raise OSError(f"{self.nt_path} changed while it was read")
        hexdigest = digest.hexdigest()[:16]
        path = self.snapshots / f"{hexdigest}.nt"
        os.replace(part, path)
        if prefixes is None:
            prefixes = _load_prefixes(self.nt_path.parent)
        return Build(path, hexdigest, key, prefixes)

    def _look_for_a_new_build(self) -> None:
        try:
            key = self._key()
        except OSError as exc:
            self._set_problem(
                f"{self.nt_path} cannot be read ({exc.strerror or exc}); still serving build "
                f"{self.current.digest}"
            )
            return
        if key == self.current.key:
            return
        failed_key, retry_at = self._failed
        if key == failed_key and time.monotonic() < retry_at:  # the same file failed: later
            return
        try:
            build = self._snapshot()
        except OSError as exc:
            self._set_problem(f"{exc}; still serving build {self.current.digest}")
            return
        if build.digest == self.current.digest:  # rewritten with the same bytes: nothing new
            self.current.key = key
            self._set_problem("")
            return
        self.log(f"a new build of {self.nt_path.name} ({build.digest}): loading it")
        workers, why = self._start(build, self.config.workers)
        if why:
            for w in workers:
                w.kill()
            with contextlib.suppress(OSError):
                build.path.unlink()
            self._failed = (key, time.monotonic() + self.BACKOFF_MAX)
            self._set_problem(
                f"the new {self.nt_path.name} cannot be loaded ({why}); still serving build "
                f"{self.current.digest}"
            )
            return
        old = self.current
        with self.lock:
            retired = list(self.all)
            self.all = set(workers)
            self.current = build
            stale = []
            while True:
                try:
                    stale.append(self.idle.get_nowait())
                except queue.Empty:
                    break
            for w in workers:
                self.idle.put(w)
        for w in stale:
            w.stop()
        with contextlib.suppress(OSError):
            old.path.unlink()
        self._set_problem("")
        self.log(
            f"now serving build {build.digest} ({build.triples} triples; was {old.digest}, "
            f"{old.triples} triples); {len(retired) - len(stale)} old worker(s) finish their query"
        )

    # -- workers ---------------------------------------------------------------------

    def _start(self, build: Build, n: int) -> tuple[list[_Worker], str]:
        """Start n workers on build and wait for them; (the ready ones, why one failed or "")."""
        started, why = [], ""
        if self.closed:
            return [], "the endpoint is closing"
        for _ in range(n):
            try:
                started.append(_Worker(self.config, build))
            except OSError as exc:
                why = f"cannot start a worker process: {exc}"
        ready = []
        for w in started:
            if w.wait_ready(60) and not self.closed:
                ready.append(w)
                build.triples = w.info.get("triples")
                self.info = w.info
            else:
                error = str(w.info.get("error") or "") or f"the worker {w.why_stopped()}"
                why = why or error.replace(str(build.path), str(self.nt_path))
                w.kill()
        if ready and not build.loaded:
            build.loaded = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        return ready, why

    def _set_problem(self, problem: str) -> None:
        if problem and problem != self.problem:
            self.log(problem)
        elif not problem and self.problem:
            self.log("all is well again: " + self._summary())
        self.problem = problem

    def _summary(self) -> str:
        return f"{len(self.all)} of {self.config.workers} workers, build {self.current.digest}"

    def _supervise(self) -> None:
        backoff = 0.0
        next_look = time.monotonic() + self.poll
        while not self.closed:
            missing = self.config.workers - len(self.all)
            if missing > 0 and time.monotonic() >= self.retry_at:
                build = self.current
                ready, why = self._start(build, missing)
                with self.cond:
                    if build is self.current and not self.closed:
                        self.all.update(ready)
                        for w in ready:
                            self.idle.put(w)
                    else:
                        for w in ready:
                            w.kill()
                    if self._started is None:
                        self._started = not why
                        self.problem = why
                        self.cond.notify_all()
                        if why:
                            return
                if why and not self.closed:
                    backoff = min(max(backoff * 2, self.BACKOFF_FIRST), self.BACKOFF_MAX)
                    self.retry_at = time.monotonic() + backoff
                    self._set_problem(
                        f"a worker could not start ({why}); {len(self.all)} of "
                        f"{self.config.workers} workers running; trying again in {backoff:g} s"
                    )
                else:
                    backoff = 0.0
                    if self.problem.startswith("a worker could not start"):
                        self._set_problem("")
            if time.monotonic() >= next_look:
                self._look_for_a_new_build()
                next_look = time.monotonic() + self.poll
            wait = next_look - time.monotonic()
            if self.config.workers > len(self.all):
                wait = min(wait, self.retry_at - time.monotonic())
            self._wake.wait(max(0.01, wait))
            self._wake.clear()

    def _replace(self, dead: _Worker, why: str) -> None:
        with self.lock:
            self.all.discard(dead)
        dead.kill()
        if not self.closed:
            self.log(f"worker {dead.process.pid} {why}; starting another")
            self._wake.set()

    def _release(self, w: _Worker) -> None:
        if w in self.all and not self.closed:
            self.idle.put(w)
        else:  # of a build the pool no longer serves
            w.stop()

    def run(self, msg: dict[str, Any], timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        if not self.all and self.retry_at > time.monotonic():  # failing: waiting to retry
            wait = max(1, round(self.retry_at - time.monotonic()))
            reply = _error(
                503,
                "No query worker is running ("
                + (self.problem or "they are starting")
                + "). Try again shortly.",
            )
            reply["headers"] = {"Retry-After": str(wait)}
            return reply
        try:
            w = self.idle.get(timeout=timeout)
        except queue.Empty:
            return _error(503, "All query workers are busy; try again shortly.")
        try:
            w.conn.send(msg)
            if w.conn.poll(max(0.0, deadline - time.monotonic())):
                reply = w.conn.recv()
                reply.setdefault("headers", {})["KG-Build"] = w.build.digest
                self._release(w)
                return reply
        except (EOFError, OSError):
            why = w.why_stopped()
            with self.lock:
                self.crashed += 1
            self._replace(w, f"stopped under a query: {why}")
            return _error(500, f"The query stopped its worker ({why}); another is starting.")
        with self.lock:
            self.killed += 1
        self._replace(w, f"stopped at the time limit of {timeout:g} s")
        return _error(
            503,
            f"Query stopped: it ran past the time limit of {timeout:g} s. "
            "Add a LIMIT or narrow the pattern.",
        )

    def close(self) -> None:
        self.closed = True
        self._wake.set()
        with self.lock:
            workers = list(self.all)
            self.all.clear()
        for w in workers:
            w.stop()
        shutil.rmtree(self.snapshots, ignore_errors=True)


# --------------------------------------------------------------------------------------
#  HTTP
# --------------------------------------------------------------------------------------

#: A view's file name under data/views/, and the policy in its <meta> (views.view_html's).
VIEW_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\.html")
VIEW_CSP = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="([ -!#-~]+)">')

STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


class Handler(BaseHTTPRequestHandler):
    server_version = "kg-sparql"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: with Nagle's algorithm on, a kept-alive
    # connection waits ~40 ms per answer on the client's delayed ACK.
    disable_nagle_algorithm = True
    server: Server
    _watchdog: threading.Timer
    _was_cut = False
    _page_csp: str | None = None  # a view's own policy, for the answer being sent

    def setup(self) -> None:
        super().setup()
        # per read of the request line and headers, and the bound on a whole body
        self.connection.settimeout(self.server.config.read_timeout)

    def handle_one_request(self) -> None:
        # The per-read timeout restarts with every byte: a client dripping its request line
        # and headers a byte at a time would hold a connection slot for ever. The whole head
        # of a request (or an idle kept-alive connection's next one) gets read_timeout.
        watchdog = threading.Timer(self.server.config.read_timeout, self._cut_off)
        watchdog.daemon = True
        self._watchdog = watchdog
        watchdog.start()
        try:
            super().handle_one_request()
        finally:
            watchdog.cancel()

    def parse_request(self) -> bool:
        self._watchdog.cancel()  # the head is in: the body has its own deadline (_body)
        if self._was_cut:  # what came is a fragment, and nobody is left to answer
            self.close_connection = True
            return False
        return super().parse_request()

    def _cut_off(self) -> None:
        self._was_cut = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    # -- plumbing ------------------------------------------------------------------

    def version_string(self) -> str:
        return self.server_version  # no Python version in the Server header

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self._page_csp or CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 -- the base's name
        if not self.server.config.quiet:
            super().log_message(format, *args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        # The base class answers HTML; answer plain text like everything else here.
        self.close_connection = True
        self._send(code, "text/plain; charset=utf-8", (message or HTTPStatus(code).phrase).encode())

    def _send(
        self,
        status: int,
        ctype: str,
        body: bytes,
        headers: dict[str, str] | None = None,
        cache: bool = False,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=60" if cache else "no-store")
        self.send_header("Vary", "Accept")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if status >= 400:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())

    def _json(self, obj: Any, status: int = 200) -> None:
        self._send(status, "application/json", json.dumps(obj, ensure_ascii=False).encode())

    def _host_ok(self) -> bool:
        if not self.server.loopback_only:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):
            name = host[: host.find("]") + 1]
        else:
            name = host.rsplit(":", 1)[0] if ":" in host else host
        return name in LOOPBACK_NAMES or name == ""  # HTTP/1.0 clients may send no Host

    # -- routes ----------------------------------------------------------------------

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        try:
            try:
                self._route(method)
            except Refused as r:
                self._text(r.status, r.message)
        except (ConnectionError, TimeoutError):  # the client left (or stalled) mid-answer
            self.close_connection = True
            self.server.client_gone()
        except Exception as exc:  # answer, do not leak a traceback
            self.log_error("internal error: %s", repr(exc))
            with contextlib.suppress(OSError):
                self._text(500, "Internal error.")

    def do_PUT(self) -> None:
        self._text(405, "Read-only endpoint: only GET and POST of queries.")

    do_DELETE = do_PATCH = do_PUT

    def do_OPTIONS(self) -> None:
        self._send(204, "text/plain", b"", {"Allow": "GET, HEAD, POST, OPTIONS"})

    def _same_origin(self) -> None:
        """Refuse a POST a browser sends for a page of another origin (a form on any web page
        or file:// page can POST here); programs that send neither header are let through."""
        site = (self.headers.get("Sec-Fetch-Site") or "").strip().lower()
        if site and site not in ("same-origin", "none"):
            raise Refused(403, f"Cross-origin POST refused (Sec-Fetch-Site: {site[:40]}).")
        origin = self.headers.get("Origin")
        if origin is not None:
            own = "http://" + (self.headers.get("Host") or "").strip().lower()
            if origin.strip().lower() != own:
                raise Refused(403, "Cross-origin POST refused: send it from this endpoint's page.")

    def _body(self) -> bytes:
        """The request body: one Content-Length, at most MAX_BODY, all of it within the read
        timeout (a shorter body is a 400 as soon as the client closes, a stalled one a 408)."""
        if self.headers.get("Transfer-Encoding") is not None:
            raise Refused(411, "Send the body with a Content-Length (no Transfer-Encoding).")
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            raise Refused(411, "Content-Length required.")
        if len(lengths) > 1:
            raise Refused(400, "More than one Content-Length header.")
        length = lengths[0].strip()
        if not length.isdigit():
            raise Refused(400, "Content-Length is not a number.")
        if int(length) > MAX_BODY:
            raise Refused(413, f"Request body over {MAX_BODY} bytes.")
        want = int(length)
        deadline = time.monotonic() + self.server.config.read_timeout
        chunks, got = [], 0
        try:
            while got < want:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                self.connection.settimeout(left)
                chunk = self.rfile.read1(want - got)
                if not chunk:
                    raise Refused(
                        400,
                        f"The request body is shorter than its Content-Length ({got} of {want} "
                        "bytes arrived).",
                    )
                chunks.append(chunk)
                got += len(chunk)
        except TimeoutError:
            raise Refused(
                408,
                f"The request body did not arrive within {self.server.config.read_timeout:g} s "
                f"({got} of {want} bytes).",
            ) from None
        finally:
            with contextlib.suppress(OSError):
                self.connection.settimeout(self.server.config.read_timeout)
        return b"".join(chunks)

    def _route(self, method: str) -> None:
        if not self._host_ok():
            raise Refused(421, "Unexpected Host header: this endpoint answers on loopback only.")
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if path in ("/sparql", "/query"):
            self._sparql(method, url.query)
        elif method != "GET" and method != "HEAD":
            raise Refused(405, "Only /sparql accepts POST.")
        elif path in ("/", "/index.html"):
            self._static("index.html")
        elif path.startswith("/static/"):
            self._static(path[len("/static/") :])
        elif path == "/favicon.ico":
            self._static("favicon.svg")
        elif path == "/api/queries":
            self._json([_query_json(q) for q in self.server.queries()])
        elif path == "/api/prefixes":  # the page shortens IRIs with these (kg.model.vocab)
            self._json(PREFIX_IRIS)
        elif path == "/health":
            self._json(self.server.health())
        elif path.startswith("/views/"):
            self._view(path[len("/views/") :] or "index.html")
        elif (
            path.startswith("/id/")
            or path.split(".")[0] in ("/ontology", "/ontology/")
            or path in ("/search", "/search/")
        ):
            self._page(path, url.query)  # a page of the graph (kg.serve.pages), in a worker
        else:
            raise Refused(404, "Not found. The SPARQL endpoint is /sparql; the query page is /.")

    def _page(self, path: str, query: str) -> None:
        msg = {
            "page": path,
            "query": query,
            "accept": self.headers.get("Accept", ""),
            "accept_language": self.headers.get("Accept-Language", ""),
        }
        reply = self.server.pool.run(msg, self.server.config.timeout)
        self._send(reply["status"], reply["type"], reply["body"], reply.get("headers"))

    def _view(self, name: str) -> None:
        """A built view, read-only: only a plain ``NAME.html`` of data/views/ (no folder, no
        dot file), sent with the policy its own ``<meta>`` declares (the server's
        ``default-src 'self'`` would block the scripts the page inlines and pins by hash)."""
        path = Path(self.server.config.data_dir) / "views" / name
        if not VIEW_NAME.fullmatch(name) or not path.is_file():
            raise Refused(404, f"No view {name!r} in data/views/: run `kg build` or `kg viz`.")
        body = path.read_bytes()
        found = VIEW_CSP.search(body[:4096])
        self._page_csp = found.group(1).decode("ascii") if found else None
        try:
            self._send(200, "text/html; charset=utf-8", body)
        finally:
            self._page_csp = None

    def _static(self, name: str) -> None:
        files = self.server.static_files()
        if name not in files:
            raise Refused(404, "Not found.")
        path = files[name]
        self._send(200, STATIC_TYPES[path.suffix], path.read_bytes(), cache=True)

    def _sparql(self, method: str, query_string: str) -> None:
        params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        if method == "POST":
            self._same_origin()
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                raise Refused(403, "SPARQL Update is not allowed: this endpoint is read-only.")
            raw = self._body()
            try:
                body = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise Refused(400, "The request body is not UTF-8.") from None
            if ctype == "application/x-www-form-urlencoded":
                for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
            elif ctype == "application/sparql-query":
                if "query" in params:
                    raise Refused(400, "A query in both the URL and the body.")
                params["query"] = [body]
            else:
                raise Refused(
                    415,
                    "POST a query as application/x-www-form-urlencoded (query=...) or as "
                    "application/sparql-query.",
                )
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            raise Refused(403, "SPARQL Update is not allowed: this endpoint is read-only.")
        _refuse_unknown(params, self.server.queries())
        if len(params.get("query", [])) > 1:
            raise Refused(400, "More than one query parameter.")
        text = params.get("query", [""])[0]
        name = params.get("name", [""])[0]
        named = None
        if name:
            named = {q.name: q for q in self.server.queries()}.get(name)
            if named is None:
                raise Refused(404, "No named query of that name; see /api/queries.")
            if not text:
                text = named.text
        if not text.strip():
            if method == "GET" and not params:  # a person opening the endpoint's address
                self._static("index.html")
                return
            raise Refused(400, "No query: send query=... (or name=... for a named query).")
        local = self.server.local_graphs
        dataset = params.get("default-graph-uri", []) + params.get("named-graph-uri", [])
        formats = params.get("format", []) + params.get("output", []) + params.get("results", [])
        msg = {
            "query": text,
            "name": named.name if named is not None else "",
            "params": {k: v[0] for k, v in params.items() if len(v) == 1},
            "local_graphs": sorted(local),
            "dataset": dataset,
            "accept": self.headers.get("Accept", ""),
            "formats": formats,
            "max_rows": self.server.config.max_rows,
        }
        t0 = time.perf_counter()
        reply = self.server.pool.run(msg, self.server.config.timeout)
        headers = dict(reply.get("headers") or {})
        headers["KG-Elapsed"] = f"{(time.perf_counter() - t0) * 1000:.1f}ms"
        self._send(reply["status"], reply["type"], reply["body"], headers)


#: What /sparql takes besides a named query's own parameters (SPARQL 1.1 Protocol and ours).
PROTOCOL_PARAMS = frozenset(
    {"query", "name", "format", "output", "results", "default-graph-uri", "named-graph-uri"}
)


def _refuse_unknown(params: dict[str, list[str]], queries: list[Any]) -> None:
    """400 for a parameter neither the protocol nor the named query knows (as kg query
    refuses an unknown --param), naming the ones it takes."""
    from kg.sparql.catalogue import param_specs

    name = params.get("name", [""])[0]
    named = {q.name: q for q in queries}.get(name) if name else None
    own = {p.name for p in param_specs(named)} if named is not None else set()
    unknown = sorted(set(params) - PROTOCOL_PARAMS - own)
    if unknown:
        takes = f"; {name} takes: {', '.join(sorted(own)) or 'none'}" if named is not None else ""
        raise Refused(400, f"unknown parameter {unknown[0]!r}{takes}")


def _query_json(q: Any) -> dict[str, Any]:
    from kg.sparql.catalogue import param_specs
    from kg.sparql.lookup import param_help
    from kg.sparql.params import PARAM_KINDS

    helps = {h.name: h.as_dict() for h in param_help(q)}  # meaning, allowed values, lister
    return {
        "name": q.name,
        "question_ja": q.question_ja,
        "question_en": q.question_en,
        "note": getattr(q, "note", ""),
        "params": {
            p.name: {
                "kind": p.kind,
                "pattern": PARAM_KINDS[p.kind].form or PARAM_KINDS[p.kind].pattern,
                "description": p.description,
                "variable": p.variable,
                "optional": p.optional,
                "help": helps[p.name],
            }
            for p in param_specs(q)
        },
        "variables": list(q.variables),
        "example": q.example,
        "text": q.text,
    }


class Server(ThreadingHTTPServer):
    """The endpoint. ``Server(config)`` starts the workers and binds; then ``serve_forever()``."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # listen backlog: connections waiting to be accepted (was 5)

    def __init__(self, config: ServerConfig):
        self.config = config
        self.clients_gone = 0  # answers not delivered: the client had left
        self._slots = threading.BoundedSemaphore(config.max_connections)
        self._slots_lock = threading.Lock()
        nt = Path(config.data_dir) / "kg.nt"
        if not nt.is_file():
            raise ServeError(f"{nt} not found: run `kg build` first")
        self.prefixes = _load_prefixes(Path(config.data_dir))
        self.local_graphs: frozenset[str] = frozenset()  # the data is in the default graph
        self.loopback_only = config.host in LOOPBACK_NAMES or config.host.startswith("127.")
        self._queries: list[Any] | None = None
        self._static: dict[str, Path] | None = None
        self.pool = WorkerPool(config, nt, self.prefixes, poll=config.reload_poll)
        try:
            super().__init__((config.host, config.port), Handler)
        except OSError as exc:
            self.pool.close()
            raise ServeError(f"cannot bind {config.host}:{config.port}: {exc}") from None
        except BaseException:
            self.pool.close()
            raise
        self.started = time.time()

    @property
    def url(self) -> str:
        address, port = self.server_address[:2]
        host = address.decode() if isinstance(address, bytes) else address
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"

    def queries(self) -> list[Any]:
        if self._queries is None:
            self._queries = named_queries()
        return self._queries

    def static_files(self) -> dict[str, Path]:
        if self._static is None:
            self._static = {
                p.name: p for p in STATIC_DIR.glob("*") if p.is_file() and p.suffix in STATIC_TYPES
            }
        return self._static

    def health(self) -> dict[str, Any]:
        """The truth about the endpoint: "ok" (every worker up, serving what data/kg.nt holds),
        "degraded" (answering, with the problem said) or "down" (no worker: queries get 503)."""
        pool = self.pool
        running = len(pool.all)
        if running == 0:
            status = "down"
        elif running < self.config.workers or pool.problem:
            status = "degraded"
        else:
            status = "ok"
        build = pool.current
        return {
            "status": status,
            "problem": pool.public(pool.problem) or None,
            "triples": build.triples,
            "build": build.digest,
            "build_loaded": build.loaded,
            "workers": self.config.workers,
            "workers_running": running,
            "timeout_s": self.config.timeout,
            "max_rows": self.config.max_rows,
            "worker_network": pool.info.get("isolation"),
            "queries_stopped": pool.killed,
            "workers_crashed": pool.crashed,
            "answers_undelivered": self.clients_gone,
            "log": [pool.public(e) for e in list(pool.events)[-10:]],
        }

    def client_gone(self) -> None:
        with self._slots_lock:
            self.clients_gone += 1
            first = self.clients_gone == 1
        if first or self.clients_gone % 100 == 0:  # one line, not one traceback per client
            print(
                f"kg serve: {self.clients_gone} answer(s) not delivered: the client left early",
                file=sys.stderr,
                flush=True,
            )

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):  # over max_connections: say so, at once
            body = b"Too many connections; try again shortly.\n"
            with contextlib.suppress(OSError):
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                    b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line in the log, never a traceback (socketserver prints one by default)."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            self.client_gone()
        else:
            print(f"kg serve: error serving {client_address[0]}: {exc!r}", file=sys.stderr)

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def _load_prefixes(data_dir: Path) -> dict[str, str]:
    """Prefixes from the build's local JSON-LD context (never fetched), over the defaults."""
    prefixes = dict(DEFAULT_PREFIXES)
    ctx = data_dir / "context.jsonld"
    if ctx.is_file():
        with contextlib.suppress(ValueError, OSError, AttributeError):
            doc = json.loads(ctx.read_text(encoding="utf-8")).get("@context", {})
            prefixes.update({k: v for k, v in doc.items() if isinstance(v, str)})
    return prefixes


def serve(config: ServerConfig) -> None:
    """Run until interrupted."""
    server = Server(config)
    try:
        server.serve_forever()
    finally:
        server.server_close()


@contextlib.contextmanager
def running(config: ServerConfig):
    """A server in a background thread (tests, notebooks): ``with running(cfg) as srv: srv.url``."""
    server = Server(config)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="kg-serve")
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _worker_entry(argv: list[str]) -> int:
    """``python -m kg.serve.server --worker FD``: run a worker on an inherited socket."""
    if len(argv) != 2 or argv[0] != "--worker" or not argv[1].isdigit():
        print("usage: python -m kg.serve.server --worker FD (started by kg serve)", file=sys.stderr)
        return 2
    worker_main(Connection(int(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(_worker_entry(sys.argv[1:]))
