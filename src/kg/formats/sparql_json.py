"""SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from kg.formats.terms import Term, term

MEDIA_TYPE = "application/sparql-results+json"


def binding(t: Term) -> dict[str, Any]:
    """One RDF term as a JSON results binding (RDF-star triples as in SPARQL 1.2)."""
    if t.kind == "triple" and t.triple is not None:
        s, p, o = (binding(x) for x in t.triple)
        return {"type": "triple", "value": {"subject": s, "predicate": p, "object": o}}
    d: dict[str, Any] = {"type": t.kind, "value": t.value}
    if t.lang:
        d["xml:lang"] = t.lang
    elif t.datatype:
        d["datatype"] = t.datatype
    return d


def document(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> dict[str, Any]:
    """The results document of a SELECT: rows of rdflib or pyoxigraph terms (None: unbound)."""
    bindings = []
    for row in rows:
        b = {}
        for name, value in zip(variables, row, strict=True):
            t = term(value)
            if t is not None:
                b[name] = binding(t)
        bindings.append(b)
    return {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}


def boolean_document(value: bool) -> dict[str, Any]:
    """The results document of an ASK."""
    return {"head": {}, "boolean": bool(value)}


def dumps(doc: dict[str, Any], indent: int | None = None) -> str:
    """UTF-8 text (no \\u escapes); compact unless `indent` is given."""
    seps = (",", ":") if indent is None else (",", ": ")
    return json.dumps(doc, ensure_ascii=False, indent=indent, separators=seps) + "\n"


def write(
    variables: Sequence[str], rows: Iterable[Sequence[Any]], indent: int | None = None
) -> str:
    return dumps(document(variables, rows), indent)


def write_boolean(value: bool, indent: int | None = None) -> str:
    return dumps(boolean_document(value), indent)
