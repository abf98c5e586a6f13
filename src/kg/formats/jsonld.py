"""JSON-LD: compacted with a local context (the prefixes, inline), one node object per subject.

Nodes follow the subjects' N-Triples order, ``@id`` and ``@type`` first, then the properties by
name, each property's values in N-Triples order: the same graph always gives the same bytes.
Literals keep their lexical form (``{"@value": "112", "@type": "xsd:decimal"}``), so the file
holds the same terms as the N-Triples and Turtle written from the same triples.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox

from kg.formats.triples import RDF_TYPE, XSD_STRING, NTriplesGraph
from kg.model.vocab import compactor

__all__ = ["context", "context_document", "write"]


def context(prefixes: dict[str, str]) -> dict[str, str]:
    """The JSON-LD ``@context`` for ``prefixes``: each prefix as a term for its namespace."""
    return {k: str(v) for k, v in prefixes.items()}


def context_document(prefixes: dict[str, str]) -> str:
    """A context file (data/context.jsonld) that a copy of kg.jsonld may reference instead."""
    return json.dumps({"@context": context(prefixes)}, indent=1) + "\n"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


#: A JSON string as json.dumps(..., ensure_ascii=False) writes it (the function it calls).
_quote: Callable[[str], str] = json.encoder.encode_basestring


def write(triples: Iterable[Any], prefixes: dict[str, str] | None = None) -> str:
    graph = NTriplesGraph.of(triples)
    try:
        return _document(graph, prefixes or {})
    except _QuotedTriple:
        # RDF-star (a quoted triple) has no compacted form here: Oxigraph's expanded JSON-LD.
        return bytes(ox.serialize(graph.triples(), format=ox.RdfFormat.JSON_LD) or b"").decode()


class _QuotedTriple(Exception):
    pass


def _document(graph: NTriplesGraph, prefixes: dict[str, str]) -> str:
    """The compacted document, read off the N-Triples term strings (literals' parts looked up,
    not unquoted) and joined from JSON strings quoted once each, as ``json.dumps`` with
    ``separators=(", ", ": ")`` would write them: the same bytes in a fraction of the time."""
    short: dict[str, str] = {}
    shorten = compactor(prefixes)

    def name(term: str) -> str:  # an IRI or blank node term, compacted: jdx:x, _:b
        found = short.get(term)
        if found is None:
            if term[:2] == "<<":
                raise _QuotedTriple
            found = short[term] = shorten(term[1:-1]) if term[0] == "<" else term
        return found

    def quoted_iri(value: str) -> str:  # a datatype IRI, compacted and quoted
        return _quote(name(f"<{value}>"))

    literals = graph.literals
    texts: dict[str, str] = {}  # an object term's JSON, made once

    def value(term: str) -> str:
        if term[0] != '"':
            return '{"@id": ' + _quote(name(term)) + "}"
        lexical, language, datatype = literals[term]
        text = '{"@value": ' + _quote(lexical)
        if language:
            text += ', "@language": ' + _quote(language)
        elif datatype != XSD_STRING:
            text += ', "@type": ' + quoted_iri(datatype)
        return text + "}"

    rdf_type = f"<{RDF_TYPE}>"
    nodes: list[tuple[str, dict[str, list[str]]]] = []
    node: dict[str, list[str]] = {}
    last = None
    for s, p, o in graph.rows:  # sorted: a subject's triples are adjacent
        if s != last:
            node = {}
            nodes.append((s, node))
            last = s
        if p == rdf_type and o[0] != '"':
            key, text = "@type", _quote(name(o))
        else:
            key = short.get(p) or name(p)
            found = texts.get(o)
            text = found if found is not None else texts.setdefault(o, value(o))
        values = node.get(key)
        if values is None:
            node[key] = [text]
        else:
            values.append(text)
    parts = ['{\n "@context": {\n']
    ctx = context(prefixes)
    parts.append(",\n".join(f"  {_quote(k)}: {_quote(v)}" for k, v in ctx.items()))
    parts.append("\n },\n" if ctx else " },\n")
    blocks = []
    for s, props in nodes:
        lines = ['   "@id": ' + _quote(name(s))]
        types = props.pop("@type", None)
        if types is not None:
            lines.append('   "@type": [' + ", ".join(types) + "]")
        for k in sorted(props):
            lines.append("   " + _quote(k) + ": [" + ", ".join(props[k]) + "]")
        blocks.append("  {\n" + ",\n".join(lines) + "\n  }")
    parts.append(' "@graph": [\n' + ",\n".join(blocks) + ("\n ]\n}\n" if blocks else " ]\n}\n"))
    return "".join(parts)
