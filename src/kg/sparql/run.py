"""Running a query: on an rdflib Graph (the embedded Oxigraph store or rdflib's own engine) or
on a remote SPARQL endpoint, with the rows as a :class:`QueryResult` of rdflib terms.

``open_graph("store")``: the embedded Oxigraph store, on disk, through oxrdflib (SPARQL
evaluated by Oxigraph); ``"store-memory"``: the same engine with the graph in memory (slower to
open, faster to query); ``"memory"``: rdflib's in-memory graph and engine. Or
``run_query(..., endpoint=URL)``. The project's prefixes (``jdx:``, ``jdxr:``, ``rdfs:``,
``skos:`` …) may be used without ``PREFIX`` lines; what may run is kg.sparql.policy's to say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg import paths
from kg.errors import QueryError
from kg.formats import results, sparql_json
from kg.model.vocab import PREFIXES
from kg.sparql import policy
from kg.sparql.binding import prepare
from kg.sparql.catalogue import NamedQuery, resolve
from kg.sparql.shape import inspect_text
from kg.store.local import BACKENDS
from kg.store.remote import endpoint_urls, query_dataset, sparql_post

if TYPE_CHECKING:
    import pandas
    import rdflib


def plain(term) -> object:  # noqa: ANN001
    """A term as a plain Python value: str for IRIs and text, int/float for numbers."""
    if term is None:
        return None
    if isinstance(term, Literal):
        dt = term.datatype
        if dt is not None and dt in _INT_TYPES:
            try:
                return int(str(term))
            except ValueError:
                return str(term)
        if dt in (XSD.decimal, XSD.double, XSD.float):
            try:
                v = float(str(term)) if dt != XSD.decimal else float(Decimal(str(term)))
                return (
                    int(v) if dt == XSD.decimal and v.is_integer() and "." not in str(term) else v
                )
            except (ValueError, ArithmeticError):
                return str(term)
        if dt == XSD.boolean:
            return str(term) in ("true", "1")
        return str(term)
    return str(term)


_INT_TYPES = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.byte,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.nonPositiveInteger,
    XSD.negativeInteger,
    XSD.unsignedInt,
    XSD.unsignedLong,
    XSD.unsignedShort,
    XSD.unsignedByte,
}


@dataclass
class QueryResult:
    variables: list[str]
    rows: list[list[object]]  # rdflib terms, or None where a variable is unbound
    boolean: bool | None = None  # an ASK's answer (then also its one row, variable ?ask)
    #: on an endpoint, the source-document graphs that answered (their merge, each fact once);
    #: empty for a local graph, or a query that names its own dataset (FROM)
    documents: list[str] = field(default_factory=list)

    def to_dataframe(self) -> pandas.DataFrame:
        """The rows as a DataFrame of plain values (str/int/float; None where unbound)."""
        import pandas as pd

        return pd.DataFrame(
            [[plain(v) for v in row] for row in self.rows], columns=list(self.variables)
        )

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):  # noqa: ANN204
        return iter(self.rows)

    def to_sparql_json(self) -> dict:
        """The rows as SPARQL 1.1 Query Results JSON (application/sparql-results+json)."""
        if self.boolean is not None:
            return sparql_json.boolean_document(self.boolean)
        return sparql_json.document(self.variables, self.rows)

    def serialize(self, fmt: str) -> str:
        """The rows in a SPARQL results format (json, xml, csv, tsv: kg.formats.results), the
        same text kg serve answers for the same rows."""
        if self.boolean is not None:
            return results.write_boolean(fmt, self.boolean)
        return results.write(fmt, self.variables, self.rows)

    def records(self) -> list[dict[str, object]]:
        """The rows as dicts of plain values (unbound variables left out)."""
        return [
            {k: plain(v) for k, v in zip(self.variables, row, strict=True) if v is not None}
            for row in self.rows
        ]


def _ask(answer: bool) -> QueryResult:
    return QueryResult(["ask"], [[Literal(answer)]], boolean=answer)


def _norm(term):  # noqa: ANN001, ANN202
    """Oxigraph types plain strings as xsd:string; rdflib leaves them untyped. Make them equal."""
    if isinstance(term, Literal) and term.datatype == XSD.string and term.language is None:
        return Literal(str(term))
    return term


def _from_rdflib(res, variables: list[str] | None) -> QueryResult:  # noqa: ANN001
    if res.type == "ASK":
        return _ask(bool(res.askAnswer))
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        triples = sorted(res.graph, key=lambda t: tuple(x.n3() for x in t))
        return QueryResult(["subject", "predicate", "object"], [list(t) for t in triples])
    names = [str(v) for v in (res.vars or [])]
    if variables and set(variables) <= set(names):
        names = list(variables)
    rows = []
    for b in res.bindings:
        rows.append([_norm(b.get(_var(n))) for n in names])
    return QueryResult(names, rows)


@lru_cache(maxsize=64)
def _var(name: str):  # noqa: ANN202
    from rdflib import Variable

    return Variable(name)


def open_graph(backend: str = "store", data_dir: Path | None = None) -> rdflib.Graph:
    """The built graph as an rdflib Graph.

    ``"store"``: the embedded Oxigraph store data_dir/store through oxrdflib (built from kg.nt
    when missing or stale; read-only; SPARQL evaluated by Oxigraph): opens at once, best for one
    query. ``"store-memory"``: the same engine with kg.nt loaded into memory (about 0.4 million
    triples a second), several times faster per query on a large graph: best for a process that
    runs many. ``"memory"``: rdflib's in-memory graph parsed from data_dir/kg.nt (rdflib's own
    SPARQL engine). data_dir defaults to the repository's data/.
    """
    from kg.store.local import GRAPH_FILE, StoreError, store_graph

    folder = Path(data_dir) if data_dir is not None else paths.data_dir()
    nt = folder / GRAPH_FILE
    if backend in ("store", "store-memory"):
        try:
            return store_graph(folder, in_memory=backend == "store-memory")
        except StoreError as exc:
            raise QueryError(str(exc)) from None
    if backend == "memory":
        import rdflib

        if not nt.exists():
            raise QueryError(f"{nt} not found; run `kg build` first")
        g = rdflib.Graph(bind_namespaces="none")
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        g.parse(str(nt), format="nt")
        return g
    raise QueryError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")


_DEFAULT_GRAPH: dict[tuple, rdflib.Graph] = {}


def default_graph() -> rdflib.Graph:
    """The store graph of data/, opened once per process (reopened after a rebuild)."""
    from kg.store.local import STAMP_NAME, ensure_store

    folder = paths.data_dir()
    stamp = ensure_store(folder) / STAMP_NAME
    key = (str(folder), stamp.stat().st_mtime_ns)
    if key not in _DEFAULT_GRAPH:
        _DEFAULT_GRAPH.clear()
        _DEFAULT_GRAPH[key] = open_graph("store", folder)
    return _DEFAULT_GRAPH[key]


@lru_cache(maxsize=128)
def _prepared(text: str):  # noqa: ANN202
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def _run_local(graph: rdflib.Graph, text: str, variables: list[str] | None) -> QueryResult:
    from oxrdflib import OxigraphStore

    try:
        if isinstance(graph.store, OxigraphStore):
            res = graph.query(text)
        else:
            res = graph.query(_prepared(text))
    except SyntaxError as exc:  # Oxigraph (checked before; kept for safety)
        raise QueryError(f"syntax error: {exc}") from None
    except QueryError:
        raise
    except Exception as exc:  # rdflib's engine: ParseException, unsupported features
        raise QueryError(f"the query failed: {type(exc).__name__}: {exc}") from None
    return _from_rdflib(res, variables)


def _term_from_json(b: dict | None):  # noqa: ANN202
    if b is None:
        return None
    t, v = b.get("type"), b.get("value", "")
    if t == "uri":
        return URIRef(v)
    if t == "bnode":
        return BNode(v)
    lang = b.get("xml:lang")
    dt = b.get("datatype")
    if lang:
        return Literal(v, lang=lang)
    if dt and dt != str(XSD.string):
        return Literal(v, datatype=URIRef(dt))
    return Literal(v)


def _run_endpoint(
    endpoint: str, text: str, variables: list[str] | None, has_from: bool, timeout: float
) -> QueryResult:
    query_url, _ = endpoint_urls(endpoint)
    graphs, documents = ([], []) if has_from else query_dataset(endpoint, timeout=timeout)
    data = sparql_post(query_url, text, graphs, timeout)
    if "boolean" in data:
        res = _ask(bool(data["boolean"]))
        res.documents = documents
        return res
    names = data.get("head", {}).get("vars", [])
    if variables and set(variables) <= set(names):
        names = list(variables)
    rows = [[_term_from_json(b.get(n)) for n in names] for b in data["results"]["bindings"]]
    return QueryResult(names, rows, documents=documents)


def run_query(
    query: str | NamedQuery,
    params: dict[str, str] | None = None,
    graph: rdflib.Graph | None = None,
    endpoint: str | None = None,
    timeout: float = 60.0,
) -> QueryResult:
    """Run a named query (by name or NamedQuery), a .rq file, or SPARQL text.

    On `graph` when given; else on `endpoint` (a SPARQL endpoint URL: the query goes over HTTP,
    its default graph being the merge of the endpoint's source-document graphs, each fact
    once, see :func:`kg.store.remote.query_dataset`; ``QueryResult.documents`` names them);
    else on the embedded store of data/. Parameters are checked and bound as RDF terms (see
    the module's doc); a named query's parameter may be given as a name or alias of what it
    names (kg.sparql.lookup.resolve_params: ``actor=統幕長``). Raises QueryError with a clear
    message.
    """
    if graph is not None and endpoint is not None:
        raise QueryError("give a graph or an endpoint, not both")
    named = resolve(query) if params else None
    if named is not None:  # names given for codes (actor=統幕長, country=フィリピン)
        from kg.sparql.lookup import resolve_params

        if graph is None and endpoint is None:
            graph = default_graph()
        params = resolve_params(named, params, graph=graph, endpoint=endpoint, timeout=timeout)
    graphs: frozenset[str] | None = policy.ANY_GRAPH if endpoint is not None else frozenset()
    text, variables, _ = prepare(query, params, graphs=graphs)
    if endpoint is not None:
        shape = inspect_text(text)
        return _run_endpoint(endpoint, text, variables, shape.dataset_at is not None, timeout)
    return _run_local(graph if graph is not None else default_graph(), text, variables)
