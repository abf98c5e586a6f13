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

from kg.formats.triples import NTriplesGraph, SortedTriples, sorted_triples

__all__ = ["write", "usable_prefixes"]

#: A local part Turtle writes as is (a conservative subset of PN_LOCAL: no escapes needed).
_PLAIN_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?\Z")


#: Where a prefixed name can start in Oxigraph's Turtle: after a line start, space, ^^, ( [ , ;
_NAME = re.compile(r"(?:^|(?<=[\s^(\[,;]))([A-Za-z][\w.-]*)?:", re.M)
_NAME_CHARS = re.compile(r"[A-Za-z][\w.-]*")


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


def _nt_iris(graph: NTriplesGraph) -> set[str]:
    terms = {t for row in graph.rows for t in row}
    iris = {t[1:-1] for t in terms if t[0] == "<" and t[:2] != "<<"}
    if any(t[:2] == "<<" for t in terms):  # quoted triples: their terms as pyoxigraph's
        iris |= _iris(list(graph.triples()))
    return iris | {graph.literals[t][2] for t in terms if t[0] == '"'}


def _used(name: str, body: str) -> bool:
    """Whether ``body`` has ``name:`` where :data:`_NAME` would find it (after a line start,
    whitespace or one of ``^([,;``): the same answer as scanning with the pattern, by
    ``str.find`` (the pattern tried at every position of a 1 MB body took 0.1 s)."""
    if name and not _NAME_CHARS.fullmatch(name):
        return False  # the pattern's names are letter first, then word characters . -
    needle = name + ":"
    i = body.find(needle)
    while i != -1:
        before = body[i - 1] if i else "\n"
        if before.isspace() or before in "^([,;":  # \s is str.isspace's whitespace
            return True
        i = body.find(needle, i + 1)
    return False


def usable_prefixes(
    triples: list[ox.Triple] | NTriplesGraph, prefixes: dict[str, str]
) -> dict[str, str]:
    """The ``prefixes`` under which every IRI of ``triples`` has a plain local part."""
    iris = _nt_iris(triples) if isinstance(triples, NTriplesGraph) else _iris(triples)
    return {
        name: ns
        for name, ns in prefixes.items()
        if all(_PLAIN_LOCAL.match(i[len(ns) :]) for i in iris if i.startswith(ns))
    }


def write(triples: Iterable[Any], prefixes: dict[str, str] | None = None) -> str:
    ordered: SortedTriples | NTriplesGraph
    ordered = triples if isinstance(triples, NTriplesGraph) else sorted_triples(triples)
    usable = usable_prefixes(ordered, prefixes or {})
    if isinstance(ordered, NTriplesGraph):  # Oxigraph reads the lines and writes them itself
        quads = ox.parse(ordered.text().encode(), format=ox.RdfFormat.N_TRIPLES)
        text = _turtle(quads, usable)
    else:
        text = _turtle(ordered, usable)
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith("@prefix "):
        start += 1
    body = "".join(lines[start:]).lstrip("\n")
    used = sorted(name for name in usable if _used(name, body))  # may over-count (strings)
    head = "".join(f"@prefix {name}: <{usable[name]}> .\n" for name in used)
    return head + ("\n" if head and body else "") + body


def _turtle(triples: Iterable[Any], prefixes: dict[str, str]) -> str:
    return bytes(
        ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    ).decode()
