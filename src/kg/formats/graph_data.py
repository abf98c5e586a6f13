"""The graph files' shared parts: :class:`GraphData` (what the GEXF, GraphML and node-link
writers take; :func:`kg.network.export_all` makes it from a networkx graph), XML text and the
attribute types, and :func:`write_files`, which writes each file by its suffix."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg import paths
from kg.errors import ViewError

__all__ = ["SUFFIXES", "EdgeItem", "GraphData", "check_targets", "typed_keys", "write_files", "xml"]

#: The files' suffixes: GEXF (Gephi), GraphML (Cytoscape, yEd), node-link JSON (networkx, d3).
SUFFIXES = (".gexf", ".graphml", ".json")

# (u, v, key or None, attributes): a simple graph's edges have no key
EdgeItem = tuple[Any, Any, Any, dict[str, Any]]


@dataclass
class GraphData:
    """A graph as the writers take it: its attributes as bool, int, float or str (each of
    one type), nodes and edges in the graph's order, and each node's look in GEXF (``viz``:
    its color and size). Plain data, no networkx: it pickles, and the writers run without
    networkx (kg build writes the full view's files in the process that never imports it)."""

    graph: dict[str, Any]
    nodes: list[tuple[Any, dict[str, Any]]]
    edges: list[EdgeItem]
    directed: bool
    multigraph: bool
    viz: list[dict[str, Any]] = field(default_factory=list)


def check_targets(targets: Sequence[str | Path]) -> list[Path]:
    """``targets`` as paths, each with one of :data:`SUFFIXES` (a :class:`ViewError` if not)."""
    out = [Path(p) for p in targets]
    for path in out:
        if path.suffix.lower() not in SUFFIXES:
            raise ViewError(f"{path}: export to .gexf, .graphml or .json")
    return out


def write_files(data: GraphData, targets: Sequence[str | Path]) -> list[Path]:
    """Write ``data`` to each of ``targets`` by its suffix; returns the paths."""
    from kg.formats import gexf, graphml, node_link

    out = check_targets(targets)
    for path in out:
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix.lower()
        writer = gexf if suffix == ".gexf" else graphml if suffix == ".graphml" else node_link
        paths.write_text(path, writer.write(data))
    return out


_XML_SPECIAL = re.compile(r'[&<>"\n\r\t]')


def xml(value: Any, attr: bool = True) -> str:
    """``value`` as XML text (attribute values also escape quotes and line breaks)."""
    cls = value.__class__
    if cls is str:
        return _escape(value, attr)
    if cls is bool:
        return "true" if value else "false"
    if cls is int or cls is float:  # digits, sign, point, e, inf: nothing to escape
        return str(value)
    return _escape(str(value), attr)


@lru_cache(maxsize=1 << 16)
def _escape(text: str, attr: bool) -> str:
    """Memoized: the exports repeat the same few thousand texts (types, codes, labels, IRIs)
    tens of thousands of times."""
    if not _XML_SPECIAL.search(text):
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attr:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
        text = text.replace("\t", "&#09;")
    return text


def xml_type(value: Any) -> str:
    # networkx's names for the types, so that its readers give the same Python types back
    return {bool: "boolean", int: "long", float: "double"}.get(type(value), "string")


def typed_keys(items: list[dict]) -> dict[str, str]:
    """Attribute name -> type, in order of first appearance (each attribute has one type)."""
    out: dict[str, str] = {}
    for d in items:
        if d.keys() <= out.keys():  # most items bring no new name
            continue
        for k, v in d.items():
            if k not in out:
                out[k] = xml_type(v)
    return out
