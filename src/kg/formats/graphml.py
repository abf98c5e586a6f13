"""GraphML, as networkx writes it."""

from __future__ import annotations

from kg.formats.graph_data import GraphData, typed_keys, xml

__all__ = ["write"]


def write(H: GraphData) -> str:
    """GraphML as networkx writes it (same keys and types), streamed as text: the full view's
    export in a tenth of the time of networkx's ElementTree writer. Edge ids differ: networkx
    writes a multigraph's edge keys, which repeat; these are unique (e0, e1, ...)."""
    graph = {k: v for k, v in H.graph.items() if k not in ("node_default", "edge_default")}
    nodes = [d for _, d in H.nodes]
    edges = H.edges
    keys: dict[tuple[str, str], str] = {}
    decl: list[str] = []
    for scope, items in (
        ("graph", [graph]),
        ("node", nodes),
        ("edge", [e[3] for e in edges]),
    ):
        for name, typ in typed_keys(items).items():
            keys[(scope, name)] = f"d{len(keys)}"
            decl.append(
                f'  <key id="{keys[(scope, name)]}" for="{scope}" attr.name="{xml(name)}" '
                f'attr.type="{typ}" />'
            )

    # each attribute's line up to its value, made once
    heads = {sk: f'<data key="{key}">' for sk, key in keys.items()}

    def data(scope: str, d: dict, indent: str) -> list[str]:
        return [f"{indent}{heads[(scope, k)]}{xml(v, attr=False)}</data>" for k, v in d.items()]

    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
        *reversed(decl),  # networkx puts the newest key first
        f'  <graph edgedefault="{"directed" if H.directed else "undirected"}">',
        *data("graph", graph, "    "),
    ]
    for node, d in H.nodes:
        out.append(f'    <node id="{xml(node)}">')
        out += data("node", d, "      ")
        out.append("    </node>")
    for i, (u, v, key, d) in enumerate(edges):
        # GraphML wants document-unique edge ids: a multigraph's key (the predicate) repeats
        # over the graph (it stays in the edge's data), so the id is the edge's position.
        eid = "" if key is None else f' id="e{i}"'
        out.append(f'    <edge source="{xml(u)}" target="{xml(v)}"{eid}>')
        out += data("edge", d, "      ")
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out)
