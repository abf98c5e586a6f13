"""JSON-LD: compacted with a local context (the prefixes, inline), one node object per subject.

Nodes follow the subjects' N-Triples order, ``@id`` and ``@type`` first, then the properties by
name, each property's values in N-Triples order: the same graph always gives the same bytes.
Literals keep their lexical form (``{"@value": "112", "@type": "xsd:decimal"}``), so the file
holds the same terms as the N-Triples and Turtle written from the same triples.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pyoxigraph as ox

from kg.formats.triples import RDF_TYPE, XSD_STRING, NTriplesGraph, sorted_triples
from kg.model.vocab import compact

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

#: An object of a row: ("@id", IRI or "_:label") or (lexical form, language or "", datatype).
_Object = tuple[str, str] | tuple[str, str, str]


def _ox_rows(ordered: list[ox.Triple]) -> Iterator[tuple[str, str, _Object]]:
    def ref(t: Any) -> str:
        return f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value

    for t in ordered:
        o = t.object
        if isinstance(o, ox.Literal):
            obj: _Object = (o.value, o.language or "", o.datatype.value)
        else:
            obj = ("@id", ref(o))
        yield ref(t.subject), t.predicate.value, obj


def _nt_rows(graph: NTriplesGraph) -> Iterator[tuple[str, str, _Object]]:
    """The rows of an N-Triples graph: ``<iri>`` unwrapped, literals' parts looked up."""
    literals = graph.literals
    objects: dict[str, _Object] = {}
    for s, p, o in graph.rows:
        obj = objects.get(o)
        if obj is None:
            obj = objects[o] = (
                literals[o] if o[0] == '"' else ("@id", o[1:-1] if o[0] == "<" else o)
            )
        yield (s[1:-1] if s[0] == "<" else s), p[1:-1], obj


def write(triples: Iterable[Any], prefixes: dict[str, str] | None = None) -> str:
    prefixes = prefixes or {}
    if isinstance(triples, NTriplesGraph) and not any(
        s[:2] == "<<" or o[:2] == "<<" for s, _, o in triples.rows
    ):
        rows = _nt_rows(triples)
    else:
        ordered = sorted_triples(triples)
        if any(isinstance(x, ox.Triple) for t in ordered for x in (t.subject, t.object)):
            # RDF-star (a quoted triple) has no compacted form here: Oxigraph's expanded JSON-LD.
            return bytes(ox.serialize(ordered, format=ox.RdfFormat.JSON_LD) or b"").decode()
        rows = _ox_rows(ordered)
    return _document(rows, prefixes)


def _document(rows: Iterable[tuple[str, str, _Object]], prefixes: dict[str, str]) -> str:
    """The compacted document, its JSON made by joining strings quoted once each (as
    ``json.dumps`` with ``separators=(", ", ": ")`` would write them: same bytes, less time)."""
    short: dict[str, str] = {}
    quoted: dict[str, str] = {}

    def name(value: str) -> str:  # compacted (a blank node's "_:label" as is)
        found = short.get(value)
        if found is None:
            found = short[value] = value if value[:2] == "_:" else compact(value, prefixes)
        return found

    def iri(value: str) -> str:  # compacted and quoted
        found = quoted.get(value)
        if found is None:
            found = quoted[value] = _quote(name(value))
        return found

    values: dict[_Object, str] = {}  # an object's JSON, made once

    def value(obj: _Object) -> str:
        found = values.get(obj)
        if found is None:
            if len(obj) == 2:
                found = '{"@id": ' + iri(obj[1]) + "}"
            else:
                lexical, language, datatype = obj
                found = '{"@value": ' + _quote(lexical)
                if language:
                    found += ', "@language": ' + _quote(language)
                elif datatype != XSD_STRING:
                    found += ', "@type": ' + iri(datatype)
                found += "}"
            values[obj] = found
        return found

    nodes: dict[str, dict[str, list[str]]] = {}
    for s, p, obj in rows:
        node = nodes.get(s)
        if node is None:
            node = nodes[s] = {}
        if p == RDF_TYPE and len(obj) == 2:
            key, text = "@type", iri(obj[1])
        else:
            key, text = name(p), value(obj)
        found = node.get(key)
        if found is None:
            node[key] = [text]
        else:
            found.append(text)
    parts = ['{\n "@context": {\n']
    ctx = context(prefixes)
    parts.append(",\n".join(f"  {_quote(k)}: {_quote(v)}" for k, v in ctx.items()))
    parts.append("\n },\n" if ctx else " },\n")
    blocks = []
    for sid, props in nodes.items():
        lines = ['   "@id": ' + iri(sid)]
        types = props.pop("@type", None)
        if types is not None:
            lines.append('   "@type": [' + ", ".join(types) + "]")
        for k in sorted(props):
            lines.append("   " + _quote(k) + ": [" + ", ".join(props[k]) + "]")
        blocks.append("  {\n" + ",\n".join(lines) + "\n  }")
    parts.append(' "@graph": [\n' + ",\n".join(blocks) + ("\n ]\n}\n" if blocks else " ]\n}\n"))
    return "".join(parts)
