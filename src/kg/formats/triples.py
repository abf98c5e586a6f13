"""Triples for the RDF writers: pyoxigraph terms, converted once, in one fixed order.

The writers accept rdflib terms (the pipeline's :class:`rdflib.Graph`, or a list of its
triples) as well as pyoxigraph's (the endpoint's CONSTRUCT and DESCRIBE answers); either is
converted here to :class:`pyoxigraph.Triple`, so that every format writes the same RDF terms,
lexical forms included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

__all__ = ["XSD_STRING", "RDF_TYPE", "SortedTriples", "as_oxigraph", "sorted_triples"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _converter() -> Any:
    from rdflib import BNode, Literal, URIRef

    cache: dict[Any, Any] = {}

    def term(t: Any) -> Any:
        if isinstance(t, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)):
            return t
        found = cache.get(t)
        if found is None:
            if isinstance(t, URIRef):
                found = ox.NamedNode(str(t))
            elif isinstance(t, BNode):
                found = ox.BlankNode(str(t))
            elif isinstance(t, Literal):
                if t.language:
                    found = ox.Literal(str(t), language=t.language)
                elif t.datatype is not None:
                    found = ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
                else:
                    found = ox.Literal(str(t))
            else:
                raise TypeError(f"not an RDF term: {t!r}")
            cache[t] = found
        return found

    return term


def as_oxigraph(triples: Iterable[Any]) -> list[ox.Triple]:
    """``triples`` (rdflib or pyoxigraph terms; an rdflib Graph too) as pyoxigraph Triples."""
    out: list[ox.Triple] = []
    term = None
    known: dict[Any, Any] = {}
    for t in triples:
        if isinstance(t, ox.Triple):
            out.append(t)
            continue
        if isinstance(t, ox.Quad):
            out.append(t.triple)
            continue
        term = term or _converter()
        s, p, o = t
        s2, p2, o2 = known.get(s), known.get(p), known.get(o)
        if s2 is None:
            s2 = known[s] = term(s)
        if p2 is None:
            p2 = known[p] = term(p)
        if o2 is None:
            o2 = known[o] = term(o)
        out.append(ox.Triple(s2, p2, o2))
    return out


class SortedTriples(list):
    """A list of distinct pyoxigraph Triples already in :func:`sorted_triples` order."""


def sorted_triples(triples: Iterable[Any]) -> SortedTriples:
    """Distinct triples ordered by their N-Triples line (so a subject's triples are adjacent);
    returned as is when already sorted here, so several writers can share one sort."""
    if isinstance(triples, SortedTriples):
        return triples
    return SortedTriples(sorted(set(as_oxigraph(triples)), key=str))
