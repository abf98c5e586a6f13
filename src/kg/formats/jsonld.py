"""JSON-LD: compacted with a local context (the prefixes, inline), one node object per subject.

Nodes follow the subjects' N-Triples order, ``@id`` and ``@type`` first, then the properties by
name, each property's values in N-Triples order: the same graph always gives the same bytes.
Literals keep their lexical form (``{"@value": "112", "@type": "xsd:decimal"}``), so the file
holds the same terms as the N-Triples and Turtle written from the same triples.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kg.formats.triples import RDF_TYPE, XSD_STRING, sorted_triples
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


def write(triples: Iterable[Any], prefixes: dict[str, str] | None = None) -> str:
    ordered = sorted_triples(triples)
    prefixes = prefixes or {}
    if any(isinstance(x, ox.Triple) for t in ordered for x in (t.subject, t.object)):
        # RDF-star (a quoted triple) has no compacted form here: Oxigraph's expanded JSON-LD.
        return bytes(ox.serialize(ordered, format=ox.RdfFormat.JSON_LD) or b"").decode()
    short: dict[str, str] = {}

    def iri(value: str) -> str:
        found = short.get(value)
        if found is None:
            found = short[value] = compact(value, prefixes)
        return found

    def ref(t: Any) -> str:
        return f"_:{t.value}" if isinstance(t, ox.BlankNode) else iri(t.value)

    nodes: dict[str, dict[str, list]] = {}
    for t in ordered:
        node = nodes.setdefault(ref(t.subject), {})
        o = t.object
        if t.predicate.value == RDF_TYPE and not isinstance(o, ox.Literal):
            node.setdefault("@type", []).append(ref(o))
            continue
        if isinstance(o, ox.Literal):
            val: dict[str, str] = {"@value": o.value}
            if o.language:
                val["@language"] = o.language
            elif o.datatype.value != XSD_STRING:
                val["@type"] = iri(o.datatype.value)
        else:
            val = {"@id": ref(o)}
        node.setdefault(iri(t.predicate.value), []).append(val)
    parts = ['{\n "@context": {\n']
    ctx = context(prefixes)
    parts.append(",\n".join(f"  {_dump(k)}: {_dump(v)}" for k, v in ctx.items()))
    parts.append("\n },\n" if ctx else " },\n")
    keys: dict[str, str] = {}  # a property's '   "name": ' prefix, made once
    blocks = []
    for sid, props in nodes.items():
        lines = [f'   "@id": {_dump(sid)}']
        if "@type" in props:
            lines.append(f'   "@type": {_dump(props.pop("@type"))}')
        for k in sorted(props):
            head = keys.get(k) or keys.setdefault(k, f"   {_dump(k)}: ")
            lines.append(head + _dump(props[k]))
        blocks.append("  {\n" + ",\n".join(lines) + "\n  }")
    parts.append(' "@graph": [\n' + ",\n".join(blocks) + ("\n ]\n}\n" if blocks else " ]\n}\n"))
    return "".join(parts)
