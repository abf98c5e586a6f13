"""One view of an RDF term for every writer, whichever library made it (rdflib or pyoxigraph).

kg serve's workers hold pyoxigraph terms, kg query and the API rdflib terms; the writers see
only :class:`Term`, so one writer per format serves both and their outputs cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Term:
    kind: str  # uri, bnode, literal, triple (the type names of SPARQL JSON results)
    value: str  # the IRI, the blank node's label, the lexical form ("" for a triple)
    lang: str | None = None
    datatype: str | None = None  # None for simple (xsd:string) and language-tagged literals
    triple: tuple[Term, Term, Term] | None = None  # an RDF-star quoted triple


def term(t: Any) -> Term | None:
    """The Term for an rdflib or a pyoxigraph term (or a Term); None for None (unbound)."""
    if t is None or isinstance(t, Term):
        return t
    if type(t).__module__.startswith("pyoxigraph"):
        return _from_oxigraph(t)
    return _from_rdflib(t)


def _from_rdflib(t: Any) -> Term:
    from rdflib import BNode, Literal, URIRef

    if isinstance(t, URIRef):
        return Term("uri", str(t))
    if isinstance(t, BNode):
        return Term("bnode", str(t))
    if isinstance(t, Literal):
        dt = str(t.datatype) if t.datatype is not None and not t.language else None
        return Term("literal", str(t), t.language or None, None if dt == XSD_STRING else dt)
    raise TypeError(f"not an RDF term: {t!r}")


def _from_oxigraph(t: Any) -> Term:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return Term("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    if isinstance(t, ox.Literal):
        dt = None if t.language else t.datatype.value
        return Term("literal", t.value, t.language or None, None if dt == XSD_STRING else dt)
    if isinstance(t, ox.Triple):
        parts = (_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object))
        return Term("triple", "", triple=parts)
    raise TypeError(f"not an RDF term: {t!r}")


_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_LITERAL_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def nt(t: Term) -> str:
    """The N-Triples form of a term, escaped as Oxigraph writes it (ECHAR, else UCHAR)."""
    if t.kind == "uri":
        return "<" + _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", t.value) + ">"
    if t.kind == "bnode":
        return f"_:{t.value}"
    if t.kind == "triple" and t.triple is not None:
        return "<< " + " ".join(nt(x) for x in t.triple) + " >>"
    body = _LITERAL_ESCAPE.sub(
        lambda m: _ECHAR.get(m.group()) or f"\\u{ord(m.group()):04X}", t.value
    )
    if t.lang:
        return f'"{body}"@{t.lang}'
    if t.datatype:
        return f'"{body}"^^<{t.datatype}>'
    return f'"{body}"'
