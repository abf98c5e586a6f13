"""Turtle: subjects in N-Triples order, each with its predicates and objects grouped.

Only prefixes the body uses are declared, in name order. A prefix is left out when some IRI
under it has a local part Turtle could only write with backslash escapes (``jdxr:`` resource
IRIs such as ``…/id/country/PHL`` would become ``jdxr:country\\/PHL``): legal Turtle, but hard
to read and mishandled by some tools, so those IRIs are written in full.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kg.formats.triples import sorted_triples

__all__ = ["write", "usable_prefixes"]

#: A local part Turtle writes as is (a conservative subset of PN_LOCAL: no escapes needed).
_PLAIN_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?\Z")


#: Where a prefixed name can start in Oxigraph's Turtle: after a line start, space, ^^, ( [ , ;
_NAME = re.compile(r"(?:^|(?<=[\s^(\[,;]))([A-Za-z][\w.-]*)?:", re.M)


def _iris(triples: list[ox.Triple]) -> set[str]:
    terms: set[Any] = set()
    todo: list[Any] = list(triples)
    while todo:
        terms.update(t.subject for t in todo)
        terms.update(t.predicate for t in todo)
        terms.update(t.object for t in todo)
        todo = [t for t in terms if isinstance(t, ox.Triple) and t not in todo]
        terms.difference_update(todo)
    return {
        t.value if isinstance(t, ox.NamedNode) else t.datatype.value
        for t in terms
        if isinstance(t, (ox.NamedNode, ox.Literal))
    }


def usable_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """The ``prefixes`` under which every IRI of ``triples`` has a plain local part."""
    iris = _iris(triples)
    return {
        name: ns
        for name, ns in prefixes.items()
        if all(_PLAIN_LOCAL.match(i[len(ns) :]) for i in iris if i.startswith(ns))
    }


def write(triples: Iterable[Any], prefixes: dict[str, str] | None = None) -> str:
    ordered = sorted_triples(triples)
    usable = usable_prefixes(ordered, prefixes or {})
    text = bytes(ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=usable) or b"").decode()
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith("@prefix "):
        start += 1
    body = "".join(lines[start:]).lstrip("\n")
    found = {m.group(1) or "" for m in _NAME.finditer(body)}  # may over-count (text in strings)
    used = sorted(name for name in usable if name in found)
    head = "".join(f"@prefix {name}: <{usable[name]}> .\n" for name in used)
    return head + ("\n" if head and body else "") + body
