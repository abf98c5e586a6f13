"""jdx-kg: a knowledge graph of Japan's defense exchanges, FY2019-FY2022.

The pipeline runs one way, one subpackage per stage:

    kg.pipeline   read -> layout -> extract -> normalize -> RDF, tables, quality -> write
    kg.check      SHACL shapes, HermiT reasoning, ontology documentation
    kg.store      the embedded Oxigraph store; pushing to an external SPARQL server
    kg.sparql     query text policy, named queries and their parameters, running queries
    kg.network    networkx views of the graph;  kg.viz: interactive pages of those views
    kg.serve      the read-only SPARQL endpoint and query page
    kg.api        the notebook API;  kg.cli: the ``kg`` command, a thin layer over all this

beneath them kg.model (records and vocabulary), kg.formats (result and RDF writers),
kg.errors and kg.paths. The public library is what ``__all__`` lists:

>>> import kg
>>> summary = kg.build(out=tmp_dir, store=False, views=False)  # doctest: +SKIP
>>> summary.ok
True
"""

import typing as _typing
from importlib import import_module as _import_module

from kg.errors import (
    BuildError,
    DataError,
    KgError,
    QueryError,
    ServeError,
    SourceError,
    StoreError,
)

__version__ = "0.2.0"

__all__ = [
    "BuildError",
    "BuildSummary",
    "DataError",
    "KgError",
    "QueryError",
    "QueryResult",
    "ServeError",
    "SourceError",
    "StoreError",
    "__version__",
    "build",
    "get_query",
    "list_queries",
    "open_graph",
    "run_query",
]

# Loaded on first use, so that `import kg` (and so every `kg` command) stays free of rdflib.
_LAZY = {
    "BuildSummary": "kg.job",
    "build": "kg.job",
    "QueryResult": "kg.sparql.run",
    "get_query": "kg.sparql.catalogue",
    "list_queries": "kg.sparql.catalogue",
    "open_graph": "kg.sparql.run",
    "run_query": "kg.sparql.run",
}

if _typing.TYPE_CHECKING:
    from kg.job import BuildSummary, build
    from kg.sparql.catalogue import get_query, list_queries
    from kg.sparql.run import QueryResult, open_graph, run_query


def __getattr__(name: str) -> _typing.Any:
    if name in _LAZY:
        value = getattr(_import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
