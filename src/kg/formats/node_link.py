"""Node-link JSON (networkx's ``node_link_data`` with ``edges="edges"``), one node or edge a
line."""

from __future__ import annotations

import json
from typing import Any

from kg.formats.graph_data import GraphData

__all__ = ["write"]


def write(data: GraphData) -> str:
    """``data`` as node-link JSON: what ``networkx.node_link_data`` gives, as text."""
    return _json_lines(_node_link(data))


_JSON_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _json_lines(data: dict) -> str:
    """Node-link JSON, one node or edge a line (json.dumps with indent is pure Python: slow)."""

    dump = _JSON_ENCODE  # json.dumps(v, ensure_ascii=False) without its per-call set-up

    parts = []
    for k, v in data.items():
        if isinstance(v, list):
            items = ",\n".join(f"  {dump(x)}" for x in v)
            parts.append(f" {dump(k)}: [\n{items}\n ]" if v else f" {dump(k)}: []")
        else:
            parts.append(f" {dump(k)}: {dump(v)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _node_link(data: GraphData) -> dict[str, Any]:
    """``networkx.node_link_data(exportable(G), edges="edges")``, made from the export data."""
    nodes = [{**d, "id": n} for n, d in data.nodes]
    if data.multigraph:
        edges = [{**d, "source": u, "target": v, "key": k} for u, v, k, d in data.edges]
    else:
        edges = [{**d, "source": u, "target": v} for u, v, _, d in data.edges]
    return {
        "directed": data.directed,
        "multigraph": data.multigraph,
        "graph": data.graph,
        "nodes": nodes,
        "edges": edges,
    }
