"""Triples for the RDF writers: pyoxigraph terms, converted once, in one fixed order.

The writers accept rdflib terms (an :class:`rdflib.Graph`, or a list of its triples) as well
as pyoxigraph's (the endpoint's CONSTRUCT and DESCRIBE answers); either is converted here to
:class:`pyoxigraph.Triple`, so that every format writes the same RDF terms, lexical forms
included. ``kg build`` hands them an :class:`NTriplesGraph` instead: its triples are N-Triples
term strings made once per distinct term (by Oxigraph, so escapes are Oxigraph's), sorted once,
so the build makes no term object per triple.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox

__all__ = [
    "XSD_STRING",
    "RDF_TYPE",
    "NTriplesGraph",
    "SortedTriples",
    "Terms",
    "as_oxigraph",
    "sorted_triples",
]

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
    if isinstance(triples, NTriplesGraph):
        return list(triples.triples())
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
    if isinstance(triples, NTriplesGraph):
        return triples.triples()
    return SortedTriples(sorted(set(as_oxigraph(triples)), key=str))


#: A literal's parts as pyoxigraph gives them: lexical form, language ("" if none), datatype.
LiteralParts = tuple[str, str, str]


class Terms:
    """N-Triples forms of terms, each made once: ``iri(v)`` is ``<v>`` (checked by Oxigraph),
    ``literal(v, ...)`` Oxigraph's own quoting of ``v``; :attr:`literals` keeps each literal's
    parts, which the JSON-LD writer reads instead of unquoting."""

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}
        self._literals: dict[tuple[str, str | None, str | None], str] = {}
        self.literals: dict[str, LiteralParts] = {}

    def iri(self, value: str) -> str:
        found = self._iris.get(value)
        if found is None:
            found = self._iris[value] = str(ox.NamedNode(value))  # ValueError if not an IRI
        return found

    def literal(self, value: str, language: str | None = None, datatype: str | None = None) -> str:
        """``value`` with ``language`` or ``datatype`` (an IRI; none means xsd:string)."""
        key = (value, language, datatype)
        found = self._literals.get(key)
        if found is None:
            if language:
                lit = ox.Literal(value, language=language)
            elif datatype:
                lit = ox.Literal(value, datatype=ox.NamedNode(datatype))
            else:
                lit = ox.Literal(value)
            found = self._literals[key] = str(lit)
            self.literals[found] = (lit.value, lit.language or "", lit.datatype.value)
        return found


class NTriplesGraph:
    """Distinct triples as (subject, predicate, object) N-Triples term strings, sorted.

    Sorting the term tuples gives the order of the N-Triples lines (no term string is a proper
    prefix of another of its kind except where a space, which sorts first, would follow).
    ``literals`` has the parts of every literal object (as :attr:`Terms.literals`).
    """

    def __init__(self, triples: Iterable[tuple[str, str, str]], literals: dict[str, LiteralParts]):
        self.rows: list[tuple[str, str, str]] = sorted(set(triples))
        self.literals = literals
        self._text: str | None = None
        self._triples: SortedTriples | None = None

    @classmethod
    def of(cls, triples: Iterable[Any]) -> NTriplesGraph:
        """Any triples :func:`sorted_triples` takes, as term strings."""
        if isinstance(triples, NTriplesGraph):
            return triples
        ordered = sorted_triples(triples)
        literals: dict[str, LiteralParts] = {}
        rows = []
        for t in ordered:
            o = t.object
            text = str(o)
            if isinstance(o, ox.Literal):
                literals[text] = (o.value, o.language or "", o.datatype.value)
            rows.append((str(t.subject), str(t.predicate), text))
        graph = cls(rows, literals)
        graph._triples = ordered
        return graph

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self.triples())

    def text(self) -> str:
        """The N-Triples document: one line a triple, in order."""
        if self._text is None:
            self._text = "".join([f"{s} {p} {o} .\n" for s, p, o in self.rows])
        return self._text

    def triples(self) -> SortedTriples:
        """The triples as pyoxigraph Triples (parsed once from :meth:`text`), in order."""
        if self._triples is None:
            parsed = ox.parse(self.text().encode(), format=ox.RdfFormat.N_TRIPLES)
            self._triples = SortedTriples(q.triple for q in parsed)
        return self._triples
