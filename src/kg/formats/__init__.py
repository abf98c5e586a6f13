"""Writers, one module per format (as rdflib's plugins are laid out): RDF, SPARQL results and
graph files.

RDF (ntriples, turtle, jsonld; :func:`serialize` is their one entry point): every writer takes
triples (rdflib or pyoxigraph terms, or the build's N-Triples terms; see
:mod:`kg.formats.triples`) and the prefixes, and writes them sorted, so equal graphs give equal
bytes: ``kg build`` writes data/kg.ttl, kg.nt and kg.jsonld with them, and ``kg serve`` its
CONSTRUCT and DESCRIBE answers.
SPARQL results (sparql_json, sparql_xml, sparql_csv, sparql_tsv; by name in :mod:`.results`) and
kg query's human table take variables and rows of terms (:mod:`kg.formats.terms`).
Graph files (gexf, graphml, node_link; :func:`kg.formats.graph_data.write_files` by suffix)
take a :class:`~kg.formats.graph_data.GraphData`, plain data that needs no networkx.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["FORMATS", "serialize"]

#: The formats :func:`serialize` writes (the endpoint's names for them).
FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")


def _rdfxml(triples: Iterable[Any], prefixes: dict[str, str] | None = None) -> str:
    import pyoxigraph as ox

    from kg.formats.triples import sorted_triples
    from kg.formats.turtle import usable_prefixes

    ordered = sorted_triples(triples)
    short = usable_prefixes(ordered, prefixes or {})
    return bytes(ox.serialize(ordered, format=ox.RdfFormat.RDF_XML, prefixes=short) or b"").decode()


def _writer(fmt: str) -> Callable[..., str]:
    if fmt == "turtle":
        from kg.formats.turtle import write
    elif fmt == "ntriples":
        from kg.formats.ntriples import write
    elif fmt == "jsonld":
        from kg.formats.jsonld import write
    elif fmt == "rdfxml":
        write = _rdfxml
    else:
        raise ValueError(f"unknown RDF format {fmt!r}; formats: {', '.join(FORMATS)}")
    return write


def serialize(fmt: str, triples: Iterable[Any], prefixes: dict[str, str] | None = None) -> str:
    """``triples`` written as ``fmt`` (one of :data:`FORMATS`) with ``prefixes``, sorted."""
    return _writer(fmt)(triples, prefixes)
