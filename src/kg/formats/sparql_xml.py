"""SPARQL Query Results XML Format (https://www.w3.org/TR/rdf-sparql-XMLres/)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from kg.formats.terms import Term, term

MEDIA_TYPE = "application/sparql-results+xml"
NS = "http://www.w3.org/2005/sparql-results#"
_HEAD = f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{NS}">'


def element(t: Term) -> str:
    """One RDF term as its XML element; every text and attribute escaped."""
    if t.kind == "uri":
        return f"<uri>{escape(t.value)}</uri>"
    if t.kind == "bnode":
        return f"<bnode>{escape(t.value)}</bnode>"
    if t.kind == "triple" and t.triple is not None:
        s, p, o = (element(x) for x in t.triple)
        return (
            f"<triple><subject>{s}</subject><predicate>{p}</predicate><object>{o}</object></triple>"
        )
    if t.lang:
        return f"<literal xml:lang={quoteattr(t.lang)}>{escape(t.value)}</literal>"
    if t.datatype:
        return f"<literal datatype={quoteattr(t.datatype)}>{escape(t.value)}</literal>"
    return f"<literal>{escape(t.value)}</literal>"


def write(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The results of a SELECT: rows of rdflib or pyoxigraph terms (None: unbound)."""
    parts = [_HEAD, "<head>"]
    parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        for name, value in zip(variables, row, strict=True):
            t = term(value)
            if t is not None:
                parts.append(f"<binding name={quoteattr(name)}>{element(t)}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts)


def write_boolean(value: bool) -> str:
    return f"{_HEAD}<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
